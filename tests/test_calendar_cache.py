"""Issue 15, item 5: each process caches the working calendar and rebuilds it only when the stamp
that every calendar write replaces (in the same transaction) has changed — never by time."""
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from onestop import calendars, catalogue, schedule, settings, tokens
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import CalendarOverride, Setting, User

NOW = datetime(2026, 3, 5, 9, 0, tzinfo=VN)
MONDAY = date(2026, 3, 9)


@pytest.fixture
def stamped(app):
    """A database with a stamp (as `db upgrade` leaves it) and a calendar cached from it."""
    with app.app_context():
        calendars.changed()
        db.session.commit()
        calendars.current()
    return app


def stamp(app) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Setting.value).where(Setting.key == calendars.STAMP_KEY))


def statements(app, action) -> int:
    """How many SQL queries `action` runs in a fresh app context (SQLite's BEGIN aside)."""
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            action()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
    return len([sql for sql in seen if not sql.startswith("BEGIN")])


def test_the_cached_calendar_costs_one_tiny_query(stamped):
    assert statements(stamped, calendars.current) == 1
    with stamped.app_context():
        assert calendars.current() is calendars.current()
    stamped.config["CALENDAR_CACHE"] = False  # the benchmark's baseline reads settings and overrides
    assert statements(stamped, calendars.current) >= 2


def test_the_calendar_and_the_regime_switch_day_come_in_one_query_and_the_switch_is_never_stale(stamped):
    assert statements(stamped, calendars.in_force) == 1
    with stamped.app_context():
        assert calendars.in_force().calendar is calendars.current()
        assert calendars.in_force().regime_switch == date(2025, 9, 15)  # the default: Circular 03/2025's forms
        settings.put("regime_switch_date", "2026-03-03")
        db.session.commit()
        assert calendars.in_force().regime_switch == date(2026, 3, 3)


def _add(app):
    schedule.add_override(MONDAY, "off", "Nghỉ theo thông báo", None, NOW)


def _remove(app):
    schedule.remove_override(db.session.scalar(sa.select(CalendarOverride)), None, NOW)


def _confirm(app):
    schedule.confirm_days([date(2026, 11, 24)], "Bộ luật Lao động sửa đổi", None, NOW)


def _hours(app):
    schedule.change_hours(((time(7, 30), time(11, 30)), (time(13, 30), time(17))), time(15), None, NOW)


def _cutoff(app):
    settings.put("same_day_cutoff", "16:00")


def _edit(app):
    db.session.scalar(sa.select(CalendarOverride)).kind = "workday"


WRITES = {"add override": (_add, lambda c: not c.is_working_day(MONDAY)),
          "remove override": (_remove, lambda c: c.is_working_day(MONDAY)),
          "confirm": (_confirm, lambda c: not c.is_working_day(date(2026, 11, 24))),
          "sessions": (_hours, lambda c: c.sessions[0][0] == time(7, 30)),
          "cut-off": (_cutoff, lambda c: c.same_day_cutoff == time(16)),
          "override edited": (_edit, lambda c: c.is_working_day(MONDAY))}


@pytest.mark.parametrize("path", list(WRITES))
def test_every_calendar_write_replaces_the_stamp_in_its_transaction(stamped, path):
    write, effect = WRITES[path]
    if path in ("remove override", "override edited"):
        with stamped.app_context():
            _add(stamped)
            db.session.commit()
            calendars.current()  # cached with the override
    before = stamp(stamped)
    with stamped.app_context():
        write(stamped)
        db.session.rollback()  # a write that does not commit changes nothing, the cache included
    assert stamp(stamped) == before
    with stamped.app_context():
        assert not effect(calendars.current())
        write(stamped)
        db.session.commit()
    assert stamp(stamped) != before
    with stamped.app_context():
        assert effect(calendars.current())  # this process rebuilt it at the next request


def test_a_write_by_another_server_is_seen_at_the_next_request(stamped):
    with stamped.app_context():
        assert calendars.current().is_working_day(MONDAY)
    monday_off_by_another_server(stamped)
    with stamped.app_context():
        assert not calendars.current().is_working_day(MONDAY)


def monday_off_by_another_server(app) -> None:
    """Another gunicorn worker or app server gives MONDAY off: its own engine and session on the same database."""
    with app.app_context():
        other = sa.create_engine(db.engine.url)
    try:
        with sa.orm.Session(other) as session:
            session.add(CalendarOverride(day=MONDAY, kind="off", reason="Nghỉ theo thông báo", created_at=NOW))
            session.commit()
    finally:
        other.dispose()


def test_other_settings_keep_the_stamp(stamped):
    before = stamp(stamped)
    with stamped.app_context():
        settings.put("place_name", "Quảng Phú")
        db.session.commit()
    assert stamp(stamped) == before


def test_the_api_intake_reads_its_procedure_and_the_calendar_in_one_query_and_sees_another_server_s_write(
        stamped, demo):
    with stamped.app_context():
        token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == "clerk")))
        db.session.commit()
        assert statements(stamped, lambda: catalogue.find_in_force("1.004837")) == 1
        procedure, calendar = catalogue.find_in_force("1.004837")
        assert procedure.code == "1.004837" and calendar is calendars.current()  # the cached one
        assert catalogue.find_in_force("9.999999") is None

    def intake():
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        with stamped.app_context():
            sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            answer = stamped.test_client().post(
                "/api/v1/dossiers", json={"procedure_code": "1.004837", "applicant": {"name": "Phạm Văn Dũng"}},
                headers={"Authorization": f"Bearer {token}"})
        finally:
            with stamped.app_context():
                sa.event.remove(db.engine, "before_cursor_execute", listener)
        assert answer.status_code == 201, answer.text
        assert not [sql for sql in seen if sql.lstrip().startswith("SELECT setting.value")]  # no query of its own
        return answer.json["due_at"]

    assert intake() == "2026-03-10T09:00:00+07:00"  # Thu 05/03 09:00 + 3 working days
    monday_off_by_another_server(stamped)
    assert intake() == "2026-03-11T09:00:00+07:00"  # Monday 09/03 is off now
