"""Issue 21 in Chromium: a staff page opened again takes every stylesheet and script from the cache.

On an old desk PC with 100 ms to the server, each file the browser asks about again (even for a 304) is a
round trip before the page is usable. Resource Timing's transferSize is 0 only for a file taken from the
cache without asking the server.
"""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
def nav(page, name):
    return page.locator("header nav").get_by_role("link", name=name)


STATIC_FILES = """() => performance.getEntriesByType('resource')
  .filter(e => new URL(e.name).pathname.startsWith('/static/'))
  .map(e => [new URL(e.name).pathname + new URL(e.name).search, e.transferSize])"""


def test_a_revisited_staff_page_fetches_no_static_file_from_the_network(live_server, page):
    base_url = live_server.config["LIVE_URL"]
    asked = []  # through the DevTools protocol: Playwright's own request events leave the icon out
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.on("Network.requestWillBeSent", lambda event: asked.append(event["request"]["url"]))
    page.goto(f"{base_url}/auth/login")
    page.fill("#username", "clerk")
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/auth/login"))

    nav(page, "Tiếp nhận hồ sơ").click()  # the intake form: its own script is new
    expect(page.locator("#procedure-search")).to_be_visible()
    fetched = dict(page.evaluate(STATIC_FILES))
    assert any(name.startswith("/static/js/intake.js?v=") and size > 0 for name, size in fetched.items())

    nav(page, "Bàn làm việc").click()  # desk home again: app.css and desk.js are known
    expect(page.locator("#scan-code")).to_be_focused()
    nav(page, "Tiếp nhận hồ sơ").click()  # and the intake form again
    page.fill("#procedure-search", "khai sinh")  # intake.js, from the cache, still works
    expect(page.locator("#procedure-results li[data-code='1.001193']")).to_be_visible()

    again = page.evaluate(STATIC_FILES)
    names = {name.split("?")[0] for name, _size in again}
    assert {"/static/css/app.css", "/static/js/desk.js", "/static/js/intake.js"} <= names
    assert [(name, size) for name, size in again if size != 0] == []  # not even a 304
    assert not [url for url in asked if "favicon" in url]  # no 404 round trip for an icon either
