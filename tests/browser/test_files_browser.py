"""Issue 18 in a real Chromium: the clerk attaches a scan beside a paper at intake and sees its first page."""
import io
import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def scanned_pdf() -> bytes:
    """A one-page 'scan' of a form, as a desk scanner writes it: an image inside a PDF."""
    page = Image.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi
    draw = ImageDraw.Draw(page)
    draw.rectangle((80, 80, 1160, 1674), outline="black", width=6)
    draw.rectangle((120, 140, 1120, 260), fill=(30, 60, 140))
    for line in range(22):
        draw.rectangle((140, 340 + line * 60, 140 + (line * 137) % 800 + 200, 362 + line * 60), fill=(90, 90, 90))
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150)
    return buffer.getvalue()


def test_a_scan_attached_at_intake_shows_its_thumbnail_on_the_dossier_page(live_server, page, screenshot_dir,
                                                                          tmp_path):
    live_server.config["FILES_URL"] = str(tmp_path / "files")
    base_url = live_server.config["LIVE_URL"]
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base_url}/auth/login")
    page.fill("#username", "clerk")
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    page.goto(f"{base_url}/desk/receive")
    page.fill("#procedure-search", "giam ho")
    page.locator("#procedure-results li[data-code='1.004837']").click()
    rows = page.locator("#document-rows tr")
    expect(rows.first).to_be_visible()
    rows.first.locator("input[type=checkbox]").check()
    rows.first.locator("input[type=file]").set_input_files(
        {"name": "to-khai-giam-ho.pdf", "mimeType": "application/pdf", "buffer": scanned_pdf()})
    page.fill("#applicant_name", "Lê Văn Tám")
    page.click("text=Chỉ tiếp nhận")
    expect(page.locator(".flash-success")).to_contain_text("Đã tiếp nhận hồ sơ")
    expect(page).to_have_url(re.compile(r"/desk/dossiers/"))

    line = page.locator(".file-line").first
    expect(line).to_contain_text("Đã số hóa")
    thumbnail = line.locator("img")
    thumbnail.scroll_into_view_if_needed()
    expect(thumbnail).to_have_attribute("loading", "lazy")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    assert thumbnail.evaluate("img => img.naturalWidth") == 240
    page.locator("#files").screenshot(path=screenshot_dir / "files-dossier-thumbnail.png")
    page.screenshot(path=screenshot_dir / "files-dossier-page.png", full_page=True)

    with page.expect_popup() as opened:  # the browser's own PDF viewer, in a new tab
        thumbnail.click()
    viewer = opened.value
    assert re.search(r"/files/\d+/view$", viewer.url)
