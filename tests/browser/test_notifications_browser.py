"""Issue 19 in Chromium: the admin's outbox page, a received e-mail, its lookup link and the citizen's stop button."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from conftest import _empty_tables, make_app
from lifecycle import people, receive
from notify_servers import HttpStub, SmtpServer
from onestop import calendars, settings, supplements, workflow
from onestop.extensions import db
from onestop.notifications import outbox

from test_security_browser import log_in, watched  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def servers():
    with SmtpServer() as smtp, HttpStub() as sms:
        yield smtp, sms


@pytest.fixture
def app(database_url, servers):
    smtp, sms = servers
    app = make_app(database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                   MAIL_DEFAULT_SENDER="motcua@quangtho.gov.vn", SMS_GATEWAY_URL=sms.url, SMS_GATEWAY_KEY="k")
    yield app
    _empty_tables(app)


def test_the_outbox_page_and_a_received_email_with_its_working_link(live_server, watched, servers,  # noqa: F811
                                                                      screenshot_dir):
    smtp, sms = servers
    page, base_url, app = watched, live_server.config["LIVE_URL"], live_server
    with app.test_request_context():
        settings.put("public_base_url", base_url)  # the links in the messages open this served app
        users, calendar = people(), calendars.current()
        dossier = receive(name="Trần Thị Bình")
        dossier.applicant_email = "binh@example.vn"
        outbox.record_consent(dossier, ["email", "sms"], now=dossier.received_at)
        at = dossier.received_at + timedelta(minutes=20)
        workflow.hand_over(dossier, users["clerk"], to_user=users["officer"], now=at)
        supplements.request_supplement(dossier, users["officer"], reason="Thiếu giấy tờ",
                                       items=["Văn bản cử người giám hộ", "Bản sao giấy khai sinh của người được giám hộ"],
                                       now=at + timedelta(minutes=20), calendar=calendar)
        code = dossier.code
        db.session.commit()
    runner = app.test_cli_runner()
    sms.mode = "fail"  # the SMS gateway is down for the first cycle: those wait for their retry
    assert runner.invoke(args=["notifications", "send"]).exit_code == 0
    assert len(smtp.messages) == 2 and len(sms.received) == 2

    log_in(page, base_url, "admin")
    page.goto(f"{base_url}/notifications/outbox")
    expect(page.locator("table.outbox tbody tr")).to_have_count(4)
    expect(page.locator("tr.outbox-pending").first).to_contain_text("HTTP 500")
    expect(page.locator("tr.outbox-sent").first).to_contain_text("binh@example.vn")
    page.screenshot(path=screenshot_dir / "notifications-outbox.png", full_page=True)
    page.check_csp("outbox")

    email = smtp.messages[-1]  # the supplement request: what is missing, and the link
    assert email["Subject"] == f"Hồ sơ {code} cần bổ sung giấy tờ"
    page.set_content(email.get_body(("html",)).get_content())
    expect(page.locator("body")).to_contain_text("Văn bản cử người giám hộ")
    page.screenshot(path=screenshot_dir / "notifications-email.png", full_page=True)

    page.get_by_role("link", name="Xem hồ sơ").click()  # the e-mail's button opens the lookup with its token
    expect(page.locator(".code")).to_have_text(code)
    expect(page.locator("body")).to_contain_text("Trần T. B.")
    page.screenshot(path=screenshot_dir / "notifications-lookup.png", full_page=True)
    page.get_by_role("button", name="Ngừng nhận thông báo").click()
    expect(page.locator(".notify-stopped")).to_have_text("Ông/bà đã ngừng nhận thông báo về hồ sơ này.")
    page.check_csp("lookup")
    with app.app_context():
        states = db.session.execute(sa.text("select status from outbox_message order by id")).scalars().all()
    assert states == ["SENT", "CANCELLED", "SENT", "CANCELLED"]  # the SMS waiting for a retry will not go
