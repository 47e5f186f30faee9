"""The processing workflow (DESIGN.md §4): which steps a user may take on a dossier now, and the steps.

Every step checks role, holder and state before it changes anything, raises WorkflowError with
the reason otherwise, writes one event and never commits. Supplements and apologies live in
supplements.py, inter-agency legs in transfers.py; this module holds the table that joins them.
"""
from collections.abc import Callable
from datetime import datetime

from . import clock, deadlines, regimes, supplements, transfers
from .errors import WorkflowError
from .handovers import (
    STAFF_ROLES, is_holder, is_staff_of, record_step, require, require_open, require_role, require_status,
    timeliness_of,
)
from .models import Dossier, DossierStatus, Event, User

HANDOVER_STATUSES = (DossierStatus.RECEIVED, DossierStatus.PROCESSING)


def check_hand_over(dossier: Dossier, user: User, now: datetime) -> None:
    """The holder gives it, or a colleague takes it (the scan "nhận từ …")."""
    require_status(dossier, *HANDOVER_STATUSES, doing="bàn giao")
    require(is_staff_of(user, dossier.agency), f"Chỉ cán bộ của {dossier.agency.name} mới được giao, nhận hồ sơ này.")


def hand_over(dossier: Dossier, user: User, *, to_user: User, now: datetime, calendar=None, note: str = "") -> Event:
    """Move the folder to another pair of hands: a Form 05 row judged against the dossier's due_at."""
    check_hand_over(dossier, user, now)
    if to_user is None:
        raise WorkflowError("Cần chọn người nhận hồ sơ.", field="to_user")
    if not is_holder(dossier, user):
        require(to_user.id == user.id, "Chỉ người đang giữ hồ sơ mới được giao cho người khác; "
                                       "bạn chỉ có thể nhận hồ sơ về mình.")
    require(not is_holder(dossier, to_user), f"{to_user.display_name} đang giữ hồ sơ này rồi.")
    require(is_staff_of(to_user, dossier.agency),
            f"{to_user.display_name} không phải cán bộ đang làm việc tại {dossier.agency.name}.")
    return record_step(dossier, "hand_over", user, now, status=DossierStatus.PROCESSING, holder=to_user,
                       holder_agency=dossier.agency, step_due_at=dossier.due_at, judged=True,
                       remark=note, public_note="Đang xử lý")


def is_approved(dossier: Dossier) -> bool:
    """Whether a leader approved the dossier since it was last submitted."""
    steps = [event.action for event in dossier.events if event.action in ("submit_for_approval", "approve")]
    return bool(steps) and steps[-1] == "approve"


def check_submit_for_approval(dossier: Dossier, user: User, now: datetime) -> None:
    """The holder submits, when the procedure needs a leader's approval and has none yet."""
    require_status(dossier, DossierStatus.PROCESSING, doing="trình phê duyệt")
    require(is_holder(dossier, user), "Chỉ người đang giữ hồ sơ mới được trình lãnh đạo phê duyệt.")
    require(dossier.procedure.approval_required, "Thủ tục này không cần lãnh đạo phê duyệt kết quả.")
    require(not is_approved(dossier), f"Hồ sơ {dossier.code} đã được lãnh đạo phê duyệt.")


def submit_for_approval(dossier: Dossier, user: User, *, now: datetime, calendar=None, note: str = "") -> Event:
    """Put the draft result before the agency's leaders."""
    check_submit_for_approval(dossier, user, now)
    return record_step(dossier, "submit_for_approval", user, now, status=DossierStatus.AWAITING_APPROVAL,
                       holder=None, holder_agency=dossier.agency, step_due_at=dossier.due_at, judged=True,
                       remark=note, public_note="Đang trình lãnh đạo phê duyệt")


def check_approve(dossier: Dossier, user: User, now: datetime) -> None:
    """A leader of the receiving agency approves what was submitted."""
    require_status(dossier, DossierStatus.AWAITING_APPROVAL, doing="phê duyệt")
    require_role(dossier, user, "leader", "Chỉ lãnh đạo cơ quan mới được phê duyệt hồ sơ.")


def approve(dossier: Dossier, user: User, *, now: datetime, calendar=None, note: str = "") -> Event:
    """Sign off the result and send the dossier back to whoever submitted it."""
    check_approve(dossier, user, now)
    submitted = next((event for event in reversed(dossier.events) if event.action == "submit_for_approval"), None)
    submitter = submitted.from_user if submitted is not None and submitted.from_user is not None else None
    submitter = submitter if submitter is not None and submitter.active else None
    return record_step(dossier, "approve", user, now, status=DossierStatus.PROCESSING, holder=submitter,
                       holder_agency=dossier.agency, from_user=user, step_due_at=dossier.due_at, judged=True,
                       remark=note, public_note="Lãnh đạo đã phê duyệt")


def check_mark_ready(dossier: Dossier, user: User, now: datetime) -> None:
    """The holder or a clerk, once a leader approved where the procedure needs it."""
    require_status(dossier, DossierStatus.PROCESSING, doing="chuyển kết quả về Bộ phận Một cửa")
    require(is_holder(dossier, user) or is_staff_of(user, dossier.agency, "clerk"),
            "Chỉ người đang giữ hồ sơ hoặc cán bộ Bộ phận Một cửa mới được ghi nhận có kết quả.")
    require(not dossier.procedure.approval_required or is_approved(dossier),
            "Thủ tục này cần lãnh đạo phê duyệt trước khi có kết quả: hãy trình phê duyệt.")


def mark_ready(dossier: Dossier, user: User, *, now: datetime, calendar=None, note: str = "") -> Event:
    """The result is done and goes to the desk; the dossier's timeliness is fixed now."""
    check_mark_ready(dossier, user, now)
    _complete(dossier, now)
    return record_step(dossier, "mark_ready", user, now, status=DossierStatus.RESULT_READY, holder=None,
                       holder_agency=dossier.agency, step_due_at=dossier.due_at, judged=True,
                       remark=note, public_note="Đã có kết quả, mời công dân đến nhận")


def check_return_result(dossier: Dossier, user: User, now: datetime) -> None:
    """Only the desk hands results to citizens."""
    require_status(dossier, DossierStatus.RESULT_READY, doing="trả kết quả")
    require_role(dossier, user, "clerk", "Chỉ cán bộ Bộ phận Một cửa được trả kết quả.")


def return_result(dossier: Dossier, user: User, *, recipient: str, now: datetime, calendar=None) -> Event:
    """The citizen collected the result; note who signed for it."""
    check_return_result(dossier, user, now)
    recipient = (recipient or "").strip()
    if not recipient:
        raise WorkflowError("Cần ghi tên người nhận kết quả.", field="recipient")
    dossier.returned_at, dossier.returned_to = now, recipient
    return record_step(dossier, "return_result", user, now, status=DossierStatus.RETURNED, holder=None,
                       holder_agency=dossier.agency, from_user=user, note=f"Người nhận: {recipient}",
                       public_note="Đã trả kết quả")


def check_refuse(dossier: Dossier, user: User, now: datetime) -> None:
    """Only a leader refuses, at any open step."""
    require_open(dossier, doing="từ chối giải quyết")
    require_role(dossier, user, "leader", "Chỉ lãnh đạo cơ quan mới được từ chối giải quyết hồ sơ.")


def refuse(dossier: Dossier, user: User, *, reason: str, now: datetime, calendar: deadlines.Calendar) -> Event:
    """Stop processing with a written reason (Form 03); the folder goes back to the desk."""
    check_refuse(dossier, user, now)
    return _close(dossier, user, "refuse", DossierStatus.REFUSED, reason, now, calendar,
                  "Cần ghi lý do từ chối giải quyết.", "Từ chối giải quyết")


def check_withdraw(dossier: Dossier, user: User, now: datetime) -> None:
    """The desk records the citizen's request to withdraw, at any open step."""
    require_open(dossier, doing="rút hồ sơ")
    require_role(dossier, user, "clerk", "Chỉ cán bộ Bộ phận Một cửa mới được ghi nhận công dân rút hồ sơ.")


def withdraw(dossier: Dossier, user: User, *, reason: str, now: datetime, calendar: deadlines.Calendar) -> Event:
    """The citizen takes the dossier back; it counts as resolved with its timeliness (domain.md §5)."""
    check_withdraw(dossier, user, now)
    return _close(dossier, user, "withdraw", DossierStatus.WITHDRAWN, reason, now, calendar,
                  "Cần ghi lý do công dân rút hồ sơ.", "Công dân rút hồ sơ")


def check_stop(dossier: Dossier, user: User, now: datetime) -> None:
    """A leader of the receiving agency, at any open step, once the 2025 regime is in force."""
    require_open(dossier, doing="dừng giải quyết")
    require_role(dossier, user, "leader", "Chỉ lãnh đạo cơ quan mới được dừng giải quyết hồ sơ.")
    # Decree 118/2025/NĐ-CP art. 21 and Form 05 of Circular 03/2025/TT-VPCP: stopping a dossier, with a
    # written notice, exists from the 2025 regime on.
    require(regimes.at(now).form("stop") is not None,
            "Dừng giải quyết hồ sơ (Thông báo mẫu 05) chỉ áp dụng từ ngày áp dụng mẫu của Thông tư 03/2025/TT-VPCP.")


def stop(dossier: Dossier, user: User, *, reason: str, now: datetime, calendar: deadlines.Calendar) -> Event:
    """The agency stops processing where the law requires it (Decree 118/2025 art. 21), notifying the
    citizen with Form 05 of Circular 03/2025; it counts as resolved with its timeliness, as refused and
    withdrawn dossiers do (domain.md §5)."""
    check_stop(dossier, user, now)
    return _close(dossier, user, "stop", DossierStatus.STOPPED, reason, now, calendar,
                  "Cần ghi lý do dừng giải quyết hồ sơ.", "Dừng giải quyết hồ sơ")


def _close(dossier, user, action, status, reason, now, calendar, missing, public) -> Event:
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(missing, field="reason")
    supplements.end_pause(dossier, now, calendar)  # the paused time is not counted against the agency
    leg = transfers.close_open_leg(dossier, now)
    _complete(dossier, now)
    note = f"Lý do: {reason}." + (f" Lượt liên thông tại {leg.partner.name} kết thúc." if leg else "")
    return record_step(dossier, action, user, now, status=status, holder=None, holder_agency=dossier.agency,
                       step_due_at=dossier.due_at, judged=True, note=note, public_note=public,
                       data={"reason": reason})


def _complete(dossier: Dossier, now: datetime) -> None:
    # DESIGN.md §3: timeliness is fixed at completion, by local date against due_at.
    dossier.completed_at = now
    dossier.timeliness = timeliness_of(now, dossier.due_at)


CHECKS: dict[str, Callable] = {
    "hand_over": check_hand_over,
    "request_supplement": supplements.check_request_supplement,
    "resume": supplements.check_resume,
    "send_to_partner": transfers.check_send_to_partner,
    "partner_returned": transfers.check_partner_returned,
    "submit_for_approval": check_submit_for_approval,
    "approve": check_approve,
    "mark_ready": check_mark_ready,
    "return_result": check_return_result,
    "apologize": supplements.check_apologize,
    "refuse": check_refuse,
    "withdraw": check_withdraw,
    "stop": check_stop,
}
ACTIONS: dict[str, Callable] = {
    "hand_over": hand_over, "request_supplement": supplements.request_supplement, "resume": supplements.resume,
    "send_to_partner": transfers.send_to_partner, "partner_returned": transfers.partner_returned,
    "submit_for_approval": submit_for_approval, "approve": approve, "mark_ready": mark_ready,
    "return_result": return_result, "apologize": supplements.apologize, "refuse": refuse, "withdraw": withdraw,
    "stop": stop,
}


def available_actions(dossier: Dossier, user: User, now: datetime | None = None) -> list[str]:
    """The steps this user may take on this dossier now, in the order the panel offers them."""
    if not user.has_role(*STAFF_ROLES):
        return []
    now = now or clock.now()
    allowed = []
    for name, check in CHECKS.items():
        try:
            check(dossier, user, now)
        except WorkflowError:
            continue
        allowed.append(name)
    return allowed


def perform(action: str, dossier: Dossier, user: User, *, now: datetime, calendar: deadlines.Calendar,
            **params) -> Event:
    """Run one step by name (the desk's buttons and the API both come through here)."""
    step = ACTIONS.get(action)
    if step is None:
        raise WorkflowError(f"Thao tác không hợp lệ: “{action}”.", field="action")
    if not user.has_role(*STAFF_ROLES):
        raise WorkflowError("Tài khoản này không có vai trò xử lý hồ sơ.")
    return step(dossier, user, now=now, calendar=calendar, **params)
