"""Issue 16, item 2 in Chromium: the admin enrols the lobby kiosk; a typed code shows details and takes a
survey there, while another browser opening the same kiosk address sees status and dates only."""
import re
from datetime import datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from onestop import calendars, codes, dossiers
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import DossierStatus, Kiosk, Procedure, Survey, User

pytestmark = pytest.mark.browser
KIOSK = "/kiosk/000.13.31.H57"
MASKED, PROCEDURE_NAME = "Trần T. B. N.", "Đăng ký giám hộ"


@pytest.fixture
def returned(live_server):
    """A returned dossier of the home agency (its survey is open): its code."""
    with live_server.app_context():
        procedure = db.session.scalar(sa.select(Procedure).filter_by(code="1.004837"))
        clerk = db.session.scalar(sa.select(User).filter_by(username="clerk"))
        dossier = dossiers.receive(procedure, dossiers.Applicant("Trần Thị Bích Ngọc"), dossiers.Intake(),
                                   agency=clerk.agency, clerk=clerk, now=datetime(2026, 3, 5, 9, 0, tzinfo=VN),
                                   calendar=calendars.current())
        dossier.status = DossierStatus.RETURNED
        db.session.commit()
        return dossier.code


def _enrol_with_the_admin_page(admin, base_url) -> str:
    admin.goto(f"{base_url}/auth/login")
    admin.fill("#username", "admin")
    admin.fill("#password", "demo")
    admin.click("button[type=submit]")
    expect(admin).not_to_have_url(re.compile(r"/auth/login"))
    admin.goto(f"{base_url}/admin/kiosks/")
    admin.fill("#name", "Kiosk sảnh tầng 1")
    admin.locator("form button[type=submit]", has_text="Tạo liên kết đăng ký").click()
    return admin.locator("#enrol-url").input_value()


def _type_code(page, base_url, purpose="lookup"):
    page.goto(f"{base_url}{KIOSK}/{purpose}")
    for key in "260305-0001":
        page.locator(f".k-keypad button[data-key='{key}']").tap()
    page.locator("button[type=submit]").tap()


def test_only_the_enrolled_kiosk_shows_details_and_takes_a_typed_survey(browser, live_server, returned,
                                                                        screenshot_dir):
    base_url = live_server.config["LIVE_URL"]
    touch = {"viewport": {"width": 1920, "height": 1080}, "has_touch": True, "locale": "vi-VN"}
    admin, kiosk, stranger = (browser.new_context(**touch) for _ in range(3))
    link = _enrol_with_the_admin_page(admin.new_page(), base_url)
    assert re.fullmatch(rf"{re.escape(base_url)}{KIOSK}/enroll\?k=[\w-]{{40,}}", link)

    screen = kiosk.new_page()
    screen.goto(link)
    expect(screen.locator("h1")).to_have_text("Đã đăng ký kiosk")
    cookie = next(cookie for cookie in kiosk.cookies() if cookie["name"] == "onestop_kiosk")
    assert cookie["httpOnly"] and cookie["path"] == f"{KIOSK}/" and cookie["expires"] > datetime.now().timestamp()
    _type_code(screen, base_url)
    expect(screen.locator(".k-facts")).to_contain_text(MASKED)
    expect(screen.locator(".k-facts")).to_contain_text(PROCEDURE_NAME)
    screen.screenshot(path=screenshot_dir / "kiosk-enrolled-lookup.png")

    phone = stranger.new_page()
    phone.goto(link)  # the link works once: a copy of it enrols nothing
    expect(phone.locator("h1")).to_have_text("Liên kết không dùng được")
    _type_code(phone, base_url)
    expect(phone.locator(".k-facts")).to_contain_text("05/03/2026")
    expect(phone.locator(".k-status")).to_contain_text("Hồ sơ đã trả kết quả.")
    expect(phone.locator("body")).not_to_contain_text(MASKED)
    expect(phone.locator("body")).not_to_contain_text(PROCEDURE_NAME)
    expect(phone.locator(".k-note")).to_contain_text("mời quét mã QR trên giấy biên nhận")
    phone.screenshot(path=screenshot_dir / "kiosk-stranger-lookup.png")
    _type_code(phone, base_url, "survey")
    expect(phone.locator("h1")).to_have_text("Cần mã QR trên giấy biên nhận")
    phone.screenshot(path=screenshot_dir / "kiosk-stranger-survey-refused.png")

    # The same stranger with the receipt in hand: the scanner types the QR's link, token included.
    phone.goto(f"{base_url}{KIOSK}/")
    token = codes.lookup_token(returned, live_server.config["SECRET_KEY"])
    phone.keyboard.type(f"http://192.168.1.10/tra-cuu/{returned}?t={token}")
    phone.keyboard.press("Enter")
    expect(phone.locator(".k-facts")).to_contain_text(MASKED)
    phone.locator("a", has_text="Đánh giá sự hài lòng").tap()
    phone.locator("label.k-choice-satisfied").tap()
    phone.locator("button[type=submit]", has_text="Gửi đánh giá").tap()
    expect(phone.locator("h1")).to_have_text("Cảm ơn ông/bà đã đánh giá!")
    with live_server.app_context():
        survey = db.session.scalar(sa.select(Survey))
        assert (survey.channel, survey.kiosk_id) == ("kiosk", None)
        db.session.delete(survey)
        db.session.commit()

    _type_code(screen, base_url, "survey")  # the enrolled kiosk needs no token
    screen.locator("label.k-choice-very_satisfied").tap()
    screen.locator("button[type=submit]", has_text="Gửi đánh giá").tap()
    expect(screen.locator("h1")).to_have_text("Cảm ơn ông/bà đã đánh giá!")
    with live_server.app_context():
        survey = db.session.scalar(sa.select(Survey))
        assert db.session.get(Kiosk, survey.kiosk_id).name == "Kiosk sảnh tầng 1"

    # Revoked on the admin page: the kiosk falls back to status and dates on its next page.
    admin_page = admin.pages[0]
    admin_page.goto(f"{base_url}/admin/kiosks/")
    admin_page.locator("#kiosks button", has_text="Thu hồi").click()
    expect(admin_page.locator("#kiosks")).to_contain_text("Đã thu hồi")
    admin_page.screenshot(path=screenshot_dir / "admin-kiosks-revoked.png")
    _type_code(screen, base_url)
    expect(screen.locator(".k-status")).to_contain_text("Hồ sơ đã trả kết quả.")
    expect(screen.locator("body")).not_to_contain_text(MASKED)
    for context in (admin, kiosk, stranger):
        context.close()
