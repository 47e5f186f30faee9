"""What the public may see of a dossier (kiosk, phone page, public API): plain words, masked name.

Personal data never leaves the staff side (DESIGN.md §3): no ID number, phone, e-mail or address,
and the name only as `Nguyễn V. A.`. Lookups are logged without any of it.
"""
import logging
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l

from . import codes, dossiers, surveys
from .models import Agency, Dossier, DossierStatus
from .privacy import mask_name

log = logging.getLogger(__name__)

STATUS_TEXT = {
    DossierStatus.RECEIVED: _l("Hồ sơ đã được tiếp nhận, đang chờ giải quyết."),
    DossierStatus.PROCESSING: _l("Hồ sơ đang được giải quyết."),
    DossierStatus.AWAITING_SUPPLEMENT: _l("Hồ sơ cần bổ sung giấy tờ."),
    DossierStatus.AT_PARTNER: _l("Hồ sơ đang được cơ quan phối hợp giải quyết."),
    DossierStatus.AWAITING_APPROVAL: _l("Hồ sơ đang chờ lãnh đạo ký duyệt."),
    DossierStatus.RESULT_READY: _l("Hồ sơ đã có kết quả."),
    DossierStatus.RETURNED: _l("Hồ sơ đã trả kết quả."),
    DossierStatus.REFUSED: _l("Hồ sơ không được giải quyết."),
    DossierStatus.WITHDRAWN: _l("Hồ sơ đã được rút theo đề nghị của người nộp."),
}
ADVICE = {
    DossierStatus.AWAITING_SUPPLEMENT: _l("Mời ông/bà liên hệ Bộ phận Một cửa để bổ sung giấy tờ."),
    DossierStatus.RESULT_READY: _l("Mời ông/bà đến quầy nhận kết quả."),
    DossierStatus.REFUSED: _l("Mời ông/bà đến Bộ phận Một cửa để nhận văn bản trả lời."),
}
OPEN_ADVICE = _l("Ông/bà chưa cần làm gì thêm. Mời quay lại theo ngày hẹn trả.")


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
    # The raw text is not logged: someone may type a phone or ID number into the code box.
    log.info("public lookup via=%s agency=%s code=%s found=%s", where, agency.code if agency else "-",
             code or "(not a code)", "yes" if dossier else "no")
    return dossier


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
    return PublicDossier(
        code=dossier.code, status=dossier.status, status_number=dossier.status_number,
        status_text=str(STATUS_TEXT[dossier.status]), advice=str(ADVICE.get(dossier.status) or (
            OPEN_ADVICE if dossier.is_open else "")),
        received_at=dossier.received_at, promised_at=None if dossier.is_paused else dossier.promised_at,
        paused=dossier.is_paused, returned_at=dossier.returned_at, full=full, **details,
    )


def _holder(dossier: Dossier) -> str:
    """The agency that has the papers now: the partner while a leg is open, else the holder."""
    if dossier.status == DossierStatus.AT_PARTNER:
        leg = next((leg for leg in getattr(dossier, "legs", []) if leg.is_open), None)
        if leg is not None:
            return leg.partner.name
    return dossier.holder_agency.name
