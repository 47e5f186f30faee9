"""The citizens' kiosk in a real Chromium with a touch screen, upright and lying: keypad, scanner, idle
reset, survey, procedure guide; every screen photographed and checked with axe-core."""
import re
import threading
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from werkzeug.serving import make_server

from conftest import enrol_kiosk, make_app
from onestop import calendars, dossiers, settings
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import DossierStatus, Procedure, Survey, User

pytestmark = pytest.mark.browser

ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
KIOSK = "/kiosk/000.13.31.H57"
# axe-core comes from npm (package.json at the repository root; `npm ci` installs it).
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
APPLICANT = dossiers.Applicant(name="Trần Thị Bích Ngọc", id_number="046199001234", phone="0905123987",
                               address="Số 12 kiệt 5 đường Hàn Mặc Tử")


@pytest.fixture(params=list(ORIENTATIONS))
def orientation(request):
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, orientation):
    """A touch screen, not a phone; bypass_csp lets axe-core in once the pages send a CSP."""
    width, height = ORIENTATIONS[orientation]
    return {**browser_context_args, "viewport": {"width": width, "height": height}, "has_touch": True,
            "is_mobile": False, "bypass_csp": True, "locale": "vi-VN"}


@pytest.fixture
def kiosk_url(live_server, page):
    """The kiosk's address, in a browser the admin's one-time link enrolled (issue 16)."""
    # Through the context's own request client, which shares the cookies: no page is opened before a test's
    # clock is installed.
    assert page.request.get(live_server.config["LIVE_URL"] + enrol_kiosk(live_server)).ok
    return live_server.config["LIVE_URL"] + KIOSK


@pytest.fixture
def make_dossier(live_server):
    """Receive a dossier at the pinned time, in `status`; returns its code."""
    def make_dossier(status):
        with live_server.app_context():
            procedure = db.session.scalar(sa.select(Procedure).filter_by(code="1.004837"))
            clerk = db.session.scalar(sa.select(User).filter_by(username="clerk"))
            dossier = dossiers.receive(procedure, APPLICANT, dossiers.Intake(), agency=clerk.agency, clerk=clerk,
                                       now=datetime(2026, 3, 5, 9, 0, tzinfo=VN), calendar=calendars.current())
            dossier.status = status
            db.session.commit()
            return dossier.code
    return make_dossier


@pytest.fixture
def shoot(page, screenshot_dir, orientation):
    """Photograph the screen as the citizen sees it, then check it with axe-core."""
    def shoot(name):
        page.screenshot(path=screenshot_dir / f"kiosk-{name}-{orientation}.png")
        assert_big_targets(page)
        assert_accessible(page)
    return shoot


SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    "a, button, label.k-choice, label.k-chip > span, input:not([type=radio]):not([type=checkbox]):not([type=hidden]),"
    + " textarea"))
  .filter(element => element.getClientRects().length > 0)
  .map(element => [element.outerHTML.slice(0, 80), element.getBoundingClientRect()])
  .filter(([html, box]) => box.width < 48 || box.height < 48)
  .map(([html, box]) => `${html} ${Math.round(box.width)}×${Math.round(box.height)}`)"""


def assert_big_targets(page):
    """Everything a finger can touch is at least 48 × 48 CSS pixels."""
    assert page.evaluate(SMALL_TARGETS) == [], page.url


def assert_accessible(page):
    """No serious or critical axe-core violation on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` at the repository root (package.json pins axe-core)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    problems = [(violation["id"], violation["impact"], [node["target"] for node in violation["nodes"][:3]])
                for violation in result["violations"] if violation["impact"] in ("serious", "critical")]
    assert problems == [], page.url


def tap_keys(page, keys, within):
    for key in keys:
        page.locator(f"{within} button[data-key='{key}']").tap()


def test_lookup_with_the_on_screen_keypad(page, kiosk_url, make_dossier, shoot):
    make_dossier(DossierStatus.PROCESSING)
    page.goto(kiosk_url + "/")
    shoot("home")
    page.locator("a.k-tile-lookup").tap()
    expect(page.locator("#code")).to_be_focused()
    tap_keys(page, "9", ".k-keypad")
    page.locator(".k-keypad [data-action=backspace]").tap()
    tap_keys(page, "260305-0001", ".k-keypad")
    expect(page.locator("#code")).to_have_value("260305-0001")
    shoot("lookup")
    page.locator("button[type=submit]").tap()
    expect(page.locator(".k-status-text")).to_have_text("Hồ sơ đang được giải quyết.")
    facts = page.locator(".k-facts")
    expect(facts).to_contain_text("000.13.31.H57-260305-0001")
    expect(facts).to_contain_text("Trần T. B. N.")
    expect(facts).to_contain_text("Đăng ký giám hộ")
    expect(facts).to_contain_text("Thứ Ba, 10/03/2026")
    shoot("result")

    page.locator("a", has_text="Tra cứu hồ sơ khác").tap()
    tap_keys(page, "260305-0099", ".k-keypad")
    page.locator("button[type=submit]").tap()
    expect(page.locator(".k-alert")).to_contain_text("Chưa tìm thấy hồ sơ có mã này.")
    shoot("lookup-unknown")


def test_a_scanned_receipt_opens_the_lookup_from_any_screen(page, kiosk_url, live_server, make_dossier, shoot):
    code = make_dossier(DossierStatus.RESULT_READY)
    page.goto(kiosk_url + "/procedures")
    # The barcode gun is a keyboard: it types the whole code and Enter within milliseconds.
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/lookup\?code="))
    expect(page.locator(".k-advice")).to_have_text("Mời ông/bà đến quầy nhận kết quả.")
    shoot("result-ready")

    page.goto(kiosk_url + "/")
    page.keyboard.type(f"http://192.168.1.10/tra-cuu/{code}?t=abcdef")  # the receipt's QR code
    page.keyboard.press("Enter")
    expect(page.locator(".k-facts")).to_contain_text(code)


def test_an_idle_screen_counts_down_then_goes_home(page, kiosk_url, live_server, shoot):
    with live_server.app_context():  # the admin's setting (its default is 90 s since the desk's round)
        settings.put("kiosk_idle_seconds", 60)
        db.session.commit()
    # The page's clock is Playwright's: paused, and moved on by the test, so no test waits a minute.
    page.clock.install(time=datetime(2026, 3, 5, 9, 0))
    page.goto(kiosk_url + "/lookup")
    page.clock.pause_at(datetime(2026, 3, 5, 9, 0, 1))
    tap_keys(page, "2603", ".k-keypad")
    overlay, count = page.locator("#idle"), page.locator("#idle-count")
    page.clock.run_for(49_000)  # the setting's 60 s, minus the 10 s countdown, minus one
    expect(overlay).to_be_hidden()
    page.clock.run_for(2_000)
    expect(overlay).to_be_visible()
    expect(count).to_have_text(re.compile(r"^(10|9)$"))
    page.locator("#idle-stay").tap()
    expect(overlay).to_be_hidden()
    page.clock.run_for(55_000)
    expect(overlay).to_be_visible()
    expect(count).to_have_text(re.compile(r"^[3-6]$"))
    expect(page.locator("#code")).to_have_value("2603")  # nothing lost while the citizen is still there
    page.clock.run_for(6_000)
    expect(page).to_have_url(kiosk_url + "/")
    expect(page.locator("h1")).to_have_text("Xin chào! Ông/bà cần làm gì?")
    # Last, the countdown's photograph and accessibility check: axe-core needs running timers, so the
    # clock runs for real here, and nothing above depends on how long this takes on a busy machine.
    page.goto(kiosk_url + "/lookup")
    page.clock.run_for(51_000)
    expect(overlay).to_be_visible()
    page.clock.resume()
    shoot("idle-countdown")


def test_a_survey_is_taken_once_and_refused_the_second_time(page, kiosk_url, live_server, make_dossier, shoot):
    code = make_dossier(DossierStatus.RETURNED)
    page.goto(kiosk_url + "/")
    page.locator("a.k-tile-survey").tap()
    tap_keys(page, "260305-0001", ".k-keypad")
    page.locator("button[type=submit]").tap()
    expect(page).to_have_url(kiosk_url + f"/survey/{code}")
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)  # nothing pre-selected
    expect(page.locator(".k-why")).to_be_hidden()
    shoot("survey")

    page.locator("label.k-choice-unsatisfied").tap()
    expect(page.locator(".k-why")).to_be_visible()  # the reasons are asked for when unsatisfied
    page.locator(".k-chip", has_text="Phải chờ đợi lâu").tap()
    page.locator("#comment").tap()
    keyboard = page.locator(".k-why .k-keyboard")
    expect(keyboard).to_be_visible()
    tap_keys(page, "châm", ".k-why .k-keyboard")
    keyboard.locator("[data-tone=dot]").tap()  # the tone goes on â: "chậm"
    expect(page.locator("#comment")).to_have_value("chậm")
    page.locator(".k-why").scroll_into_view_if_needed()
    shoot("survey-unsatisfied")
    page.locator("label.k-score-1", has=page.locator("input[name=attitude]")).tap()
    page.locator("button[type=submit]", has_text="Gửi đánh giá").tap()
    expect(page.locator("h1")).to_have_text("Cảm ơn ông/bà đã đánh giá!")
    shoot("thanks")
    with live_server.app_context():
        survey = db.session.scalar(sa.select(Survey))
        assert (survey.overall, survey.channel, survey.answers) == ("unsatisfied", "kiosk", {"attitude": 1})
        assert survey.comment == "Phải chờ đợi lâu\nchậm"

    page.locator("a", has_text="Về trang chủ").tap()
    page.locator("a.k-tile-survey").tap()
    tap_keys(page, "260305-0001", ".k-keypad")
    page.locator("button[type=submit]").tap()
    expect(page.locator(".k-message-big")).to_have_text("Hồ sơ này đã được đánh giá. Xin cảm ơn ông/bà!")
    expect(page.locator("input[name=overall]")).to_have_count(0)
    shoot("survey-refused")
    with live_server.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Survey.id))) == 1


def test_the_procedure_guide_finds_a_procedure_typed_without_accents(page, kiosk_url, shoot):
    page.goto(kiosk_url + "/")
    page.locator("a.k-tile-guide").tap()
    expect(page.locator(".k-fields")).to_contain_text("Hộ tịch")
    page.locator("#q").tap()
    expect(page.locator(".k-keyboard")).to_be_visible()
    tap_keys(page, "khai sinh", ".k-keyboard")
    expect(page.locator("#q")).to_have_value("khai sinh")
    shoot("guide")
    page.locator("button[type=submit]", has_text="Tìm").tap()
    result = page.locator(".k-procedure", has_text="Đăng ký khai sinh").first
    expect(result).to_be_visible()
    shoot("guide-results")
    result.tap()
    expect(page.locator("h1")).to_have_text(re.compile("Đăng ký khai sinh"))
    expect(page.locator(".k-facts")).to_contain_text("Trong ngày")
    expect(page.locator(".k-facts")).to_contain_text("UBND xã Quảng Thọ")
    expect(page.locator(".k-documents li").first).to_be_visible()
    expect(page.locator(".k-qr svg")).to_be_visible()
    shoot("procedure")
    page.locator("a", has_text="Quay lại").tap()
    expect(page.locator("#q")).to_have_value("khai sinh")


def test_a_general_comment_typed_on_the_screen(page, kiosk_url, live_server, shoot):
    page.goto(kiosk_url + "/")
    page.locator("a.k-tile-comment").tap()
    page.locator("#text").tap()
    tap_keys(page, "can them ghe", ".k-keyboard")
    shoot("comment")
    page.locator("button[type=submit]").tap()
    expect(page.locator("h1")).to_have_text("Cảm ơn ông/bà đã góp ý!")


def test_a_wrong_address_gets_the_kiosks_own_screen(page, kiosk_url, shoot):
    page.goto(kiosk_url + "/khong-co")
    expect(page.locator("h1")).to_have_text("Không tìm thấy")
    shoot("not-found")


@pytest.fixture
def limited_url(database_url, demo):
    """A second server whose public limit is one lookup, for the "please wait" screen."""
    app = make_app(database_url, RATELIMIT_ENABLED=True, PUBLIC_RATE_LIMIT="1 per hour")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{KIOSK}"
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()


def test_too_many_lookups_show_a_please_wait_screen(page, limited_url, shoot):
    page.goto(limited_url + "/lookup?code=260305-0001")
    page.goto(limited_url + "/lookup?code=260305-0002")
    expect(page.locator("h1")).to_have_text("Vui lòng chờ một chút")
    shoot("please-wait")


@pytest.mark.parametrize(("word", "tone", "expected"), [
    ("cham", "dot", "chạm"), ("châm", "dot", "chậm"), ("hoa", "grave", "hoà"), ("toan", "grave", "toàn"),
    ("ngươi", "grave", "người"), ("quôc", "acute", "quốc"), ("gi", "grave", "gì"), ("mua", "grave", "mùa"),
    ("chậm", "dot", "châm"), ("chậm", "acute", "chấm"),
])
def test_tone_keys_put_the_mark_on_the_right_vowel(page, kiosk_url, word, tone, expected):
    page.goto(kiosk_url + "/comment")
    assert page.evaluate("([word, tone]) => window.kioskKeys.withTone(word, tone)", [word, tone]) == expected
