"""The append-only history of each dossier: one event per change, never edited or deleted."""
import sqlalchemy as sa

from .extensions import db
from .models import Dossier, Event


ACTION_LABELS = {
    "receive": "Tiếp nhận hồ sơ",
    "hand_over": "Bàn giao",
    "request_supplement": "Yêu cầu bổ sung",
    "resume": "Tiếp tục xử lý sau bổ sung",
    "send_to_partner": "Chuyển liên thông",
    "partner_returned": "Nhận lại từ cơ quan phối hợp",
    "submit_for_approval": "Trình phê duyệt",
    "approve": "Phê duyệt",
    "mark_ready": "Có kết quả",
    "return_result": "Trả kết quả",
    "refuse": "Từ chối giải quyết",
    "withdraw": "Công dân rút hồ sơ",
    "apologize": "Xin lỗi, hẹn lại ngày trả",
    "reschedule": "Hẹn trả chuyển ngày",
    "rejudge": "Đánh giá lại tiến độ sau khi sửa lịch",
    "attach_file": "Đính kèm tệp số hóa",
    "remove_file": "Xóa tệp số hóa",
}


def record(dossier: Dossier, action: str, now, actor=None, **fields) -> Event:
    """Add an event to the dossier's history (the caller commits)."""
    event = Event(dossier=dossier, action=action, at=now, actor=actor, **fields)
    db.session.add(event)
    from .notifications import outbox  # imported here: notifications builds on the models this module serves

    outbox.on_event(event)  # the citizen's messages go in the same transaction as the step
    return event


def _refuse_changes_to_events(session, flush_context, instances):
    for event in (*session.dirty, *session.deleted):
        if isinstance(event, Event) and (event in session.deleted or session.is_modified(event)):
            raise PermissionError("Nhật ký hồ sơ chỉ được ghi thêm, không được sửa hay xóa.")


sa.event.listen(sa.orm.Session, "before_flush", _refuse_changes_to_events)
