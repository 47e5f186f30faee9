"""A leader picks a period on the reports screen, downloads the Excel form, and fills the IT report."""
import sys
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from onestop import seed
from onestop.extensions import db

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from reportdata import build  # noqa: E402


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    expect(page.locator("header .user")).to_contain_text("Đăng xuất")


@pytest.mark.browser
def test_leader_picks_a_quarter_downloads_excel_and_saves_the_it_report(live_server, page, screenshot_dir, tmp_path):
    with live_server.app_context():
        build(seed.home_agency())
        db.session.commit()
    base = live_server.config["LIVE_URL"]
    log_in(page, base, "leader")
    page.goto(f"{base}/reports/")
    page.select_option("#kind", "quarter")
    page.fill("#year", "2026")
    page.fill("#number", "1")
    page.click("form.period-picker button[type=submit]")
    expect(page.locator("h2").first).to_contain_text("Quý I/2026 (từ 15/12/2025 đến 14/03/2026)")
    total = page.locator("table.form06 tr.total").first
    expect(total.locator("td.number").first).to_have_text("12")  # all 13 but #8 (received 16/03)
    for chart in page.locator(".charts img").all():  # drawn on the server; the browser must be able to show them
        expect(chart).to_have_js_property("complete", True)
        assert chart.evaluate("image => image.naturalWidth") > 0
    page.screenshot(path=str(screenshot_dir / "reports-tthc.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=Tải Excel (.xlsx)")
    saved = tmp_path / "bieu06.xlsx"
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    assert sheet["A3"].value.startswith("Kỳ báo cáo: Quý I/2026")

    page.click("text=Báo cáo ứng dụng CNTT")
    page.fill("#start", "15/12/2025")
    page.fill("#end", "14/03/2026")
    page.click("text=Tính lại số liệu >> nth=0")
    expect(page.locator("#one-stop-figures")).to_contain_text("Số hồ sơ liên thông tiếp nhận trong kỳ: 0 hồ sơ.")
    page.fill("#equipment-0-item", "Máy tính để bàn")
    page.fill("#equipment-0-quantity", "8")
    page.fill("#staff", "01 công chức văn phòng kiêm nhiệm CNTT.")
    page.screenshot(path=str(screenshot_dir / "reports-it-form.png"), full_page=True)
    page.click("button[name=save]")
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu báo cáo CNTT")
    expect(page.locator("#staff")).to_have_value("01 công chức văn phòng kiêm nhiệm CNTT.")
    with page.expect_download() as download:
        page.click("text=Tải báo cáo Word (.docx)")
    assert download.value.suggested_filename.startswith("bao-cao-cntt_000.13.31.H57_")


@pytest.mark.browser
def test_clerk_reads_the_register_and_a_refused_import_lists_the_rows(live_server, page, screenshot_dir, tmp_path):
    with live_server.app_context():
        build(seed.home_agency())
        db.session.commit()
    base = live_server.config["LIVE_URL"]
    log_in(page, base, "clerk")
    page.goto(f"{base}/reports/register?kind=month&year=2026&number=3")
    expect(page.locator("table.register tbody tr")).to_have_count(10)
    bad = tmp_path / "so.csv"
    bad.write_text("STT;Mã hồ sơ\n1;H-001\n", encoding="utf-8")
    page.set_input_files("#file", str(bad))
    page.click(".register-import button[type=submit]")
    expect(page.locator(".register-import [role=alert]")).to_contain_text("Tệp thiếu cột bắt buộc")
    page.screenshot(path=str(screenshot_dir / "reports-register.png"), full_page=True)
