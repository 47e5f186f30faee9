"""The clerk scans the citizen's ID card with the barcode gun, checks the filled form, saves and prints."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from onestop.extensions import db
from onestop.models import Dossier

pytestmark = pytest.mark.browser

CARD = ("046190001234|191234567|Nguyễn Thị Hồng Nhung|17051990|Nữ|"
        "Thôn Phước Thanh, xã Quảng Thọ, tỉnh Thừa Thiên Huế|01072021")


def log_in(page, base_url):
    page.goto(f"{base_url}/auth/login")
    page.fill("#username", "clerk")
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/desk/$"))


def choose_birth_registration(page):
    page.fill("#procedure-search", "khai sinh")
    page.locator("#procedure-results li[data-code='1.001193']").click()
    expect(page.locator("#procedure-info")).to_be_visible()


def count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Dossier.id)))


def test_the_gun_types_the_card_into_the_scan_box_and_the_intake_form_is_filled(live_server, page, screenshot_dir):
    base_url = live_server.config["LIVE_URL"]
    page.set_viewport_size({"width": 1366, "height": 1000})
    log_in(page, base_url)
    expect(page.locator("#scan-code")).to_be_focused()
    page.keyboard.type(CARD, delay=2)  # a keyboard-mode gun: one key after the other, then Enter
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/desk/receive$"))
    expect(page.locator("#applicant_name")).to_have_value("Nguyễn Thị Hồng Nhung")
    expect(page.locator("#id_number")).to_have_value("046190001234")
    expect(page.locator("#date_of_birth")).to_have_value("17/05/1990")
    expect(page.locator("#sex")).to_have_value("female")
    expect(page.locator("#address")).to_have_value("Thôn Phước Thanh, xã Quảng Thọ, tỉnh Thừa Thiên Huế")
    expect(page.locator(".flash-success")).to_contain_text("Đã điền thông tin từ mã QR trên thẻ căn cước")
    expect(page.locator("#earlier-dossiers")).to_contain_text("Chưa có hồ sơ nào.")
    choose_birth_registration(page)
    page.locator("#document-rows input[type=checkbox]").first.check()
    page.screenshot(path=screenshot_dir / "idcard-intake-filled.png", full_page=True)
    assert count(live_server) == 0


def test_the_card_scanned_into_a_field_of_the_form_fills_it_and_keeps_the_procedure(live_server, page):
    base_url = live_server.config["LIVE_URL"]
    log_in(page, base_url)
    page.goto(f"{base_url}/desk/receive")
    choose_birth_registration(page)
    page.locator("#document-rows input[type=checkbox]").first.check()
    page.fill("#phone", "0905123456")
    page.click("#applicant_name")
    page.keyboard.type(CARD, delay=2)
    page.keyboard.press("Enter")
    expect(page.locator("#applicant_name")).to_have_value("Nguyễn Thị Hồng Nhung")
    expect(page.locator("#procedure_code")).to_have_value("1.001193")
    expect(page.locator("#phone")).to_have_value("0905123456")
    expect(page.locator("#document-rows input[type=checkbox]").first).to_be_checked()
    assert count(live_server) == 0


def test_a_garbled_scan_says_how_to_set_the_scanner(live_server, page):
    base_url = live_server.config["LIVE_URL"]
    log_in(page, base_url)
    page.keyboard.type(CARD.replace("ễ", "?").replace("ữ", "?").replace("ị", "?"), delay=1)
    page.keyboard.press("Enter")
    expect(page.locator(".flash-error")).to_contain_text("Unicode/UTF-8")
    expect(page.locator("#applicant_name")).to_have_value("")


def test_receive_and_print_prints_the_receipt_then_opens_a_fresh_form(live_server, page):
    base_url = live_server.config["LIVE_URL"]
    page.add_init_script("window.print = () => sessionStorage.setItem('printed', location.pathname);")
    log_in(page, base_url)
    page.goto(f"{base_url}/desk/receive")
    choose_birth_registration(page)
    page.locator("#document-rows input[type=checkbox]").first.check()
    page.fill("#applicant_name", "Nguyễn Thị Hoa")
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    expect(page).to_have_url(re.compile(r"/desk/receive$"))
    expect(page.locator(".flash-success")).to_contain_text("Đã tiếp nhận hồ sơ 000.13.31.H57-260305-0001.")
    assert page.evaluate("sessionStorage.getItem('printed')") == "/desk/dossiers/000.13.31.H57-260305-0001/receipt"
    expect(page.locator("#applicant_name")).to_have_value("")


def test_back_after_saving_and_saving_again_makes_no_second_dossier(live_server, page):
    base_url = live_server.config["LIVE_URL"]
    log_in(page, base_url)
    page.goto(f"{base_url}/desk/receive")
    choose_birth_registration(page)
    page.locator("#document-rows input[type=checkbox]").first.check()
    page.fill("#applicant_name", "Nguyễn Thị Hoa")
    page.get_by_role("button", name="Chỉ tiếp nhận").click()
    expect(page).to_have_url(re.compile(r"/desk/dossiers/000\.13\.31\.H57-260305-0001$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/desk/receive$"))
    page.get_by_role("button", name="Chỉ tiếp nhận").click()
    if page.locator(".confirm-no-documents").count():  # the papers were not ticked again: confirm
        page.locator(".confirm-no-documents input").check()
        page.get_by_role("button", name="Chỉ tiếp nhận").click()
    expect(page).to_have_url(re.compile(r"/desk/dossiers/000\.13\.31\.H57-260305-0001$"))
    expect(page.locator(".flash-warning")).to_contain_text("không tạo hồ sơ mới")
    assert count(live_server) == 1
