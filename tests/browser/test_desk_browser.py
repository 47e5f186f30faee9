"""The clerk's morning, in a real Chromium: find the procedure, receive, print, scan."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def log_in(page, base_url, username="clerk"):
    page.goto(f"{base_url}/auth/login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/desk/$"))


def test_clerk_receives_a_birth_registration_and_finds_it_again_by_scanning(live_server, page, screenshot_dir):
    base_url = live_server.config["LIVE_URL"]
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, base_url)
    page.click("text=Tiếp nhận hồ sơ >> nth=0")
    expect(page).to_have_url(re.compile(r"/desk/receive$"))
    page.fill("#procedure-search", "khai sinh")  # no accents needed, and typing before the script loads is fine
    option = page.locator("#procedure-results li[data-code='1.001193']")
    expect(option).to_be_visible()
    option.click()
    expect(page.locator("#procedure-info")).to_be_visible()
    # Thu 05/03/2026 09:00, a same-day procedure: due the same day at the end of the afternoon session.
    expect(page.locator("#procedure-appointment")).to_have_text("17:00 ngày 05/03/2026")
    page.locator("#document-rows input[type=checkbox]").first.check()
    page.fill("#applicant_name", "Nguyễn Thị Hoa")
    page.fill("#id_number", "046190001234")
    page.fill("#phone", "0905123456")
    page.screenshot(path=screenshot_dir / "desk-intake.png", full_page=True)
    page.click("text=Chỉ tiếp nhận")
    expect(page.locator(".flash-success")).to_contain_text("000.13.31.H57-260305-0001")
    expect(page.locator("body")).to_contain_text("17:00 05/03/2026")
    page.screenshot(path=screenshot_dir / "desk-dossier.png", full_page=True)

    # The barcode gun types the code and Enter into the scan box from any desk page.
    page.goto(f"{base_url}/desk/")
    expect(page.locator("#scan-code")).to_be_focused()
    page.keyboard.type("000.13.31.H57-260305-0001", delay=5)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/desk/dossiers/000\.13\.31\.H57-260305-0001$"))
    expect(page.locator("h1")).to_contain_text("000.13.31.H57-260305-0001")


def test_an_unknown_scan_says_so_and_puts_the_cursor_back(live_server, page):
    base_url = live_server.config["LIVE_URL"]
    log_in(page, base_url)
    page.locator("#scan-code").fill("000.13.31.H57-260305-0099")
    page.keyboard.press("Enter")
    expect(page.locator(".flash-error")).to_contain_text("Không tìm thấy hồ sơ")
    expect(page.locator("#scan-code")).to_be_focused()


def test_an_invalid_intake_keeps_what_was_typed(live_server, page):
    base_url = live_server.config["LIVE_URL"]
    log_in(page, base_url)
    page.goto(f"{base_url}/desk/receive")
    page.fill("#procedure-search", "chung thuc ban sao")
    page.locator("#procedure-results li[data-code='2.000815']").click()
    page.locator("#document-rows input[type=checkbox]").first.check()
    page.fill("#applicant_name", "Lê Văn Tám")
    page.fill("#phone", "12345")
    page.click("text=Tiếp nhận và in giấy hẹn")
    expect(page.locator(".has-error")).to_contain_text("Số điện thoại không hợp lệ")
    expect(page.locator("#applicant_name")).to_have_value("Lê Văn Tám")
    expect(page.locator("#document-rows input[type=checkbox]").first).to_be_checked()
