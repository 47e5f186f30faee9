"""An admin adds a day off in the year view, checks the preview, saves, and the clerk sees the event."""
from datetime import datetime
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from onestop import calendars, dossiers
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import DossierStatus, Procedure, User

REASON = "Nghỉ bù theo Thông báo số 12/TB-UBND"


def receive(app, procedure_code: str, name: str, status=None) -> str:
    """A dossier received Thu 05/03/2026 09:00 (the pinned now), committed."""
    with app.app_context():
        procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == procedure_code))
        clerk = db.session.scalar(sa.select(User).where(User.username == "clerk"))
        dossier = dossiers.receive(procedure, dossiers.Applicant(name=name), dossiers.Intake(), agency=clerk.agency,
                                   clerk=clerk, now=datetime(2026, 3, 5, 9, 0, tzinfo=VN), calendar=calendars.current())
        if status is not None:
            dossier.status, dossier.completed_at = status, datetime(2026, 3, 5, 10, 0, tzinfo=VN)
        db.session.commit()
        return dossier.code


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    expect(page.locator("header .user")).to_contain_text("Đăng xuất")


@pytest.mark.browser
def test_admin_adds_a_day_off_sees_the_preview_saves_and_the_dossier_shows_the_event(
        live_server, page, browser, screenshot_dir):
    base = live_server.config["LIVE_URL"]
    moving = receive(live_server, "1.004837", "Trần Thị Bình")         # 3 working days: due Tue 10/03 09:00
    also_moving = receive(live_server, "XA.HT.01", "Lê Văn Cường")     # 3 working days as well
    staying = receive(live_server, "1.001193", "Phạm Thị Hoa")         # same day: due Thu 05/03 17:00
    done = receive(live_server, "XA.CT.01", "Võ Minh Tâm", DossierStatus.RESULT_READY)

    log_in(page, base, "admin")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/admin/calendar?year=2026")
    expect(page.locator("h1")).to_have_text("Lịch làm việc năm 2026")
    expect(page.locator('td[data-day="05/03/2026"]')).to_have_attribute("aria-current", "date")
    expect(page.locator('td[data-day="17/02/2026"]')).to_have_attribute("title", re.compile("^Tết Nguyên đán Bính Ngọ"))
    page.screenshot(path=str(screenshot_dir / "calendar-year-2026.png"), full_page=True)

    page.click('td[data-day="09/03/2026"]')  # the grid fills the date field
    expect(page.locator("#day")).to_have_value("09/03/2026")
    page.select_option("#kind", "off")
    page.fill("#reason", REASON)
    page.click("#add-override button[value=preview]")

    expect(page.locator("h1")).to_have_text("Xem trước: Thêm ngày nghỉ 09/03/2026")
    expect(page.locator(".moves-summary")).to_contain_text("2 hồ sơ đang giải quyết sẽ đổi ngày hẹn trả")
    row = page.locator("#moves tbody tr", has_text=moving)
    expect(row).to_contain_text("09:00 10/03/2026")
    expect(row).to_contain_text("09:00 11/03/2026")
    expect(row).to_contain_text("+1 ngày làm việc")
    expect(page.locator("#moves")).to_contain_text(also_moving)
    expect(page.locator("#moves")).not_to_contain_text(staying)
    expect(page.locator("#moves")).not_to_contain_text(done)
    page.screenshot(path=str(screenshot_dir / "calendar-preview.png"), full_page=True)

    page.click("button[value=save]")
    expect(page.locator(".flash-success")).to_have_text("Đã lưu ngày nghỉ 09/03/2026; 2 hồ sơ được đổi hẹn.")
    expect(page.locator('td[data-day="09/03/2026"]')).to_have_class("override-off")
    expect(page.locator('td[data-day="09/03/2026"] .mark')).to_have_text("N")
    expect(page.locator("#overrides")).to_contain_text(REASON)
    page.screenshot(path=str(screenshot_dir / "calendar-saved.png"), full_page=True)

    clerk = browser.new_context()
    desk = clerk.new_page()
    try:
        log_in(desk, base, "clerk")
        desk.goto(f"{base}/desk/dossiers/{moving}")
        expect(desk.locator(".timeline")).to_contain_text("Hẹn trả chuyển ngày")
        expect(desk.locator(".timeline")).to_contain_text(
            f"Hẹn trả chuyển từ 09:00 10/03/2026 sang 09:00 11/03/2026 vì {REASON}")
        expect(desk.locator("dl", has_text="Hẹn trả")).to_contain_text("09:00 11/03/2026")
        desk.screenshot(path=str(screenshot_dir / "calendar-moved-dossier.png"), full_page=True)
    finally:
        clerk.close()


@pytest.mark.browser
def test_admin_changes_the_working_hours_with_a_preview(live_server, page, screenshot_dir):
    base = live_server.config["LIVE_URL"]
    moving = receive(live_server, "1.004837", "Trần Thị Bình")
    log_in(page, base, "admin")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/admin/settings")
    expect(page.locator("#hours-per-day")).to_have_text("8 giờ")
    page.fill("#session1_start", "09:30")
    expect(page.locator("#hours-per-day")).to_have_text("5 giờ 30 phút")  # worked out while typing
    page.click("button[value=preview]")

    expect(page.locator("#preview-title")).to_have_text("Xem trước: giờ làm việc mới")
    expect(page.locator("#session1_start")).to_have_attribute("readonly", "")
    row = page.locator("#moves tbody tr", has_text=moving)
    expect(row).to_contain_text("09:00 10/03/2026")
    expect(row).to_contain_text("17:00 09/03/2026")
    page.screenshot(path=str(screenshot_dir / "settings-preview.png"), full_page=True)

    page.click("button[value=save]")
    expect(page.locator(".flash-success")).to_have_text("Đã lưu cài đặt; 1 hồ sơ được đổi hẹn.")
    expect(page.locator("#session1_start")).to_have_value("09:30")
    expect(page.locator("#hours-per-day")).to_have_text("5 giờ 30 phút")
