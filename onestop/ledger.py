"""The register (Sổ theo dõi hồ sơ; Form 06 of Circular 01/2018, Form 07 of Circular 03/2025): its lines for a
period (DESIGN.md §8). Each line names the form of its dossier's regime (onestop/regimes.py)."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from . import regimes
from .extensions import db
from .models import CHANNEL_LABELS, STATUS_LABELS, Agency, Dossier, DossierStatus, Leg, Procedure
from .periods import Period

HEADERS = ("STT", "Mã hồ sơ", "Mã TTHC", "Tên TTHC", "Số lượng hồ sơ", "Tên cá nhân, tổ chức",
           "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Ngày nhận hồ sơ", "Ngày hẹn trả kết quả",
           "Ngày chuyển hồ sơ", "Ngày nhận kết quả", "Ngày trả kết quả", "Ký nhận", "Ghi chú")
OPTIONAL_HEADERS = ("Kênh", "Trạng thái", "Mẫu sổ")
# Only these statuses need saying: the others follow from the dates. A dossier waiting for a supplement
# counts within deadline (domain.md §5), so the register keeps that too.
STATED_STATUSES = (DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED,
                   DossierStatus.AWAITING_SUPPLEMENT)


@dataclass(frozen=True)
class Line:
    """One line of the register, in the order of the form's columns."""

    number: int
    code: str
    procedure_code: str
    procedure_name: str
    quantity: int
    applicant: str
    address_phone: str
    lead_agency: str
    received_at: datetime
    due_at: datetime
    sent_at: datetime | None
    result_at: datetime | None
    returned_at: datetime | None
    signed_by: str
    note: str
    channel: str
    status: str
    form: str  # "Mẫu số 07 (Thông tư số 03/2025/TT-VPCP)" for a 2025-regime dossier

    @property
    def cells(self) -> tuple:
        """The values of HEADERS then OPTIONAL_HEADERS."""
        return (self.number, self.code, self.procedure_code, self.procedure_name, self.quantity, self.applicant,
                self.address_phone, self.lead_agency, self.received_at, self.due_at, self.sent_at, self.result_at,
                self.returned_at, self.signed_by, self.note, self.channel, self.status, self.form)


def lines(agency: Agency, period: Period) -> list[Line]:
    """Every dossier of the desk received by the period's end and not completed before its start (DESIGN.md §8)."""
    query = (sa.select(Dossier)
             .options(selectinload(Dossier.procedure).selectinload(Procedure.route),
                      selectinload(Dossier.legs).selectinload(Leg.partner))
             .where(Dossier.agency_id == agency.id, Dossier.received_on <= period.end,
                    sa.or_(Dossier.completed_on.is_(None), Dossier.completed_on >= period.start))
             .order_by(Dossier.received_at, Dossier.code))
    switch = regimes.switch_date()
    return [_line(number, dossier, agency, switch)
            for number, dossier in enumerate(db.session.scalars(query), start=1)]


def _lead_leg(dossier: Dossier) -> Leg | None:
    """The leg whose partner leads the dossier: one on the procedure's inter-agency route, or an imported one.

    A partner asked only to coordinate (a leg off the route, e.g. a check by the commune police) does not
    lead it: the register keeps the receiving agency as "Cơ quan chủ trì giải quyết".
    """
    route = {step.agency_id for step in dossier.procedure.route}
    leading = [leg for leg in dossier.legs if leg.partner_id in route or leg.sent_by_id is None]
    return min(leading, key=lambda leg: leg.sent_at) if leading else None


def form_label(regime: regimes.Regime) -> str:
    """'Mẫu số 07 (Thông tư số 03/2025/TT-VPCP)': the register's form in a regime."""
    return f"{regime.form('register').label} ({regime.circular})"


def _line(number: int, dossier: Dossier, agency: Agency, switch) -> Line:
    leg = _lead_leg(dossier)
    contact = "; ".join(part for part in (dossier.applicant_address, dossier.applicant_phone) if part)
    return Line(number, dossier.code, dossier.procedure.code, dossier.procedure.name, dossier.quantity,
                dossier.applicant_name, contact, leg.partner.name if leg else agency.name, dossier.received_at,
                dossier.due_at, leg.sent_at if leg else None, dossier.completed_at, dossier.returned_at,
                dossier.returned_to, dossier.note, CHANNEL_LABELS[dossier.channel],
                STATUS_LABELS[dossier.status] if dossier.status in STATED_STATUSES else "",
                form_label(regimes.of(dossier, switch)))
