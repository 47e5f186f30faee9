"""The legal regimes of the one-stop desk as data: which forms a dossier prints, with which numbers and titles.

A dossier keeps the rule set in force on the day it was received (domain.md §0):
- "2018": Decree 61/2018/NĐ-CP (amended by Decree 107/2021/NĐ-CP), forms of Circular 01/2018/TT-VPCP
  (six forms, Form 05 the process-control record, Form 06 the register);
- "2025": Decree 118/2025/NĐ-CP (09/06/2025, in force 01/07/2025), forms of Circular 03/2025/TT-VPCP
  Phụ lục I, used from 15/09/2025. The seven titles below were checked against the list of
  Phụ lục I ("Mẫu số 01: Mẫu Giấy tiếp nhận hồ sơ và hẹn trả kết quả; … Mẫu số 05: Mẫu Thông báo
  dừng giải quyết hồ sơ; Mẫu số 06: Mẫu Phiếu kiểm soát quá trình giải quyết hồ sơ; Mẫu số 07: Mẫu
  Sổ theo dõi hồ sơ", thuviennhadat.vn, "Tải file word biểu mẫu Thông tư 03/2025/TT-VPCP"). The body
  of each 2025 form could not be read: the fields of the 2018 forms are kept (issue 14).

The switch day is a setting (`regime_switch_date`, default 15/09/2025, the day Circular 03/2025's
forms apply). Everything a template prints that differs by regime lives here, not in templates.
"""
from dataclasses import dataclass
from datetime import date, datetime

from .clock import local

SWITCH_SETTING = "regime_switch_date"
DEFAULT_SWITCH = "2025-09-15"


@dataclass(frozen=True)
class Form:
    """One printable form of a regime: its number in the circular, its printed title and its name on screen."""

    number: str
    title: str
    name: str

    @property
    def label(self) -> str:
        """'Mẫu số 06', printed at the top of the form as the official templates carry it."""
        return f"Mẫu số {self.number}"


@dataclass(frozen=True)
class Regime:
    """The rule set of a period: legal basis, forms and the fixed wording that differs between periods."""

    key: str
    decree: str
    circular: str
    forms: dict
    receiving_unit: str  # what the desk is called when the agency has not named its own unit
    prints_parent_body: bool  # 2018: the district above the commune; 2025: no district exists (01/07/2025)
    apology_is_extension: bool  # 2025 Form 04 asks the citizen to agree to a longer time
    online_channel: str
    wording: dict  # fixed sentences of the forms; official documents are always Vietnamese

    def form(self, kind: str) -> Form | None:
        return self.forms.get(kind)

    @property
    def basis(self) -> str:
        return f"{self.decree}; {self.circular}"


REGIME_2018 = Regime(
    key="2018",
    decree="Nghị định số 61/2018/NĐ-CP",
    circular="Thông tư số 01/2018/TT-VPCP",
    forms={
        "receipt": Form("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "giấy tiếp nhận"),
        "supplement": Form("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "phiếu yêu cầu bổ sung"),
        "refusal": Form("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "phiếu từ chối"),
        "apology": Form("04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "phiếu xin lỗi"),
        "control": Form("05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "phiếu kiểm soát"),
        "register": Form("06", "SỔ THEO DÕI HỒ SƠ", "sổ theo dõi hồ sơ"),
    },
    receiving_unit="Bộ phận Tiếp nhận và Trả kết quả",
    prints_parent_body=True,
    apology_is_extension=False,
    online_channel="Cổng Dịch vụ công",
    wording={
        # Form 04 of Circular 01/2018: the apology and a new appointment.
        "apology_request": "{agency} xin lỗi ông (bà) vì sự chậm trễ này và xin hẹn trả kết quả vào",
    },
)

REGIME_2025 = Regime(
    key="2025",
    decree="Nghị định số 118/2025/NĐ-CP",
    circular="Thông tư số 03/2025/TT-VPCP",
    forms={
        "receipt": Form("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "giấy tiếp nhận"),
        "supplement": Form("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "phiếu yêu cầu bổ sung"),
        "refusal": Form("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "phiếu từ chối"),
        "apology": Form("04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", "văn bản xin lỗi, đề nghị gia hạn"),
        "stop": Form("05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "thông báo dừng giải quyết"),
        "control": Form("06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "phiếu kiểm soát"),
        "register": Form("07", "SỔ THEO DÕI HỒ SƠ", "sổ theo dõi hồ sơ"),
    },
    # Decree 118/2025: a commune, ward or special zone receives dossiers at its Trung tâm Phục vụ hành
    # chính công under the commune People's Committee (domain.md §0).
    receiving_unit="Trung tâm Phục vụ hành chính công",
    prints_parent_body=False,
    apology_is_extension=True,
    online_channel="Cổng Dịch vụ công quốc gia",
    wording={
        # Form 04 of Circular 03/2025 is a request to the citizen to extend the processing time (its title:
        # "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"); the body text itself was not found,
        # so this sentence follows the title.
        "apology_request": "{agency} xin lỗi ông (bà) và đề nghị ông (bà) đồng ý gia hạn thời gian giải quyết "
                           "hồ sơ; thời gian trả kết quả được hẹn lại vào",
    },
)

REGIMES = {regime.key: regime for regime in (REGIME_2018, REGIME_2025)}


def stop_form() -> Form:
    """Form 05 of Circular 03/2025, the stop notice: the 2018 regime had none, so a stop always prints it."""
    return REGIME_2025.forms["stop"]


def parse_switch(value) -> date:
    """The switch day from the setting's text (yyyy-mm-dd or dd/mm/yyyy); the default when unreadable."""
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return datetime.strptime(DEFAULT_SWITCH, "%Y-%m-%d").date()


def switch_date() -> date:
    """The first day of the 2025 regime at this installation (setting, default 15/09/2025)."""
    from . import settings

    return parse_switch(settings.get(SWITCH_SETTING))


def on(day: date, switch: date | None = None) -> Regime:
    """The regime in force on a local day."""
    return REGIME_2025 if day >= (switch or switch_date()) else REGIME_2018


def at(moment: datetime, switch: date | None = None) -> Regime:
    """The regime in force at a moment (its local day in Asia/Ho_Chi_Minh)."""
    return on(local(moment).date(), switch)


def of(dossier, switch: date | None = None) -> Regime:
    """The regime of a dossier: the one in force on the day it was received, for its whole life."""
    return at(dossier.received_at, switch)


def receiving_unit(agency, regime: Regime) -> str:
    """The unit printed under the People's Committee: the agency's own name for it, else the regime's."""
    if regime.prints_parent_body:  # 2018: every desk was the Bộ phận Tiếp nhận và Trả kết quả
        return regime.receiving_unit
    own = (getattr(agency, "receiving_unit", "") or "").strip()
    return own or regime.receiving_unit
