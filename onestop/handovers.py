"""Who holds a dossier, who may act on it, the event each step writes and the rows of Form 05.

Each step is judged early / on time / late against the deadline of the one who gives the dossier
on: the partner agency's leg deadline when a partner hands it back, the dossier's due_at for every
other step (the processing unit answers for the whole legal time). That deadline is the event's
step_due_at, so a Form 05 row is read from its event alone.
"""
from datetime import datetime

from . import history
from .clock import local
from .errors import WorkflowError
from .extensions import db
from .formatting import vn_datetime
from .models import Agency, Dossier, DossierStatus, Event, Timeliness, User

STAFF_ROLES = ("clerk", "officer", "leader")
DESK_LABEL = "Bộ phận Tiếp nhận và Trả kết quả"
# The events that move the folder from one pair of hands to another: the rows of Form 05.
HANDOVER_ACTIONS = ("hand_over", "send_to_partner", "partner_returned", "submit_for_approval", "approve",
                    "mark_ready", "refuse", "withdraw", "stop")


def timeliness_of(moment: datetime, due: datetime | None) -> Timeliness | None:
    """Early, on time or late by local date against the deadline (domain.md §3)."""
    if due is None:
        return None
    done, deadline = local(moment).date(), local(due).date()
    if done < deadline:
        return Timeliness.EARLY
    return Timeliness.ON_TIME if done == deadline else Timeliness.LATE


def require(condition: bool, message: str) -> None:
    """Refuse the step with a message for the person at the desk."""
    if not condition:
        raise WorkflowError(message)


def require_status(dossier: Dossier, *statuses: DossierStatus, doing: str) -> None:
    """Refuse a step the dossier's state does not allow."""
    require(dossier.status in statuses,
            f"Hồ sơ {dossier.code} đang ở trạng thái “{dossier.status_label}”: không thể {doing}.")


def require_open(dossier: Dossier, *, doing: str) -> None:
    """Refuse a step on a dossier that is already finished."""
    require(dossier.is_open, f"Hồ sơ {dossier.code} đã kết thúc (“{dossier.status_label}”): không thể {doing}.")


def is_staff_of(user: User, agency: Agency | None, *roles: str) -> bool:
    """Whether the user works at the agency with one of the roles (any desk role when none given)."""
    return (agency is not None and user.active and user.agency_id == agency.id
            and user.has_role(*(roles or STAFF_ROLES)))


def is_holder(dossier: Dossier, user: User) -> bool:
    """Whether the user has the folder in hand now."""
    holder = dossier.holder_user  # the relationship, not the id: a dossier received this request has no id yet
    return holder is not None and holder.id == user.id


def require_role(dossier: Dossier, user: User, role: str, message: str) -> None:
    """Only staff of the receiving agency with this role may do this."""
    require(is_staff_of(user, dossier.agency, role), message)


def record_step(dossier: Dossier, action: str, user: User, now: datetime, *, status: DossierStatus,
                holder: User | None, holder_agency: Agency, step_due_at: datetime | None = None,
                judged: bool = False, from_user: User | None = None, note: str = "", remark: str = "",
                data: dict | None = None, **fields) -> Event:
    """Write the step's event and move the dossier to its new state and holder.

    `note` is the system's account of the step, `remark` what the user typed; the event's note has both.
    """
    remark = (remark or "").strip()
    data = {**(data or {}), **({"remark": remark} if remark else {})}
    event = history.record(
        dossier, action, now, actor=user,
        from_user=from_user or dossier.holder_user, from_agency=dossier.holder_agency,
        to_user=holder, to_agency=holder_agency,
        from_status=dossier.status.value, to_status=status.value, step_due_at=step_due_at,
        timeliness=timeliness_of(now, step_due_at) if judged else None,
        note=" ".join(part for part in (note, remark) if part), data=data, **fields,
    )
    dossier.status, dossier.holder_user, dossier.holder_agency = status, holder, holder_agency
    return event


def party(agency: Agency | None, user: User | None, dossier: Dossier, action: str = "") -> str:
    """How Form 05 names one side of a hand-over: a person, the desk, the leaders or a partner."""
    own = agency is None or agency.id == dossier.agency.id
    if user is not None:
        name = user.display_name
        if not own:
            return f"{agency.name} ({name})"
        return f"{DESK_LABEL} ({name})" if user.has_role("clerk") and not user.has_role("officer") else name
    if not own:
        return agency.name
    return f"Lãnh đạo {dossier.agency.name}" if action == "submit_for_approval" else DESK_LABEL


def control_rows(dossier: Dossier) -> list[dict]:
    """The hand-overs of Form 05 in order: giver, receiver, time, step deadline, result, note."""
    events = db.session.scalars(
        db.select(Event).where(Event.dossier_id == dossier.id, Event.action.in_(HANDOVER_ACTIONS))
        .order_by(Event.at, Event.id))
    return [{
        "event": event,
        "giver": party(event.from_agency, event.from_user, dossier),
        "receiver": party(event.to_agency, event.to_user, dossier, event.action),
        "giver_name": event.from_user.display_name if event.from_user else "",
        "receiver_name": event.to_user.display_name if event.to_user else "",
        "at": event.at, "step_due_at": event.step_due_at, "timeliness": event.timeliness,
        "action": event.action, "note": _remark(event),
    } for event in events]


def _remark(event: Event) -> str:
    """Form 05's note: the step, the leg's deadline when sent to a partner, and what the user wrote."""
    data = event.data or {}
    parts = [history.ACTION_LABELS.get(event.action, event.action)]
    if data.get("leg_due_at") and event.action == "send_to_partner":
        parts.append("hạn trả lại " + vn_datetime(datetime.fromisoformat(data["leg_due_at"])))
    parts += [text for text in (data.get("reason"), data.get("remark")) if text]
    return "; ".join(parts)


def co_operating_agencies(dossier: Dossier) -> list[Agency]:
    """The partner agencies the dossier went to, once each, in order of first sending."""
    seen = {}
    for leg in sorted(dossier.legs, key=lambda leg: leg.sent_at):
        seen.setdefault(leg.partner_id, leg.partner)
    return list(seen.values())
