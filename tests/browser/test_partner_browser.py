"""The land office's officer opens the dossier sent to it from the inbox, reads it, and returns the leg."""
import re

import pytest
from playwright.sync_api import expect

from lifecycle import build
from onestop.extensions import db

pytestmark = pytest.mark.browser


def test_the_partner_opens_the_dossier_from_its_inbox_read_only(live_server, page, screenshot_dir):
    with live_server.app_context():
        dossier = build("at_partner")
        dossier.documents = [{"name": "Tờ khai đăng ký giám hộ theo mẫu", "kind": "original", "count": 1}]
        code = dossier.code
        db.session.commit()
    base_url = live_server.config["LIVE_URL"]
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base_url}/auth/login")
    page.fill("#username", "partner")
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    page.goto(f"{base_url}/desk/inbox")
    page.locator("#incoming").get_by_role("link", name=code).click()
    expect(page).to_have_url(re.compile(rf"/desk/dossiers/{re.escape(code)}$"))
    expect(page.locator(".partner-view")).to_contain_text("chỉ xem, trong thời gian liên thông")
    expect(page.locator("#holder")).to_contain_text("Chi nhánh Văn phòng Đăng ký đất đai")
    expect(page.locator("body")).to_contain_text("Tờ khai đăng ký giám hộ theo mẫu")
    expect(page.get_by_role("link", name="In giấy tiếp nhận")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "partner-view.png", full_page=True)
    page.get_by_role("button", name="Trả hồ sơ về UBND xã Quảng Thọ").click()
    expect(page).to_have_url(re.compile(r"/desk/inbox$"))  # the page is closed to the partner now
    page.goto(f"{base_url}/desk/dossiers/{code}")
    expect(page.locator("h1")).not_to_contain_text(code)
