"""Queue numbers in Chromium (issue 20): a ticket from the kiosk, called at the desk, shown and spoken in the lobby,
and linked to the dossier received after it."""
import re
import shutil

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from onestop import seed
from onestop.extensions import db
from onestop.models import Dossier, QueueTicket, TicketStatus

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")]

HOME = seed.DEMO_HOME[0]
SECONDS = 1000


def log_in(page, base_url, username="clerk"):
    page.goto(f"{base_url}/auth/login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/desk/$"))


def test_a_ticket_is_taken_called_shown_spoken_and_becomes_a_dossier(live_server, browser, screenshot_dir, tmp_path):
    live_server.config.update({"DISPLAY_POLL_SECONDS": 0.3, "DISPLAY_MAX_BACKOFF_SECONDS": 1,
                               "QUEUE_SPEECH_DIR": str(tmp_path)})
    with live_server.app_context():
        seed.load_demo_queue(seed.home_agency())
        db.session.commit()
    base_url = live_server.config["LIVE_URL"]
    lobby = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    kiosk = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    desk = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()

    lobby.goto(f"{base_url}/display/{HOME}")
    expect(lobby.locator("#calls")).to_be_hidden()

    # The kiosk: home → "Lấy số thứ tự" → line A; the printer is out of paper, the number stays on screen.
    kiosk.add_init_script("window.print = function () { window.printed = (window.printed || 0) + 1; "
                          "throw new Error('out of paper'); };")
    kiosk.goto(f"{base_url}/kiosk/{HOME}/")
    kiosk.screenshot(path=screenshot_dir / "queue-kiosk-home.png")
    kiosk.click("text=Lấy số thứ tự")
    kiosk.screenshot(path=screenshot_dir / "queue-kiosk-lines.png")
    kiosk.click("button.q-line[value=A]")
    expect(kiosk.locator("#ticket-number")).to_have_text("A001")
    expect(kiosk.locator("#ticket-ahead")).to_contain_text("0")
    kiosk.wait_for_load_state("load")
    assert kiosk.evaluate("window.printed") == 1  # the print dialog was asked for, and failed
    expect(kiosk.locator("#ticket-number")).to_be_visible()
    expect(kiosk.locator(".q-qr svg")).to_be_visible()
    follow_url = kiosk.locator("#ticket").get_attribute("data-follow-url")
    kiosk.emulate_media(media="print")
    kiosk.locator("#ticket").screenshot(path=screenshot_dir / "queue-ticket-80mm.png")
    kiosk.emulate_media(media="screen")
    assert kiosk.locator("#ticket").bounding_box()["width"] <= 80 / 25.4 * 96 + 1  # 80 mm at 96 px per inch

    # The clerk: counter 2, "Gọi số tiếp".
    log_in(desk, base_url)
    desk.click("text=Gọi số")
    desk.select_option("#counter", "2")
    desk.click("text=Chọn quầy")
    expect(desk.locator(".q-count[data-letter=A]")).to_have_text("1")
    desk.click("text=Gọi số tiếp")
    expect(desk.locator(".flash-success")).to_contain_text("A001")
    expect(desk.locator("#current-number")).to_have_text("A001")

    # The lobby: the band shows A001 → Quầy 2, highlighted, and the audio element plays its WAV.
    call = lobby.locator("#calls-list .call").first
    expect(call).to_contain_text("A001", timeout=5 * SECONDS)
    expect(call).to_contain_text("Quầy 2")
    expect(call).to_have_class(re.compile(r"\bis-new\b"))
    expect(lobby.locator("#board")).to_have_attribute("data-spoken", "1")
    source = lobby.locator("#call-audio").get_attribute("src")
    assert source.endswith("/speech/A001-2.wav")
    sound = lobby.request.get(base_url + source)
    assert sound.status == 200 and sound.headers["content-type"] == "audio/wav" and len(sound.body()) > 20000
    lobby.locator("#calls").screenshot(path=screenshot_dir / "queue-lobby-band.png")
    lobby.screenshot(path=screenshot_dir / "queue-lobby.png")

    # The phone page of the ticket's QR.
    phone = browser.new_context(viewport={"width": 390, "height": 800}).new_page()
    phone.goto(follow_url)
    expect(phone.locator("#serving")).to_have_text("A001")
    expect(phone.locator("#ahead")).to_contain_text("quầy số 2")

    # "Tiếp nhận": the intake form; the dossier saved after it is the ticket's.
    desk.click("text=Tiếp nhận >> nth=-1")
    expect(desk).to_have_url(re.compile(r"/desk/receive$"))
    desk.fill("#procedure-search", "khai sinh")
    desk.locator("#procedure-results li[data-code='1.001193']").click()
    desk.locator("#document-rows input[type=checkbox]").first.check()
    desk.fill("#applicant_name", "Nguyễn Thị Hoa")
    desk.fill("#id_number", "046190001234")
    desk.click("text=Chỉ tiếp nhận")
    expect(desk.locator(".flash-success")).to_contain_text("000.13.31.H57-260305-0001")
    with live_server.app_context():
        ticket = db.session.scalar(sa.select(QueueTicket).where(QueueTicket.number == "A001"))
        dossier = db.session.scalar(sa.select(Dossier))
        assert ticket.status == TicketStatus.SERVED and ticket.dossier_id == dossier.id
        assert ticket.finished_at == dossier.received_at
    for context in (lobby.context, kiosk.context, desk.context, phone.context):
        context.close()

