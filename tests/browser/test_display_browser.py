"""The lobby board in Chromium: results come and go, it survives a server restart, the week's schedule rotates in."""
import re
import socket
import threading
from datetime import date, time

import pytest
import sqlalchemy as sa
from conftest import PINNED_NOW
from playwright.sync_api import expect
from test_display import at, change, mark_ready, receive
from werkzeug.serving import make_server

from onestop import agendas, seed
from onestop.extensions import db
from onestop.models import Agency, DossierStatus, Timeliness

pytestmark = pytest.mark.browser

HOME = seed.DEMO_HOME[0]
FAST = {"DISPLAY_POLL_SECONDS": 0.3, "DISPLAY_MAX_BACKOFF_SECONDS": 1}
FULL_HD = {"width": 1920, "height": 1080}
SECONDS = 1000  # Playwright counts milliseconds


def add_entry(app, day, start, content, presiding, place=""):
    with app.app_context():
        agency = db.session.scalar(sa.select(Agency).where(Agency.code == HOME))
        agendas.add(agency, agendas.EntryData(day, start, content, presiding, place), author=None)
        db.session.commit()


def open_board(page, base_url):
    page.set_viewport_size(FULL_HD)
    page.goto(f"{base_url}/display/{HOME}")
    page.evaluate("window.sameDocument = true")  # gone if the page ever reloads


def row(page, code):
    return page.locator(f'.ready-row[data-code="{code}"]')


def test_a_result_marked_ready_appears_and_a_returned_one_disappears(live_server, page, screenshot_dir):
    live_server.config.update(FAST)
    code = receive(live_server, "Nguyễn Thị Hoa")
    with page.expect_response(lambda response: "feed.json" in response.url and response.status == 304) as unchanged:
        open_board(page, live_server.config["LIVE_URL"])  # the page came with the data: the feed has no news
    assert unchanged.value.request.headers["if-none-match"].startswith('"')
    expect(page.locator("#ready-empty")).to_be_visible()
    expect(page.locator("#fig-received")).to_have_text("1")

    mark_ready(live_server, code)
    expect(row(page, code)).to_be_visible(timeout=5 * SECONDS)
    expect(row(page, code)).to_contain_text("Nguyễn T. H.")
    expect(row(page, code)).to_contain_text("Đăng ký giám hộ")
    expect(row(page, code)).to_have_class(re.compile(r"\bis-newest\b"))
    expect(page.locator("#fig-ontime")).to_have_text("100 %")

    change(live_server, code, status=DossierStatus.RETURNED, returned_at=PINNED_NOW)
    expect(row(page, code)).to_have_count(0, timeout=5 * SECONDS)
    expect(page.locator("#ready-empty")).to_be_visible()
    expect(page.locator("#fig-returned")).to_have_text("1")
    assert page.evaluate("window.sameDocument") is True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(app, port):
    # Not threaded: HTTP/1.0, so no kept-alive connection outlives the server, as in a real restart.
    server = make_server("127.0.0.1", port, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def _stop(server, thread):
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_board_recovers_by_itself_after_the_server_restarts(demo, page, screenshot_dir):
    demo.config.update(FAST)
    port = _free_port()
    server = _serve(demo, port)
    try:
        open_board(page, f"http://127.0.0.1:{port}")
        expect(page.locator("#ready-empty")).to_be_visible()
        expect(page.locator("#offline")).to_be_hidden()
    finally:
        _stop(*server)

    expect(page.locator("#offline")).to_be_visible(timeout=10 * SECONDS)
    expect(page.locator("#offline")).to_have_text("Mất kết nối")
    page.screenshot(path=str(screenshot_dir / "display-offline.png"))
    code = receive(demo, "Trần Văn Khoa")
    mark_ready(demo, code)  # while the server is down

    server = _serve(demo, port)
    try:
        expect(page.locator("#offline")).to_be_hidden(timeout=10 * SECONDS)
        expect(row(page, code)).to_be_visible(timeout=5 * SECONDS)
        assert page.evaluate("window.sameDocument") is True  # recovered without a reload
    finally:
        _stop(*server)


def test_the_weeks_schedule_rotates_in_with_the_results(live_server, page, screenshot_dir):
    live_server.config.update(FAST, DISPLAY_PAGE_SECONDS=1)
    mark_ready(live_server, receive(live_server, "Lê Văn Tám"))
    add_entry(live_server, date(2026, 3, 5), time(14, 0), "Họp Ban chỉ đạo xây dựng nông thôn mới",
              "Ông Trần Quốc Huy, Phó Chủ tịch UBND xã", "Hội trường UBND xã")
    add_entry(live_server, date(2026, 3, 9), time(7, 30), "Lịch của tuần sau", "Ông Nguyễn Văn Minh")
    open_board(page, live_server.config["LIVE_URL"])
    expect(page.locator("#slide-results")).to_be_visible()

    agenda = page.locator("#slide-agenda")
    expect(agenda).to_be_visible(timeout=10 * SECONDS)
    expect(agenda).to_contain_text("Lịch công tác tuần từ 02/03 đến 08/03/2026")
    expect(agenda).to_contain_text("Họp Ban chỉ đạo xây dựng nông thôn mới")
    expect(agenda).to_contain_text("Chủ trì: Ông Trần Quốc Huy")
    expect(agenda).to_contain_text("Địa điểm: Hội trường UBND xã")
    expect(agenda).not_to_contain_text("Lịch của tuần sau")
    expect(page.locator("#slide-results")).to_be_hidden()
    expect(page.locator("#slide-results")).to_be_visible(timeout=10 * SECONDS)  # and back to the results


def test_the_chime_is_switched_on_by_one_click_and_rings_for_a_new_result(live_server, page):
    live_server.config.update(FAST)
    open_board(page, live_server.config["LIVE_URL"])
    toggle = page.locator("#chime-toggle")
    expect(toggle).to_have_text("Bật chuông")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_have_text("Tắt chuông")
    expect(page.locator("#board")).to_have_attribute("data-chimes", "1")  # a test ring on switching on

    code = receive(live_server, "Phạm Thị Lan")
    mark_ready(live_server, code)
    expect(row(page, code)).to_be_visible(timeout=5 * SECONDS)
    expect(page.locator("#board")).to_have_attribute("data-chimes", "2")

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    mark_ready(live_server, receive(live_server, "Võ Văn Bình"), when=at(5, 9, 5))
    expect(page.locator(".ready-row")).to_have_count(2, timeout=5 * SECONDS)
    expect(page.locator("#board")).to_have_attribute("data-chimes", "2")


NAMES = ["Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Minh Tuấn", "Hoàng Thị Mai",
         "Võ Quốc Bảo", "Công ty TNHH Thuận Phát", "Đặng Thị Thu Hà", "Bùi Văn Hải"]
COMPLETED = [at(3, 8, 10), at(3, 10, 5), at(3, 14, 20), at(3, 16), at(4, 7, 45), at(4, 9, 30), at(4, 15, 10),
             at(5, 7, 40), at(5, 8, 25)]
PROCEDURES = ["1.001193", "1.000894", "1.004837"]
SMALLEST_TEXT = """() => {
  let smallest = Infinity;
  for (const element of document.querySelectorAll('#board *')) {
    const hasText = [...element.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (hasText && element.getClientRects().length) {
      smallest = Math.min(smallest, parseFloat(getComputedStyle(element).fontSize));
    }
  }
  return smallest;
}"""


def test_board_at_full_hd_is_large_pages_long_lists_and_is_saved_as_a_screenshot(live_server, page, screenshot_dir):
    live_server.config.update(FAST, DISPLAY_PAGE_SECONDS=2)
    for index, (name, completed) in enumerate(zip(NAMES, COMPLETED)):
        code = receive(live_server, name, now=at(2, 8 + index % 8), procedure_code=PROCEDURES[index % 3],
                       is_organisation=name.startswith("Công ty"))
        mark_ready(live_server, code, when=completed)
    late = receive(live_server, "Quá Hạn", now=at(2))
    change(live_server, late, status=DossierStatus.RETURNED, completed_at=at(4), returned_at=at(5, 8, 30),
           timeliness=Timeliness.LATE)
    for minute in range(3):
        receive(live_server, f"Hôm Nay {minute}", now=at(5, 7, 30 + minute))
    add_entry(live_server, date(2026, 3, 2), time(7, 30), "Họp giao ban UBND xã đầu tuần",
              "Ông Nguyễn Văn Minh, Chủ tịch UBND xã", "Phòng họp UBND xã")
    add_entry(live_server, date(2026, 3, 5), None, "Tiếp công dân định kỳ", "Ông Nguyễn Văn Minh",
              "Phòng tiếp công dân")
    add_entry(live_server, date(2026, 3, 6), time(14, 0), "Làm việc với Đoàn kiểm tra của huyện về công tác "
              "cải cách hành chính năm 2026", "Ông Trần Quốc Huy, Phó Chủ tịch UBND xã", "Hội trường UBND xã")

    open_board(page, live_server.config["LIVE_URL"])
    expect(page.locator("#clock-time")).to_have_text("09:00")
    expect(page.locator("#clock-date")).to_have_text("Thứ Năm, 05/03/2026")
    expect(page.locator("#results-pager")).to_have_text("Trang 1/2")
    expect(page.locator(".ready-row").first).to_have_class(re.compile(r"\bis-newest\b"))
    expect(page.locator(".ready-row").first).to_contain_text("Bùi V. H.")  # completed last
    expect(page.locator("#fig-received")).to_have_text("3")
    expect(page.locator("#fig-returned")).to_have_text("1")
    expect(page.locator("#fig-ontime")).to_have_text("90 %")  # 9 of 10 completed this month in time
    assert page.evaluate(SMALLEST_TEXT) >= 40
    page.screenshot(path=str(screenshot_dir / "display-board.png"))

    expect(page.locator("#results-pager")).to_have_text("Trang 2/2", timeout=10 * SECONDS)
    expect(page.locator(".ready-row.is-newest")).to_have_count(0)
    expect(page.locator("#slide-agenda")).to_be_visible(timeout=10 * SECONDS)
    assert page.evaluate(SMALLEST_TEXT) >= 40
    page.screenshot(path=str(screenshot_dir / "display-agenda.png"))
