"""Staff reminders: the holder when a step falls due within 4 working hours, the leaders when overdue; never twice."""
from datetime import datetime

import pytest
import sqlalchemy as sa

from conftest import _empty_tables, make_app
from lifecycle import build
from notify_servers import SmtpServer
from query_plans import add_closed_history, capturing, plan
from onestop import calendars
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import OutboxMessage, StaffReminder, User
from onestop.notifications import reminders

WEDNESDAY_10 = datetime(2026, 3, 4, 10, 0, tzinfo=VN)  # 6 working hours before Thu 05/03 08:00
WEDNESDAY_15 = datetime(2026, 3, 4, 15, 0, tzinfo=VN)  # 3 working hours before it
THURSDAY_9 = datetime(2026, 3, 5, 9, 0, tzinfo=VN)     # an hour late


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def app(database_url, smtp):
    app = make_app(database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    yield app
    _empty_tables(app)


@pytest.fixture
def code(app, demo):
    """A dossier the officer holds, due Thursday 05/03 08:00; the officer and the leader have e-mail addresses."""
    with app.app_context():
        for user in db.session.scalars(sa.select(User).where(User.username.in_(["officer", "leader"]))):
            user.email = f"{user.username}@quangtho.gov.vn"
        code = build("processing").code
        db.session.commit()
    return code


def cycle(app, runner, now):
    app.config["NOW"] = now.isoformat()
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return [(row.user.username, row.kind) for row in db.session.scalars(
            sa.select(StaffReminder).order_by(StaffReminder.id))]


def test_the_holder_is_reminded_once_within_four_working_hours_and_the_leader_when_overdue(
        app, runner, code, smtp, client):
    assert cycle(app, runner, WEDNESDAY_10) == []
    assert cycle(app, runner, WEDNESDAY_15) == [("officer", "due_soon")]
    assert cycle(app, runner, WEDNESDAY_15) == [("officer", "due_soon")]  # the same step: not again
    assert [(m["To"], m["Subject"]) for m in smtp.messages] == [
        ("officer@quangtho.gov.vn", f"Sắp đến hạn: hồ sơ {code}")]
    assert "08:00 05/03/2026" in smtp.messages[0].get_body(("plain",)).get_content()

    assert cycle(app, runner, THURSDAY_9) == [("officer", "due_soon"), ("leader", "overdue")]
    assert cycle(app, runner, THURSDAY_9) == [("officer", "due_soon"), ("leader", "overdue")]
    assert [m["To"] for m in smtp.messages] == ["officer@quangtho.gov.vn", "leader@quangtho.gov.vn"]
    assert "người đang giữ" in smtp.messages[1].get_body(("plain",)).get_content()

    client.post("/auth/login", data={"username": "officer", "password": "demo"})
    inbox = client.get("/desk/inbox").text
    assert "Nhắc việc" in inbox and "Sắp đến hạn" in inbox and code in inbox


def test_the_setting_widens_the_window(app, runner, code):
    app.config["NOTIFICATIONS_REMIND_HOURS"] = 8
    assert cycle(app, runner, WEDNESDAY_10) == [("officer", "due_soon")]


def test_a_person_without_an_address_still_gets_the_inbox_mark(app, runner, code):
    with app.app_context():
        db.session.execute(sa.update(User).values(email=""))
        db.session.commit()
    assert cycle(app, runner, WEDNESDAY_15) == [("officer", "due_soon")]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_an_admin_gives_an_account_the_address_reminders_go_to(app, demo, client):
    with app.app_context():
        officer_id = db.session.scalar(sa.select(User.id).where(User.username == "officer"))
    client.post("/auth/login", data={"username": "admin", "password": "demo"})
    page = client.get(f"/admin/users/{officer_id}")
    assert 'name="email"' in page.text
    bad = client.post(f"/admin/users/{officer_id}", data={"full_name": "Trần Văn Bình", "roles": ["officer"],
                                                          "email": "không-phải-thư"})
    assert bad.status_code == 422 and "Địa chỉ thư điện tử không hợp lệ." in bad.text
    saved = client.post(f"/admin/users/{officer_id}", data={"full_name": "Trần Văn Bình", "roles": ["officer"],
                                                            "email": " binh@quangtho.gov.vn "})
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(User, officer_id).email == "binh@quangtho.gov.vn"


def test_the_due_soon_query_reads_the_open_dossiers_through_the_status_and_due_time_index(app, code):
    """Each sender cycle asks for the steps falling due soon: a range of the (status, due_at) index, not a read of
    every dossier ever received (a province's table grows by a million a year; 212 ms a cycle at 200,000 rows on
    PostgreSQL without the index, 0.3 ms with it). The plan is asked beside a few thousand closed dossiers of
    another year (query_plans.add_closed_history): on a test's handful of rows PostgreSQL's choice rests on nothing."""
    with app.app_context():
        add_closed_history()
        with capturing("staff_reminder") as seen:
            assert len(reminders.due_soon(WEDNESDAY_15, calendars.current())) == 1
        (statement, parameters), = [(text, values) for text, values in seen if "FROM dossier" in text]
        lines = plan(statement, parameters)
    assert any("ix_dossier_status_due_at" in line for line in lines), lines
