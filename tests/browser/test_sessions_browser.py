"""Sessions in Chromium: logging out with the header's button, "sign out everywhere" from a second browser,
and the admin's list of a user's API tokens with its revoke button (issue 16, item 8)."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from onestop import tokens
from onestop.extensions import db
from onestop.models import User

pytestmark = pytest.mark.browser


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    expect(page.locator("header .user")).to_contain_text("Đăng xuất")


def test_the_logout_button_ends_the_session_and_sign_out_everywhere_ends_the_others(live_server, browser,
                                                                                      screenshot_dir):
    base = live_server.config["LIVE_URL"]
    office, phone = browser.new_context(), browser.new_context()
    desk, mobile = office.new_page(), phone.new_page()
    log_in(desk, base, "clerk")
    log_in(mobile, base, "clerk")

    mobile.click("header .user a")  # the user's name opens their account page
    expect(mobile.locator("#open-sessions")).to_have_text("Số trình duyệt đang đăng nhập bằng tài khoản này: 2.")
    mobile.screenshot(path=str(screenshot_dir / "account-sign-out-everywhere.png"), full_page=True)
    mobile.locator("main button", has_text="Đăng xuất trên mọi thiết bị").click()
    expect(mobile.locator(".flash")).to_have_text("Đã đăng xuất trên mọi thiết bị.")

    desk.goto(f"{base}/desk/")  # the office PC was signed out too
    expect(desk).to_have_url(re.compile(r"/auth/login"))

    log_in(desk, base, "clerk")
    desk.click("header .user button")  # logout is the header's button: a POST with the CSRF token
    expect(desk.locator(".flash")).to_have_text("Đã đăng xuất.")
    desk.goto(f"{base}/desk/")
    expect(desk).to_have_url(re.compile(r"/auth/login"))
    office.close()
    phone.close()


def test_the_admin_sees_a_users_tokens_and_revokes_one(live_server, page, screenshot_dir):
    base = live_server.config["LIVE_URL"]
    with live_server.app_context():
        clerk = db.session.scalar(sa.select(User).where(User.username == "clerk"))
        tokens.issue(clerk)
        db.session.commit()
        clerk_id = clerk.id
    log_in(page, base, "admin")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/admin/users/{clerk_id}")
    row = page.locator("#token-list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("09:00 05/03/2026")  # issued
    expect(row).to_contain_text("chưa dùng")
    expect(row).to_contain_text("01/09/2026")  # 180 days on
    page.screenshot(path=str(screenshot_dir / "admin-user-tokens.png"), full_page=True)
    row.locator("button", has_text="Thu hồi").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã thu hồi mã truy cập API số")
    expect(page.locator("#token-list")).to_have_count(0)
