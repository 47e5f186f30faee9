"""What the public may see of a dossier (kiosk, phone page, public API): plain words, masked name.

Personal data never leaves the staff side (DESIGN.md §3): no ID number, phone, e-mail or address,
and the name only as `Nguyễn V. A.`. Lookups are logged without any of it.
"""
import logging
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_translations

from . import codes, dossiers, surveys
from .database import read_alone
from .models import OPEN_STATUSES, STATUS_NUMBERS, Agency, Dossier, DossierStatus
from .privacy import mask_name
from .text import N_

log = logging.getLogger(__name__)

# Marked with N_ and translated in `_view`.
STATUS_TEXT = {
    DossierStatus.RECEIVED: N_("Hồ sơ đã được tiếp nhận, đang chờ giải quyết."),
    DossierStatus.PROCESSING: N_("Hồ sơ đang được giải quyết."),
    DossierStatus.AWAITING_SUPPLEMENT: N_("Hồ sơ cần bổ sung giấy tờ."),
    DossierStatus.AT_PARTNER: N_("Hồ sơ đang được cơ quan phối hợp giải quyết."),
    DossierStatus.AWAITING_APPROVAL: N_("Hồ sơ đang chờ lãnh đạo ký duyệt."),
    DossierStatus.RESULT_READY: N_("Hồ sơ đã có kết quả."),
    DossierStatus.RETURNED: N_("Hồ sơ đã trả kết quả."),
    DossierStatus.REFUSED: N_("Hồ sơ không được giải quyết."),
    DossierStatus.WITHDRAWN: N_("Hồ sơ đã được rút theo đề nghị của người nộp."),
    DossierStatus.STOPPED: N_("Cơ quan đã dừng giải quyết hồ sơ."),
}
ADVICE = {
    DossierStatus.AWAITING_SUPPLEMENT: N_("Mời ông/bà liên hệ Bộ phận Một cửa để bổ sung giấy tờ."),
    DossierStatus.RESULT_READY: N_("Mời ông/bà đến quầy nhận kết quả."),
    DossierStatus.REFUSED: N_("Mời ông/bà đến Bộ phận Một cửa để nhận văn bản trả lời."),
    DossierStatus.STOPPED: N_("Mời ông/bà đến Bộ phận Một cửa để nhận thông báo dừng giải quyết hồ sơ."),
}
OPEN_ADVICE = N_("Ông/bà chưa cần làm gì thêm. Mời quay lại theo ngày hẹn trả.")


@dataclass(frozen=True)
class PublicDossier:
    """A dossier as a citizen sees it; `full` is False when only status and dates may be shown."""

    code: str
    status: DossierStatus
    status_number: int
    status_text: str
    advice: str
    received_at: datetime
    promised_at: datetime | None  # None while paused for a supplement
    paused: bool
    returned_at: datetime | None
    full: bool
    procedure_code: str | None = None
    procedure_name: str | None = None
    holder: str | None = None
    applicant: str | None = None
    history: list[tuple[datetime, str]] = field(default_factory=list)
    survey_open: bool = False
    surveyed: bool = False

    @property
    def ready(self) -> bool:
        return self.status == DossierStatus.RESULT_READY


def find(text: str, *, agency: Agency | None, where: str) -> Dossier | None:
    """The dossier a citizen typed or scanned (the kiosk's short form with its agency); logged without names."""
    code = codes.expand_short_code(text or "", agency.code) if agency else codes.parse_dossier_code(text or "")
    dossier = dossiers.find_by_code(code, agency=agency) if code else None
    _log(where, agency, code, dossier is not None)
    return dossier


# Status and dates are all a lookup without the receipt's token may show: five columns of one indexed row,
# read in Core, without the ORM's bookkeeping.
_ROW = Dossier.__table__.c
_STATUS = sa.select(_ROW.code, _ROW.status, _ROW.received_at, _ROW.promised_at,
                    _ROW.returned_at).where(_ROW.code == sa.bindparam("code"))


def lookup(text: str, token: str | None, *, where: str) -> PublicDossier | None:
    """What the phone page and the public API show for a code: with the receipt's token everything public.

    Anyone may repeat a lookup without the token as often as the rate limit allows, so it reads five
    columns instead of loading the dossier.
    """
    code = codes.parse_dossier_code(text or "")
    if code is not None and codes.check_lookup_token(code, token, current_app.config["SECRET_KEY"]):
        dossier = find(code, agency=None, where=where)
        return public_view(dossier, full=True) if dossier is not None else None
    row = read_alone(_STATUS, {"code": code}) if code is not None else None
    _log(where, None, code, row is not None)
    return _view(*row, full=False) if row is not None else None


def _log(where: str, agency: Agency | None, code: str | None, found: bool) -> None:
    # The raw text is not logged: someone may type a phone or ID number into the code box.
    log.info("public lookup via=%s agency=%s code=%s found=%s", where, agency.code if agency else "-",
             code or "(not a code)", "yes" if found else "no")


def token_opens_details(dossier: Dossier, token: str | None) -> bool:
    """Whether the token of the receipt's QR link belongs to this dossier (DESIGN.md §5)."""
    return codes.check_lookup_token(dossier.code, token, current_app.config["SECRET_KEY"])


def public_view(dossier: Dossier, *, full: bool) -> PublicDossier:
    """What may be shown: with `full` also the procedure, the masked name, who holds it and the history."""
    details = {}
    if full:
        survey = surveys.find(dossier)
        details = dict(
            procedure_code=dossier.procedure.code, procedure_name=dossier.procedure.name,
            holder=_holder(dossier), applicant=mask_name(dossier.applicant_name, dossier.applicant_is_organisation),
            history=[(event.at, event.public_note) for event in dossier.events if event.public_note],
            survey_open=dossier.status in surveys.SURVEYABLE and survey is None, surveyed=survey is not None,
        )
    return _view(dossier.code, dossier.status, dossier.received_at, dossier.promised_at, dossier.returned_at,
                 full=full, **details)


def _view(code: str, status: DossierStatus, received_at: datetime, promised_at: datetime,
          returned_at: datetime | None, *, full: bool, **details) -> PublicDossier:
    paused = status == DossierStatus.AWAITING_SUPPLEMENT
    advice = ADVICE.get(status) or (OPEN_ADVICE if status in OPEN_STATUSES else "")
    # The request's catalog looked up once: each lazy string looked up the locale and the catalog again, about 90
    # Python calls each on every public lookup. gettext("") would answer the catalog's header.
    translate = get_translations().gettext
    return PublicDossier(
        code=code, status=status, status_number=STATUS_NUMBERS[status], status_text=translate(STATUS_TEXT[status]),
        advice=translate(advice) if advice else "",
        received_at=received_at, promised_at=None if paused else promised_at, paused=paused,
        returned_at=returned_at, full=full, **details,
    )


def _holder(dossier: Dossier) -> str:
    """The agency that has the papers now: the partner while a leg is open, else the holder."""
    if dossier.status == DossierStatus.AT_PARTNER:
        leg = next((leg for leg in getattr(dossier, "legs", []) if leg.is_open), None)
        if leg is not None:
            return leg.partner.name
    return dossier.holder_agency.name
