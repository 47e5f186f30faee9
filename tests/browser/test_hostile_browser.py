"""Issue 9 in Chromium: script typed into the kiosk's survey and comment boxes reaches the staff as plain text."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from conftest import enrol_kiosk
from lifecycle import build
from onestop.extensions import db
from onestop.models import Comment, Survey

pytestmark = pytest.mark.browser
KIOSK = "/kiosk/000.13.31.H57"
SURVEY_PAYLOAD = "<script>alert(1)</script>"
COMMENT_PAYLOAD = "<img src=x onerror=alert(1)>"
BOTH = f'{SURVEY_PAYLOAD} <img src=x onerror="alert(2)"> "><svg onload=alert(3)>'


@pytest.fixture
def returned(live_server):
    """A dossier whose result was handed over: its survey is open at the kiosk."""
    with live_server.app_context():
        code = build("returned").code
        db.session.commit()
    return code


def _watch_dialogs(page) -> list[str]:
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def test_script_in_kiosk_survey_and_comment_is_shown_as_text_to_staff(live_server, returned, page, screenshot_dir):
    base_url = live_server.config["LIVE_URL"]
    dialogs = _watch_dialogs(page)

    page.goto(base_url + enrol_kiosk(live_server))  # the lobby's own kiosk takes surveys without the token
    page.goto(f"{base_url}{KIOSK}/survey/{returned}")
    page.locator("label.k-choice-unsatisfied").click()
    page.fill("#comment", BOTH)
    page.locator("button[type=submit]", has_text="Gửi đánh giá").click()
    expect(page.locator("h1")).to_have_text("Cảm ơn ông/bà đã đánh giá!")

    for payload in (COMMENT_PAYLOAD, SURVEY_PAYLOAD):
        page.goto(f"{base_url}{KIOSK}/comment")
        page.fill("#text", payload)
        page.locator("button[type=submit]").click()
        expect(page.locator("h1")).to_have_text("Cảm ơn ông/bà đã góp ý!")
    with live_server.app_context():  # stored as typed: escaping is the page's job, not the database's
        assert db.session.scalar(sa.select(Survey.comment)).endswith(BOTH)
        assert set(db.session.scalars(sa.select(Comment.text))) == {COMMENT_PAYLOAD, SURVEY_PAYLOAD}

    page.goto(f"{base_url}/auth/login")
    page.fill("#username", "leader")
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/auth/login"))
    page.goto(f"{base_url}/reports/satisfaction?kind=month&year=2026&number=3")
    remarks = page.locator("ul.remarks")
    expect(remarks).to_contain_text(BOTH)
    expect(remarks).to_contain_text(COMMENT_PAYLOAD)
    expect(remarks).to_contain_text(SURVEY_PAYLOAD)
    page.screenshot(path=screenshot_dir / "xss-satisfaction-comments.png", full_page=True)
    assert page.locator("main img, main svg[onload]").count() == 0
    assert page.locator("main script").count() == 0
    assert dialogs == []
