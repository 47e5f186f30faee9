"""Issue 15 in Chromium: the admin calendar shows the 2026 New Year swap with its source, and on
01/10 (pinned clock) the admin's home page warns that next year's Tết is not confirmed."""
import re

import pytest
from playwright.sync_api import expect


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    expect(page.locator("header .user")).to_contain_text("Đăng xuất")


@pytest.mark.browser
def test_the_admin_sees_each_days_source_and_the_next_year_notice(live_server, page, screenshot_dir):
    base = live_server.config["LIVE_URL"]
    live_server.config["NOW"] = "2026-10-01T08:00:00+07:00"
    log_in(page, base, "admin")
    page.set_viewport_size({"width": 1280, "height": 900})
    notice = page.locator("#calendar-notice")
    expect(notice).to_contain_text("Lịch nghỉ Tết Nguyên đán năm 2027 chưa được xác nhận")
    page.screenshot(path=str(screenshot_dir / "calendar-next-year-notice.png"))

    page.goto(f"{base}/admin/calendar?year=2026")
    swapped, worked = page.locator('td[data-day="02/01/2026"]'), page.locator('td[data-day="10/01/2026"]')
    expect(swapped).to_have_class(re.compile(r"\bholiday\b"))
    expect(swapped).to_have_attribute("title", re.compile(r"12729/VPCP-KGVX \(25/12/2025\), đã đối chiếu"))
    expect(worked).to_have_class(re.compile(r"\bmakeup\b"))
    expect(worked).to_have_attribute("title", re.compile(r"^Làm bù cho thứ Sáu 02/01/2026 — Theo 12729/VPCP-KGVX"))
    expect(page.locator('td[data-day="24/11/2026"]')).not_to_have_class(re.compile(r"\bholiday\b"))
    page.locator("#year-grid").screenshot(path=str(screenshot_dir / "calendar-2026-grid.png"))
    lists = page.locator("section.card", has=page.locator("h2", has_text="Ngày nghỉ năm 2026"))
    expect(lists).to_contain_text("02/01/2026 Nghỉ thay cho thứ Bảy 10/01/2026")
    lists.screenshot(path=str(screenshot_dir / "calendar-2026-sources.png"))
    unconfirmed = page.locator("#unconfirmed")
    expect(unconfirmed).to_contain_text("24/11/2026")
    unconfirmed.screenshot(path=str(screenshot_dir / "calendar-2026-unconfirmed.png"))
