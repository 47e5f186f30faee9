"""Calendar changes move the appointments of open dossiers and legs, with one event each."""
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from onestop import calendars, deadlines, dossiers, schedule, transfers
from onestop.clock import VN
from onestop.errors import WorkflowError
from onestop.models import (
    Agency,
    CalendarOverride,
    Dossier,
    DossierStatus,
    Event,
    Leg,
    Pause,
    Procedure,
    Timeliness,
    User,
)

NOW = datetime(2026, 3, 5, 9, 0, tzinfo=VN)  # Thursday
MONDAY = date(2026, 3, 9)
REASON = "Nghỉ bù theo thông báo của UBND tỉnh"


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


def user(session, name: str) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def receive(session, procedure_code="1.004837", now=NOW) -> Dossier:
    """A 3-working-day dossier received Thu 05/03/2026 09:00: due Tue 10/03/2026 09:00."""
    procedure = session.scalar(sa.select(Procedure).where(Procedure.code == procedure_code))
    clerk = user(session, "clerk")
    dossier = dossiers.receive(procedure, dossiers.Applicant(name="Trần Thị Bình"), dossiers.Intake(),
                               agency=clerk.agency, clerk=clerk, now=now, calendar=calendars.current())
    session.flush()
    return dossier


def reschedules(dossier: Dossier) -> list[Event]:
    return [event for event in dossier.events if event.action == "reschedule"]


@pytest.fixture
def admin(demo, session):
    return user(session, "admin")


def test_day_off_added_after_intake_moves_the_due_a_working_day_later_with_an_event(session, admin):
    dossier = receive(session)
    assert dossier.due_at == at(10, 9)
    _, moves = schedule.add_override(MONDAY, "off", REASON, admin, NOW)
    assert [(move.dossier, move.old, move.new) for move in moves] == [(dossier, at(10, 9), at(11, 9))]
    assert (moves[0].working, moves[0].days) == (timedelta(hours=8), 1)
    assert dossier.due_at == dossier.promised_at == at(11, 9)
    assert dossier.due_on == date(2026, 3, 11)
    [event] = reschedules(dossier)
    text = f"Hẹn trả chuyển từ 09:00 10/03/2026 sang 09:00 11/03/2026 vì {REASON}"
    assert (event.note, event.public_note, event.actor, event.step_due_at) == (text, text, admin, at(11, 9))
    assert session.scalar(sa.select(CalendarOverride.reason).where(CalendarOverride.day == MONDAY)) == REASON
    assert not calendars.current().is_working_day(MONDAY)  # the cached calendar sees the new row


def test_preview_changes_nothing(session, admin):
    dossier = receive(session)
    moves = schedule.preview_override(MONDAY, "off", REASON, NOW)
    assert [(move.old, move.new) for move in moves] == [(at(10, 9), at(11, 9))]
    assert dossier.due_at == at(10, 9) and reschedules(dossier) == []
    assert session.scalar(sa.select(sa.func.count(CalendarOverride.id))) == 0


def test_promise_set_by_an_apology_stays_while_the_legal_deadline_moves(session, admin):
    dossier = receive(session)
    dossier.promised_at = at(13, 17)  # a leader apologised and promised Friday
    schedule.add_override(MONDAY, "off", REASON, admin, NOW)
    assert dossier.due_at == at(11, 9)
    assert dossier.promised_at == at(13, 17)
    [event] = reschedules(dossier)
    assert event.public_note == ""  # what the citizen was told did not change
    assert "Hạn giải quyết chuyển từ 09:00 10/03/2026 sang 09:00 11/03/2026" in event.note
    assert "hẹn trả giữ nguyên 17:00 13/03/2026" in event.note


def test_removing_the_day_off_restores_the_due_with_a_second_event(session, admin):
    dossier = receive(session)
    override, _ = schedule.add_override(MONDAY, "off", REASON, admin, NOW)
    moves = schedule.remove_override(override, admin, NOW)
    assert [(move.old, move.new, move.working, move.days) for move in moves] == [
        (at(11, 9), at(10, 9), -timedelta(hours=8), -1)]
    assert dossier.due_at == dossier.promised_at == at(10, 9)
    assert [event.note for event in reschedules(dossier)][-1] == (
        f"Hẹn trả chuyển từ 09:00 11/03/2026 sang 09:00 10/03/2026 vì bỏ ngày nghỉ 09/03/2026 ({REASON})")
    assert session.scalar(sa.select(sa.func.count(CalendarOverride.id))) == 0
    assert calendars.current().is_working_day(MONDAY)


def test_a_saturday_made_working_brings_the_due_earlier(session, admin):
    dossier = receive(session)
    schedule.add_override(date(2026, 3, 7), "workday", "Làm bù cho ngày nghỉ 30/04", admin, NOW)
    assert dossier.due_at == at(9, 9)


@pytest.mark.parametrize("status", [DossierStatus.RESULT_READY, DossierStatus.RETURNED, DossierStatus.REFUSED,
                                    DossierStatus.WITHDRAWN])
def test_completed_dossiers_never_move(session, admin, status):
    dossier = receive(session)
    dossier.status, dossier.completed_at, dossier.timeliness = status, at(6, 10), Timeliness.EARLY
    _, moves = schedule.add_override(MONDAY, "off", REASON, admin, NOW)
    assert moves == [] and dossier.due_at == at(10, 9) and reschedules(dossier) == []


def test_a_day_off_outside_the_dossier_time_moves_nothing(session, admin):
    dossier = receive(session)
    _, moves = schedule.add_override(date(2026, 3, 12), "off", REASON, admin, NOW)
    assert moves == [] and dossier.due_at == at(10, 9) and reschedules(dossier) == []


def test_a_dossier_waiting_for_a_supplement_keeps_no_date_and_does_not_move(session, admin):
    dossier = receive(session)
    dossier.status = DossierStatus.AWAITING_SUPPLEMENT
    session.add(Pause(dossier=dossier, started_at=at(5, 10)))
    _, moves = schedule.add_override(MONDAY, "off", REASON, admin, NOW)
    assert moves == [] and reschedules(dossier) == []


def test_a_resumed_dossier_is_recomputed_with_its_pause(session, admin):
    dossier = receive(session)
    dossier.status = DossierStatus.PROCESSING
    session.add(Pause(dossier=dossier, started_at=at(5, 10), ended_at=at(6, 10)))  # one working day paused
    dossier.due_at = dossier.promised_at = at(11, 9)
    _, moves = schedule.add_override(MONDAY, "off", REASON, admin, NOW)
    assert [(move.old, move.new) for move in moves] == [(at(11, 9), at(12, 9))]


def test_an_open_leg_moves_and_the_dossier_gets_one_event(session, admin):
    dossier = receive(session)
    land_office = session.scalar(sa.select(Agency).where(Agency.code == "000.00.31.H57"))
    calendar = calendars.current()
    leg = Leg(dossier=dossier, partner=land_office, sent_at=at(5, 9, 30), share_value=3,
              due_at=deadlines.add_working_time(at(5, 9, 30), calendar.day_length * 3, calendar))
    session.add(leg)
    session.flush()
    dossier.status = DossierStatus.AT_PARTNER
    assert leg.due_at == transfers.leg_due_at(leg, calendar) == at(10, 9, 30)
    _, moves = schedule.add_override(MONDAY, "off", REASON, admin, NOW)
    assert [(move.leg, move.new) for move in moves] == [(None, at(11, 9)), (leg, at(11, 9, 30))]
    assert leg.due_at == at(11, 9, 30)
    [event] = reschedules(dossier)
    assert event.note.startswith("Hẹn trả chuyển từ 09:00 10/03/2026 sang 09:00 11/03/2026")
    assert f"Hạn liên thông tại {land_office.name} chuyển từ 09:30 10/03/2026 sang 09:30 11/03/2026" in event.note


def test_a_returned_leg_does_not_move(session, admin):
    dossier = receive(session)
    land_office = session.scalar(sa.select(Agency).where(Agency.code == "000.00.31.H57"))
    leg = Leg(dossier=dossier, partner=land_office, sent_at=at(5, 9, 30), share_value=3, due_at=at(10, 9, 30),
              returned_at=at(6, 9))
    session.add(leg)
    _, moves = schedule.add_override(MONDAY, "off", REASON, admin, NOW)
    assert [move.leg for move in moves] == [None] and leg.due_at == at(10, 9, 30)


def test_an_overdue_dossier_moved_past_now_is_flagged(session, admin):
    dossier = receive(session, now=at(2, 9))  # Mon 02/03 + 3 working days = Thu 05/03 09:00
    _, moves = schedule.add_override(date(2026, 3, 3), "off", "Sự cố mất điện", admin, at(5, 10))
    assert (moves[0].old, moves[0].new) == (at(5, 9), at(6, 9))
    assert (moves[0].was_overdue, moves[0].is_overdue) == (True, False)
    assert dossier.due_at == at(6, 9)


@pytest.mark.parametrize(("day", "kind", "reason", "message"), [
    (date(2026, 3, 8), "off", REASON, "Ngày 08/03/2026 vốn đã là ngày nghỉ (Chủ nhật)."),
    (date(2026, 4, 30), "off", REASON, "Ngày 30/04/2026 vốn đã là ngày nghỉ (Ngày Chiến thắng)."),
    (MONDAY, "workday", REASON, "Ngày 09/03/2026 vốn đã là ngày làm việc."),
    (date(2026, 1, 10), "workday", REASON, "Ngày 10/01/2026 vốn đã là ngày làm việc."),  # a checked make-up Saturday
    (MONDAY, "off", "   ", "Cần ghi lý do điều chỉnh lịch."),
    (MONDAY, "holiday", REASON, "Loại điều chỉnh phải là ngày nghỉ hoặc ngày làm việc."),
])
def test_pointless_or_incomplete_overrides_are_refused(session, admin, day, kind, reason, message):
    dossier = receive(session)
    with pytest.raises(WorkflowError) as refused:
        schedule.add_override(day, kind, reason, admin, NOW)
    assert str(refused.value) == message
    assert session.scalar(sa.select(sa.func.count(CalendarOverride.id))) == 0
    assert dossier.due_at == at(10, 9) and reschedules(dossier) == []


def test_a_second_override_on_the_same_day_is_refused(session, admin):
    schedule.add_override(MONDAY, "off", REASON, admin, NOW)
    with pytest.raises(WorkflowError, match="Ngày 09/03/2026 đã có điều chỉnh"):
        schedule.add_override(MONDAY, "off", "Lý do khác", admin, NOW)
    assert session.scalar(sa.select(sa.func.count(CalendarOverride.id))) == 1


def test_new_working_hours_move_open_dossiers(session, admin):
    dossier = receive(session)
    sessions = ((time(9, 30), time(11, 30)), (time(13, 30), time(17)))  # the desk opens at 09:30
    moves = schedule.change_hours(sessions, time(15), admin, NOW)
    # Received at 09:00, counting now starts when Thursday's first session opens: three whole
    # working days (Thu, Fri, Mon) are used up at Mon 09/03 17:00.
    assert [(move.old, move.new) for move in moves] == [(at(10, 9), at(9, 17))]
    assert dossier.due_at == at(9, 17)
    assert reschedules(dossier)[0].note.endswith("vì thay đổi giờ làm việc")
    assert calendars.current().sessions == sessions


def test_overlapping_hours_are_refused(session, admin):
    with pytest.raises(WorkflowError, match="không chồng lên nhau"):
        schedule.preview_hours(((time(7), time(12)), (time(11), time(17))), time(15), NOW)
