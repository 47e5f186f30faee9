"""The append-only history of each dossier: one event per change, never edited or deleted."""
import sqlalchemy as sa

from .extensions import db
from .models import Dossier, Event
from .text import N_


ACTION_LABELS = {
    "receive": N_("Tiếp nhận hồ sơ"),
    "hand_over": N_("Bàn giao"),
    "request_supplement": N_("Yêu cầu bổ sung"),
    "resume": N_("Tiếp tục xử lý sau bổ sung"),
    "send_to_partner": N_("Chuyển liên thông"),
    "partner_returned": N_("Nhận lại từ cơ quan phối hợp"),
    "submit_for_approval": N_("Trình phê duyệt"),
    "approve": N_("Phê duyệt"),
    "mark_ready": N_("Có kết quả"),
    "return_result": N_("Trả kết quả"),
    "refuse": N_("Từ chối giải quyết"),
    "withdraw": N_("Công dân rút hồ sơ"),
    "stop": N_("Dừng giải quyết"),
    "apologize": N_("Xin lỗi, hẹn lại ngày trả"),
    "reschedule": N_("Hẹn trả chuyển ngày"),
    "rejudge": N_("Đánh giá lại tiến độ sau khi sửa lịch"),
    "attach_file": N_("Đính kèm tệp số hóa"),
    "remove_file": N_("Xóa tệp số hóa"),
}


def record(dossier: Dossier, action: str, now, actor=None, **fields) -> Event:
    """Add an event to the dossier's history (the caller commits)."""
    event = new_event(dossier, action, now, actor, **fields)
    db.session.add(event)
    recorded(event)
    return event


def new_event(dossier: Dossier, action: str, now, actor=None, **fields) -> Event:
    """The event, not yet in the session: for a caller that writes it itself (dossiers.receive)."""
    return Event(dossier=dossier, action=action, at=now, actor=actor, **fields)


def recorded(event: Event) -> None:
    """What follows an event once it is part of the history."""
    from .notifications import outbox  # imported here: notifications builds on the models this module serves

    outbox.on_event(event)  # the citizen's messages go in the same transaction as the step


def _refuse_changes_to_events(session, flush_context, instances):
    for event in (*session.dirty, *session.deleted):
        if isinstance(event, Event) and (event in session.deleted or session.is_modified(event)):
            raise PermissionError("Nhật ký hồ sơ chỉ được ghi thêm, không được sửa hay xóa.")


sa.event.listen(sa.orm.Session, "before_flush", _refuse_changes_to_events)
