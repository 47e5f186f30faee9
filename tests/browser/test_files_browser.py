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


# Headless Chromium has no camera: the page gets a stream painted on a canvas, as a webcam would give.
FAKE_WEBCAM = """
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 640; canvas.height = 480;
  const context = canvas.getContext('2d');
  const paint = () => { context.fillStyle = '#fff'; context.fillRect(0, 0, 640, 480);
    context.fillStyle = '#1e3c8c'; context.fillRect(40, 40, 560, 60);
    for (let i = 0; i < 12; i++) { context.fillStyle = '#555'; context.fillRect(60, 140 + i * 26, 200 + (i * 53) % 300, 10); } };
  paint(); setInterval(paint, 100);
  return canvas.captureStream(10);
};
"""


def test_a_photo_from_the_desk_webcam_is_attached_to_a_paper(live_server, page, screenshot_dir, tmp_path):
    from lifecycle import build
    from onestop.extensions import db

    live_server.config["FILES_URL"] = str(tmp_path / "files")
    with live_server.app_context():
        dossier = build("received")
        dossier.documents = [{"name": "Văn bản cử người giám hộ", "kind": "original", "count": 1}]
        db.session.commit()
        code = dossier.code
    base_url = live_server.config["LIVE_URL"]
    page.add_init_script(FAKE_WEBCAM)
    page.goto(f"{base_url}/auth/login")
    page.fill("#username", "clerk")
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    page.goto(f"{base_url}/desk/dossiers/{code}")
    line = page.locator(".file-line").first
    camera = line.locator("button.camera")
    expect(camera).to_be_visible()
    camera.click()
    expect(line.locator("video.camera-preview")).to_be_visible()
    page.wait_for_function("v => v.videoWidth > 0", arg=line.locator("video").element_handle())
    camera.click()  # now it says 'Chụp ảnh'
    expect(camera).to_have_text("Chụp thêm ảnh")
    assert line.locator("input[type=file]").evaluate("input => input.files.length") == 1
    line.locator("button[type=submit]", has_text="Đính kèm bản quét").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã đính kèm 1 tệp")
    line = page.locator(".file-line").first
    expect(line).to_contain_text("Đã số hóa")
    image = line.locator("img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    page.locator("#files").screenshot(path=screenshot_dir / "files-webcam-photo.png")
