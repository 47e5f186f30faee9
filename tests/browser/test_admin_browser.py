"""The admin's accounts, agencies and catalogue pages in Chromium, under the Content-Security-Policy."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from onestop.extensions import db
from onestop.models import Procedure, User

from test_security_browser import log_in, watched  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser
BAD_CATALOGUE = ("Mã TTHC;Tên TTHC;Lĩnh vực;Thời hạn;Đơn vị thời hạn;Mức độ DVC;Phí, lệ phí\n"
                 "1.000001;Tốt;Chứng thực;1;ngày làm việc;3;\n"
                 "1.000002;Đơn vị sai;Chứng thực;1;tuần;3;\n"
                 "1.000003;Thời hạn sai;Chứng thực;abc;ngày làm việc;3;\n").encode()


def test_an_admin_makes_an_account_only_with_a_strong_password(live_server, watched, screenshot_dir):  # noqa: F811
    page, base_url = watched, live_server.config["LIVE_URL"]
    log_in(page, base_url, "admin")
    page.goto(f"{base_url}/admin/")
    page.screenshot(path=screenshot_dir / "admin-home.png", full_page=True)
    page.get_by_role("link", name="Tài khoản cán bộ").click()
    expect(page.locator("#users")).to_contain_text("Lê Thị Thu")

    page.fill("#username", "le.van.an")
    page.fill("#full_name", "Lê Văn An")
    page.get_by_label("Một cửa: tiếp nhận, trả kết quả").check()
    page.fill("#password", "matkhau123")
    page.fill("#confirm", "matkhau123")
    page.click("text=Tạo tài khoản")
    expect(page.locator(".has-error .error")).to_have_text(
        "Mật khẩu cần có ít nhất ba loại: chữ thường, chữ hoa, chữ số, ký hiệu.")
    expect(page.locator("#username")).to_have_value("le.van.an")  # what was typed stays, but the password
    page.screenshot(path=screenshot_dir / "admin-users-weak-password.png", full_page=True)
    page.check_csp("users, refused")

    page.fill("#password", "Mat-khau-2026")
    page.fill("#confirm", "Mat-khau-2026")
    page.click("text=Tạo tài khoản")
    expect(page.locator(".flash-success")).to_have_text("Đã tạo tài khoản le.van.an.")
    with live_server.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "le.van.an"))
        assert user.roles == {"clerk"} and "Mat-khau-2026" not in user.password_hash
    page.locator("#users tr", has_text="le.van.an").get_by_role("link", name="Sửa").click()
    expect(page.locator("h1")).to_contain_text("le.van.an")
    page.screenshot(path=screenshot_dir / "admin-user-edit.png", full_page=True)
    page.click("text=Khóa tài khoản >> nth=-1")
    expect(page.locator(".flash-success")).to_have_text("Đã khóa tài khoản le.van.an.")
    expect(page.locator("#users tr", has_text="le.van.an")).to_contain_text("Đã khóa")
    page.screenshot(path=screenshot_dir / "admin-users.png", full_page=True)
    page.check_csp("users")


def test_an_admin_adds_an_agency_and_sees_every_bad_catalogue_row(live_server, watched, screenshot_dir):  # noqa: F811
    page, base_url = watched, live_server.config["LIVE_URL"]
    log_in(page, base_url, "admin")
    page.goto(f"{base_url}/admin/agencies/")
    page.fill("#code", "000..31.H57")  # an empty segment: not an e-ID of Decision 20/2020
    page.fill("#name", "Trạm Y tế xã Quảng Thọ")
    page.check("#external")
    page.click("button:has-text('Thêm cơ quan')")
    expect(page.locator(".has-error .error")).to_contain_text("Mã định danh cơ quan gồm chữ in hoa A–Z, chữ số và dấu chấm")
    page.fill("#code", "000.15.31.H57")
    page.select_option("#parent", label="000.13.31.H57 – UBND xã Quảng Thọ")
    page.click("button:has-text('Thêm cơ quan')")
    expect(page.locator("#agencies")).to_contain_text("Trạm Y tế xã Quảng Thọ")
    page.screenshot(path=screenshot_dir / "admin-agencies.png", full_page=True)
    page.locator("#agencies tr", has_text="000.15.31.H57").get_by_role("link", name="Sửa").click()
    expect(page.locator("#code")).to_have_value("000.15.31.H57")
    page.screenshot(path=screenshot_dir / "admin-agency-edit.png", full_page=True)
    page.check_csp("agencies")

    page.goto(f"{base_url}/admin/catalogue/")
    page.fill("input[name=q]", "khai sinh")
    page.click("button:has-text('Tìm')")
    expect(page.locator("#procedures")).to_contain_text("Đăng ký khai sinh")
    expect(page.locator("#procedures")).not_to_contain_text("Đăng ký kết hôn")
    page.set_input_files("#file", files=[{"name": "danh-muc.csv", "mimeType": "text/csv", "buffer": BAD_CATALOGUE}])
    page.click("button:has-text('Nhập')")
    expect(page.locator("#import-refused")).to_contain_text("Tệp có 2 dòng không hợp lệ; chưa nhập thủ tục nào.")
    expect(page.locator("#bad-rows li")).to_have_text([re.compile("^Dòng 3: đơn vị thời hạn"),
                                                        re.compile("^Dòng 4: thời hạn “abc”")])
    page.screenshot(path=screenshot_dir / "admin-catalogue-refused.png", full_page=True)
    page.check_csp("catalogue")
    with live_server.app_context():
        assert db.session.scalar(sa.select(Procedure).where(Procedure.code == "1.000001")) is None
