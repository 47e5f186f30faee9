"""Issue 9 in Chromium: every main page works under the Content-Security-Policy; script in a name stays text."""
import re

import pytest
from playwright.sync_api import expect

from lifecycle import build
from onestop.extensions import db

pytestmark = pytest.mark.browser
HOME = "000.13.31.H57"
# Listens from before any page script runs; Playwright's init scripts are not subject to the page's CSP.
WATCH_CSP = """window.__csp = [];
document.addEventListener("securitypolicyviolation",
  e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || "")));"""
PAYLOAD = '"><img src=x onerror="alert(1)"><script>alert(2)</script>'


@pytest.fixture
def watched(page):
    """The page, with a list of every CSP violation and script error it reports."""
    problems = []
    page.add_init_script(WATCH_CSP)
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))

    def check(where):
        problems.extend(page.evaluate("window.__csp || []"))
        assert problems == [], where
    page.check_csp = check
    return page


def log_in(page, base_url, username):
    page.goto(f"{base_url}/auth/login")
    page.check_csp("login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/auth/login"))


def test_the_main_pages_work_under_the_content_security_policy(live_server, watched, screenshot_dir):
    page, base_url = watched, live_server.config["LIVE_URL"]
    log_in(page, base_url, "clerk")
    expect(page.locator("#scan-code")).to_be_focused()  # desk.js ran
    page.check_csp("desk home")

    page.goto(f"{base_url}/desk/receive")
    page.fill("#procedure-search", "khai sinh")  # intake.js asks the API for procedures
    page.locator("#procedure-results li[data-code='1.001193']").click()
    expect(page.locator("#procedure-appointment")).to_have_text("17:00 ngày 05/03/2026")
    page.locator("#document-rows input[type=checkbox]").first.check()
    page.fill("#applicant_name", "Nguyễn Thị Hoa")
    page.fill("#phone", "0905123456")
    page.check_csp("intake")
    page.click("text=Chỉ tiếp nhận")
    expect(page.locator(".flash-success")).to_contain_text("000.13.31.H57-260305-0001")
    page.screenshot(path=screenshot_dir / "csp-dossier.png", full_page=True)
    page.check_csp("dossier page")
    page.goto(f"{base_url}/desk/dossiers/000.13.31.H57-260305-0001/receipt")
    expect(page.locator("svg").first).to_be_visible()  # the inlined Code128 keeps its style="" colours
    page.screenshot(path=screenshot_dir / "csp-receipt.png", full_page=True)
    page.check_csp("receipt")

    page.goto(f"{base_url}/kiosk/{HOME}/")
    page.screenshot(path=screenshot_dir / "csp-kiosk.png")
    page.check_csp("kiosk home")
    page.goto(f"{base_url}/display/{HOME}")
    expect(page.locator("body")).not_to_be_empty()
    page.wait_for_load_state("networkidle")  # display.js has fetched feed.json
    page.screenshot(path=screenshot_dir / "csp-display.png")
    page.check_csp("display board")

    page.goto(f"{base_url}/desk/")
    page.locator("header .user button").click()  # logout: a POST with the CSRF token
    expect(page.locator(".flash")).to_contain_text("Đã đăng xuất")
    log_in(page, base_url, "admin")
    for path in ("/admin/calendar", "/admin/events", "/admin/privacy-log"):
        page.goto(base_url + path)
        page.check_csp(path)
    page.screenshot(path=screenshot_dir / "csp-admin-events.png", full_page=True)


def test_the_browser_reports_an_inline_script_as_a_violation(live_server, watched):
    """The watch really sees violations: an injected inline script is refused and reported."""
    page = watched
    page.goto(f"{live_server.config['LIVE_URL']}/auth/login")
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
                             document.body.append(s); }""")
    assert page.evaluate("window.__ran") is None
    with pytest.raises(AssertionError):
        page.check_csp("injected")


@pytest.fixture
def hostile(live_server):
    """A person's dossier held by the officer, and an organisation's ready one (shown unmasked on the board)."""
    with live_server.app_context():
        person = build("processing")
        person.applicant_name = PAYLOAD
        organisation = build("result_ready")
        organisation.applicant_name, organisation.applicant_is_organisation = PAYLOAD, True
        db.session.commit()
        return person.code, organisation.code


def test_a_script_in_an_applicant_name_is_shown_as_text_everywhere(live_server, hostile, page, screenshot_dir):
    base_url, (person, organisation) = live_server.config["LIVE_URL"], hostile
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{base_url}/auth/login")
    page.fill("#username", "officer")
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    pages = {"dossier": f"/desk/dossiers/{person}", "search": f"/desk/search?q={person}",
             "inbox": "/desk/inbox", "receipt": f"/desk/dossiers/{person}/receipt", "board": f"/display/{HOME}"}
    for name, path in pages.items():
        page.goto(base_url + path)
        if name == "board":
            page.wait_for_load_state("networkidle")
        page.screenshot(path=screenshot_dir / f"xss-{name}.png", full_page=True)
        expect(page.locator("body"), name).to_contain_text("<script>alert(2)</script>")
        assert page.locator("img[src='x']").count() == 0, name
        assert page.evaluate("[...document.scripts].filter(s => !s.src).length") == \
            page.locator("script[type='application/json']").count(), name
    assert dialogs == []
