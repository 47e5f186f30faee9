"""Asking the citizen for missing documents (Form 02), resuming, and the apology for a late result (Form 04).

Functions check who may act and the dossier's state before changing anything, and never commit.
"""
from datetime import datetime, timedelta

from . import deadlines, dossiers
from .clock import VN, as_aware
from .errors import WorkflowError
from .extensions import db
from .formatting import vn_datetime, working_duration
from .handovers import is_holder, is_staff_of, record_step, require, require_open, require_status
from .models import Dossier, DossierStatus, Event, Pause, User


def check_request_supplement(dossier: Dossier, user: User, now: datetime) -> None:
    """Only the holder, while processing, and once per dossier (domain.md §3)."""
    require_status(dossier, DossierStatus.PROCESSING, doing="yêu cầu bổ sung")
    require(is_holder(dossier, user), "Chỉ người đang giữ hồ sơ mới được yêu cầu bổ sung.")
    # domain.md §3: during processing the agency may ask for a supplement once only.
    require(not dossier.pauses, f"Hồ sơ {dossier.code} đã được yêu cầu bổ sung một lần; "
                                "theo quy định chỉ được yêu cầu bổ sung một lần.")


def request_supplement(dossier: Dossier, user: User, *, reason: str, items: list[str], now: datetime,
                       calendar=None) -> Event:
    """Stop the clock and list what the citizen must bring (printed as Form 02)."""
    check_request_supplement(dossier, user, now)
    reason = (reason or "").strip()
    items = [item.strip() for item in items or [] if item and item.strip()]
    if not reason:
        raise WorkflowError("Cần ghi lý do yêu cầu bổ sung.", field="reason")
    if not items:
        raise WorkflowError("Cần liệt kê ít nhất một giấy tờ cần bổ sung, hoàn thiện.", field="items")
    db.session.add(Pause(dossier=dossier, started_at=now, reason=reason, items=items))
    return record_step(dossier, "request_supplement", user, now, status=DossierStatus.AWAITING_SUPPLEMENT,
                       holder=dossier.holder_user, holder_agency=dossier.holder_agency, step_due_at=dossier.due_at,
                       note=f"Lý do: {reason}. Cần bổ sung: {'; '.join(items)}.",
                       public_note="Tạm dừng, chờ công dân bổ sung hồ sơ",
                       data={"reason": reason, "items": items})


def check_resume(dossier: Dossier, user: User, now: datetime) -> None:
    """The clerk who takes the citizen's documents, or the holder."""
    require_status(dossier, DossierStatus.AWAITING_SUPPLEMENT, doing="tiếp tục xử lý")
    require(is_holder(dossier, user) or is_staff_of(user, dossier.agency, "clerk"),
            "Chỉ cán bộ Bộ phận Một cửa hoặc người đang giữ hồ sơ mới được ghi nhận bổ sung và tiếp tục xử lý.")


def resume(dossier: Dossier, user: User, *, now: datetime, calendar: deadlines.Calendar, note: str = "") -> Event:
    """End the pause; due_at moves later by exactly the paused working time, and the event says so."""
    check_resume(dossier, user, now)
    old_due, old_promise = dossier.due_at, dossier.promised_at
    added = add_supplied_papers(dossier)
    end_pause(dossier, now, calendar)
    moved = deadlines.working_time_between(old_due, dossier.due_at, calendar)
    text = (f"Hạn giải quyết lùi thêm {working_hours(moved)} làm việc, từ {vn_datetime(old_due)} "
            f"sang {vn_datetime(dossier.due_at)}.")
    if added:
        text += " Giấy tờ đã bổ sung: " + "; ".join(added) + "."
    public = (f"Đã nhận hồ sơ bổ sung; hẹn trả chuyển từ {vn_datetime(old_promise)} sang "
              f"{vn_datetime(dossier.promised_at)}" if dossier.promised_at != old_promise else "Đã nhận hồ sơ bổ sung")
    return record_step(dossier, "resume", user, now, status=DossierStatus.PROCESSING, holder=dossier.holder_user,
                       holder_agency=dossier.holder_agency, step_due_at=dossier.due_at,
                       note=text, remark=note, public_note=public,
                       data={"old_due_at": old_due.isoformat(), "new_due_at": dossier.due_at.isoformat(),
                             "moved_seconds": int(moved.total_seconds())})


def add_supplied_papers(dossier: Dossier) -> list[str]:
    """The papers asked for in the open pause join the dossier's documents (those not listed yet); their names."""
    asked = [item for pause in dossier.pauses if pause.ended_at is None for item in pause.items or []]
    listed = {document.get("name") for document in dossier.documents or [] if isinstance(document, dict)}
    added = [item for item in dict.fromkeys(asked) if item and item not in listed]
    # A new list, so that the JSON column is written.
    dossier.documents = [*(dossier.documents or []),
                         *({"name": item, "kind": "original", "count": 1} for item in added)]
    return added


def end_pause(dossier: Dossier, now: datetime, calendar: deadlines.Calendar) -> None:
    """Close an open pause and recompute due_at; the promise follows unless an apology set it."""
    open_pauses = [pause for pause in dossier.pauses if pause.ended_at is None]
    if not open_pauses:
        return
    for pause in open_pauses:
        pause.ended_at = now
    dossier.due_at = dossiers.computed_due(dossier, calendar)
    if not has_apologized(dossier):
        dossier.promised_at = dossier.due_at


def working_hours(amount: timedelta) -> str:
    """'33 giờ' or '2 giờ 30 phút' of working time."""
    return working_duration(amount, timedelta(days=10_000)) if amount else "0 giờ"


def has_apologized(dossier: Dossier, agency=None) -> bool:
    """Whether the agency (any agency when None) already apologised for this dossier."""
    return any(event.action == "apologize" and (agency is None or _at_fault(event) == agency.id)
               for event in dossier.events)


def _at_fault(event: Event) -> int | None:
    # Older apologies carry no agency: they were the receiving agency's (only it could apologise then).
    return (event.data or {}).get("agency_id") or event.dossier.agency_id


def agency_at_fault(dossier: Dossier, user: User):
    """The agency whose leader apologises: the receiving agency, or the partner holding the dossier now."""
    for agency in (dossier.agency, dossier.holder_agency):
        if agency is not None and is_staff_of(user, agency, "leader"):
            return agency
    return None


def is_working_moment(moment: datetime, calendar: deadlines.Calendar) -> bool:
    """Whether a moment falls on a working day inside (or at the end of) a working session."""
    local_moment = as_aware(moment).astimezone(VN)
    if not calendar.is_working_day(local_moment.date()):
        return False
    clock_time = local_moment.time().replace(tzinfo=None)
    return any(opens <= clock_time <= closes for opens, closes in calendar.sessions)


def check_apologize(dossier: Dossier, user: User, now: datetime) -> None:
    """A leader of the agency at fault, once per agency (Form 04; domain.md §3)."""
    require_open(dossier, doing="xin lỗi, hẹn lại")
    agency = agency_at_fault(dossier, user)
    require(agency is not None, "Chỉ lãnh đạo cơ quan đang giải quyết hồ sơ mới được ký văn bản xin lỗi và hẹn lại ngày trả.")
    require(not has_apologized(dossier, agency),
            f"{agency.name} đã có văn bản xin lỗi cho hồ sơ {dossier.code}; mỗi cơ quan chỉ được hẹn lại một lần.")
    # No deadline check: the desk must be able to give an overdue citizen a new date; an apology after
    # due_at is marked late (issue 14), and the statistics still judge the dossier against due_at.


def apologize(dossier: Dossier, user: User, *, reason: str, new_promised_at: datetime, now: datetime,
              calendar: deadlines.Calendar) -> Event:
    """Promise the citizen a later date (Form 04); due_at stays, statistics still judge against it.

    Under the 2025 regime Form 04 is "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    (Circular 03/2025/TT-VPCP, Phụ lục I): addressed to the citizen, asking for the extension.
    """
    check_apologize(dossier, user, now)
    agency = agency_at_fault(dossier, user)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("Cần ghi lý do chậm trả kết quả.", field="reason")
    if new_promised_at is None:
        raise WorkflowError("Cần chọn ngày hẹn trả mới.", field="new_promised_at")
    new_promised_at, old_promise = as_aware(new_promised_at), dossier.promised_at
    if new_promised_at <= max(old_promise, now):
        raise WorkflowError(f"Ngày hẹn trả mới phải sau ngày hẹn hiện tại ({vn_datetime(old_promise)}) "
                            "và sau thời điểm hiện tại.", field="new_promised_at")
    if not is_working_moment(new_promised_at, calendar):
        raise WorkflowError(f"Ngày hẹn trả mới ({vn_datetime(new_promised_at)}) không phải thời gian làm việc: "
                            "hãy chọn một ngày làm việc, trong giờ làm việc.", field="new_promised_at")
    late = now >= dossier.due_at
    left = deadlines.working_time_left(now, dossier.due_at, calendar)
    warning = (f"Lưu ý: chỉ còn {working_duration(left, calendar.day_length)} làm việc đến hạn giải quyết "
               f"({vn_datetime(dossier.due_at)}); hãy gửi văn bản xin lỗi cho công dân ngay."
               if not late and left < calendar.day_length else "")
    late_note = f" Xin lỗi sau khi đã quá hạn giải quyết ({vn_datetime(dossier.due_at)})." if late else ""
    dossier.promised_at = new_promised_at
    return record_step(dossier, "apologize", user, now, status=dossier.status, holder=dossier.holder_user,
                       holder_agency=dossier.holder_agency, step_due_at=dossier.due_at, judged=True,
                       note=f"Lý do: {reason}. Hẹn trả chuyển từ {vn_datetime(old_promise)} "
                            f"sang {vn_datetime(new_promised_at)}.{late_note}",
                       public_note=f"Hẹn trả chuyển từ {vn_datetime(old_promise)} sang {vn_datetime(new_promised_at)}",
                       data={"reason": reason, "old_promised_at": old_promise.isoformat(),
                             "new_promised_at": new_promised_at.isoformat(), "warning": warning,
                             "agency_id": agency.id, "agency_name": agency.name, "late": late})
