"""Inter-agency legs (liên thông): sending a dossier to a partner agency, its leg deadline, its return.

Functions check who may act and the dossier's state before changing anything, and never commit.
"""
from datetime import datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from . import deadlines
from .errors import WorkflowError
from .extensions import db
from .formatting import vn_datetime
from .handovers import is_holder, is_staff_of, record_step, require, require_status
from .models import Agency, Dossier, DossierStatus, Event, Leg, User


def leg_due_at(leg: Leg, calendar: deadlines.Calendar) -> datetime:
    """When the partner must hand the dossier back: its share of the time, counted from sending."""
    # The same rules as a dossier's own deadline, in the share's unit.
    return deadlines.due_at(leg.sent_at, deadlines.Deadline(leg.share_value or 0, leg.share_unit), calendar)


def share_unit(dossier: Dossier) -> str:
    """A route's shares are in the procedure's unit; a same-day procedure's in working days."""
    return "working_days" if dossier.deadline_unit == "same_day" else dossier.deadline_unit


def route_share(dossier: Dossier, partner: Agency) -> Decimal | None:
    """The partner's share of the time on the procedure's route, if it is on the route."""
    for step in dossier.procedure.route:
        if step.agency_id == partner.id:
            return Decimal(step.share_value)
    return None


def partner_choices(dossier: Dossier) -> list[tuple[Agency, Decimal | None]]:
    """Agencies the dossier can go to: the procedure's route first (with shares), then the others."""
    on_route = [(step.agency, Decimal(step.share_value)) for step in dossier.procedure.route
                if step.agency_id != dossier.agency.id]
    listed = {agency.id for agency, _ in on_route}
    others = db.session.scalars(sa.select(Agency).where(Agency.id != dossier.agency.id).order_by(Agency.name))
    return on_route + [(agency, None) for agency in others if agency.id not in listed]


def open_leg(dossier: Dossier) -> Leg | None:
    """The leg the dossier is on now, if it is at a partner agency."""
    return next((leg for leg in dossier.legs if leg.returned_at is None), None)


def check_send_to_partner(dossier: Dossier, user: User, now: datetime) -> None:
    """Only the holder sends, while processing."""
    require_status(dossier, DossierStatus.PROCESSING, doing="chuyển cơ quan phối hợp")
    require(is_holder(dossier, user), "Chỉ người đang giữ hồ sơ mới được chuyển hồ sơ sang cơ quan phối hợp.")


def send_to_partner(dossier: Dossier, user: User, *, agency_code: str, now: datetime, calendar: deadlines.Calendar,
                    note: str = "", share=None, confirm_late: bool = False) -> Event:
    """Open a leg to the partner agency; its due date is the route's share (or the one given) from now.

    A leg that would come back after the citizen's appointment is sent only when the sender confirms it.
    """
    check_send_to_partner(dossier, user, now)
    partner = db.session.scalar(sa.select(Agency).where(Agency.code == (agency_code or "").strip()))
    if partner is None:
        raise WorkflowError(f"Không tìm thấy cơ quan có mã “{(agency_code or '').strip()}”.", field="agency_code")
    if partner.id == dossier.agency.id:
        raise WorkflowError("Không thể chuyển liên thông cho chính cơ quan tiếp nhận.", field="agency_code")
    share = _share(share if share not in (None, "") else route_share(dossier, partner), partner)
    due = leg_due_at(Leg(sent_at=now, share_value=share, share_unit=share_unit(dossier)), calendar)
    if due > dossier.promised_at >= now and not confirm_late:
        raise WorkflowError(f"Hạn trả lại của {partner.name} ({vn_datetime(due)}) muộn hơn ngày hẹn trả kết quả "
                            f"cho công dân ({vn_datetime(dossier.promised_at)}). Rút ngắn thời hạn, hoặc đánh dấu "
                            "“Vẫn chuyển dù quá ngày hẹn trả” để xác nhận.", field="confirm_late")
    leg = Leg(dossier=dossier, partner=partner, sent_by=user, sent_at=now, share_value=share,
              share_unit=share_unit(dossier), note=(note or "").strip(), due_at=due)
    db.session.add(leg)
    text = f"Chuyển {partner.name}; hạn trả lại: {vn_datetime(leg.due_at)}."
    return record_step(dossier, "send_to_partner", user, now, status=DossierStatus.AT_PARTNER, holder=None,
                       holder_agency=partner, step_due_at=dossier.due_at, judged=True,
                       note=text, remark=leg.note, public_note="Đang chuyển cơ quan phối hợp giải quyết",
                       data={"leg_due_at": leg.due_at.isoformat(), "share": str(share), "unit": leg.share_unit})


def _share(value, partner: Agency) -> Decimal:
    if value is None:
        raise WorkflowError(f"{partner.name} không có trong quy trình liên thông của thủ tục này: "
                            "cần ghi thời hạn giải quyết của cơ quan phối hợp.", field="share")
    try:
        share = Decimal(str(value))
    except InvalidOperation:
        share = Decimal(-1)
    if not share.is_finite() or share <= 0 or share > 365:
        raise WorkflowError("Thời hạn của cơ quan phối hợp phải là một số dương (ví dụ 3 hoặc 0,5).", field="share")
    return share


def may_return(leg: Leg, dossier: Dossier, user: User) -> bool:
    """A partner on this install returns it itself; for an external one the clerk or the sender records it."""
    if not leg.partner.external:
        return is_staff_of(user, leg.partner)
    sender = leg.sent_by
    return is_staff_of(user, dossier.agency, "clerk") or (user.active and sender is not None and sender.id == user.id)


def check_partner_returned(dossier: Dossier, user: User, now: datetime) -> None:
    """The dossier must be at a partner, and the user on the right side of the leg."""
    require_status(dossier, DossierStatus.AT_PARTNER, doing="ghi nhận cơ quan phối hợp trả hồ sơ")
    leg = open_leg(dossier)
    require(leg is not None, f"Hồ sơ {dossier.code} không có lượt liên thông nào đang mở.")
    if leg.partner.external:
        message = (f"{leg.partner.name} không dùng hệ thống: chỉ cán bộ Bộ phận Một cửa hoặc người đã gửi "
                   "mới được ghi nhận hồ sơ được trả lại.")
    else:
        message = f"Chỉ cán bộ của {leg.partner.name} mới được trả hồ sơ này."
    require(may_return(leg, dossier, user), message)


def partner_returned(dossier: Dossier, user: User, *, now: datetime, calendar=None, note: str = "") -> Event:
    """Close the open leg and give the dossier back to the one who sent it."""
    check_partner_returned(dossier, user, now)
    leg = open_leg(dossier)
    leg.returned_at = now
    sender = leg.sent_by if leg.sent_by is not None and leg.sent_by.active else None
    giver = user if is_staff_of(user, leg.partner) else None
    text = f"{leg.partner.name} trả hồ sơ (hạn {vn_datetime(leg.due_at)})."
    return record_step(dossier, "partner_returned", user, now, status=DossierStatus.PROCESSING, holder=sender,
                       holder_agency=dossier.agency, from_user=giver, step_due_at=leg.due_at, judged=True,
                       note=text, remark=note, public_note="Cơ quan phối hợp đã trả hồ sơ",
                       data={"partner": leg.partner.code, "leg_due_at": leg.due_at.isoformat()})


def close_open_leg(dossier: Dossier, now: datetime) -> Leg | None:
    """End the open leg of a dossier that is refused or withdrawn while at a partner."""
    leg = open_leg(dossier)
    if leg is not None:
        leg.returned_at = now
    return leg


def sent_to(user: User, code: str, *, history: bool = False) -> Dossier | None:
    """Another agency's dossier whose open leg is with the user's agency: its staff read it while they work on it."""
    from .dossiers import find_by_code

    dossier = find_by_code(code, history=history)
    if dossier is None or dossier.agency_id == user.agency_id:
        return None
    leg = open_leg(dossier)
    return dossier if leg is not None and leg.partner_id == user.agency_id else None


def find_for(user: User, code: str, *, lock: bool = False) -> Dossier | None:
    """The dossier if the user may see it: their agency received it, or it is at their agency on an open leg."""
    query = sa.select(Dossier).where(Dossier.code == (code or "").strip().upper())
    # Before a step, lock the row (PostgreSQL): two people scanning the same folder at once take turns.
    dossier = db.session.scalar(query.with_for_update() if lock else query)
    if dossier is None or dossier.agency_id == user.agency_id:
        return dossier
    # A partner's access ends with its leg: the slips carry the applicant's personal data.
    return dossier if any(leg.partner_id == user.agency_id and leg.is_open for leg in dossier.legs) else None
