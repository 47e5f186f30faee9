"""The receipt and the folder label printed by Chromium: one sheet each, and both codes read back with zbar."""
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import expect
from pyzbar.pyzbar import decode

from onestop import calendars, codes, dossiers, receipts
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import Procedure, User

pytestmark = [pytest.mark.browser, pytest.mark.zbar]

DPI = 300
MM = DPI / 25.4  # pixels per millimetre in the rasterised PDF
# A 25-character code at 0.3 mm modules: 92.4 mm with its quiet zones, 86.4 mm of bars.
BARS_MM = 86.4


@pytest.fixture
def code(live_server):
    """A birth registration received by the demo clerk at the pinned time, with its documents."""
    with live_server.app_context():
        procedure = db.session.scalar(sa.select(Procedure).filter_by(code="1.001193"))
        clerk = db.session.scalar(sa.select(User).filter_by(username="clerk"))
        documents = [{"name": name, "kind": kind, "count": 1}
                     for name, kind in zip(procedure.documents, ["original", "copy", "certified", "original"])]
        applicant = dossiers.Applicant(
            name="Nguyễn Thị Hồng Nhung", id_number="046123456789", phone="0912345678",
            email="nhung.nguyen@example.vn", address="Thôn Phước Thanh, xã Quảng Thọ, huyện Quảng Điền, tỉnh Thừa Thiên Huế")
        dossier = dossiers.receive(procedure, applicant, dossiers.Intake(documents=documents), agency=clerk.agency,
                                   clerk=clerk, now=datetime(2026, 3, 5, 9, 0, tzinfo=VN), calendar=calendars.current())
        db.session.commit()
        return dossier.code


@pytest.fixture
def base(page, live_server):
    """The served app's address, with the browser logged in as the clerk through the login form."""
    url = live_server.config["LIVE_URL"]
    page.goto(f"{url}/auth/login")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda address: "/auth/login" not in address)
    return url


def print_pages(page, tmp_path: Path, name: str, **pdf_options) -> list[Path]:
    """Print the page to PDF as Chromium does, then rasterise every sheet at 300 dpi."""
    pdf = tmp_path / f"{name}.pdf"
    page.pdf(path=pdf, print_background=True, **pdf_options)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(tmp_path / name)], check=True)
    return sorted(tmp_path.glob(f"{name}-*.png"))


def zbarimg(png: Path) -> list[tuple[str, str]]:
    """The symbols zbarimg reads on a picture, as (type, value)."""
    output = subprocess.run(["zbarimg", "-q", "--nodbus", str(png)], capture_output=True, text=True).stdout
    return sorted(tuple(line.split(":", 1)) for line in output.splitlines())


def printed_bars_mm(png: Path) -> float:
    """How wide the Code128's bars came out on paper."""
    with Image.open(png) as image:
        [symbol] = [symbol for symbol in decode(image) if symbol.type == "CODE128"]
    return symbol.rect.width / MM


def size_mm(png: Path) -> tuple[float, float]:
    """The size of a rasterised sheet in millimetres."""
    with Image.open(png) as image:
        return image.width / MM, image.height / MM


def test_printed_receipt_reads_back_as_the_code_and_the_lookup_url(page, base, code, live_server, screenshot_dir,
                                                                  tmp_path):
    page.goto(f"{base}/desk/dossiers/{code}/receipt")
    expect(page.get_by_role("heading", name="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")).to_be_visible()
    page.screenshot(path=screenshot_dir / "receipt-screen.png", full_page=True)

    sheets = print_pages(page, tmp_path, "receipt", format="A5")
    shutil.copy(sheets[0], screenshot_dir / "receipt-a5-300dpi.png")
    assert len(sheets) == 1  # the whole form, four documents included, fits one A5 sheet
    assert size_mm(sheets[0]) == pytest.approx((148, 210), abs=0.5)

    symbols = dict(zbarimg(sheets[0]))
    assert symbols.keys() == {"CODE-128", "QR-Code"}
    assert symbols["CODE-128"] == code
    url = symbols["QR-Code"]
    with live_server.test_request_context():
        assert url == receipts.lookup_url(code)
    assert f"/tra-cuu/{code}?t=" in url
    assert codes.check_lookup_token(code, url.split("?t=", 1)[1], live_server.config["SECRET_KEY"])
    assert printed_bars_mm(sheets[0]) > 0.95 * BARS_MM  # printed at its natural size, never shrunk

    printed_text = subprocess.run(["pdftotext", str(tmp_path / "receipt.pdf"), "-"], capture_output=True,
                                  text=True, check=True).stdout
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in printed_text
    assert "Quay lại" not in printed_text  # the toolbar stays on the screen


def test_print_button_opens_the_print_dialog_and_hides_when_printing(page, base, code):
    page.goto(f"{base}/desk/dossiers/{code}/receipt")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="In", exact=True).click()
    assert page.evaluate("window.printed") == 1
    page.get_by_role("link", name="Quay lại").click()
    page.wait_for_url(f"{base}/desk/dossiers/{code}")
    page.goto(f"{base}/desk/dossiers/{code}/label")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="In", exact=True)).to_be_hidden()


def test_printed_label_is_one_sticker_whose_barcode_reads_back(page, base, code, screenshot_dir, tmp_path):
    page.goto(f"{base}/desk/dossiers/{code}/label")
    page.screenshot(path=screenshot_dir / "label-screen.png", full_page=True)

    sheets = print_pages(page, tmp_path, "label", prefer_css_page_size=True)
    shutil.copy(sheets[0], screenshot_dir / "label-100x50-300dpi.png")
    assert len(sheets) == 1
    assert size_mm(sheets[0]) == pytest.approx((100, 50), abs=0.5)
    assert zbarimg(sheets[0]) == [("CODE-128", code)]
    assert printed_bars_mm(sheets[0]) > 0.95 * BARS_MM


def test_a_long_receipt_still_prints_on_one_a5_sheet_with_both_codes_readable(page, base, live_server, screenshot_dir,
                                                                              tmp_path):
    """A 200-character organisation name, a 300-character address and 12 documents: the text shrinks, not the codes."""
    name = ("Công ty trách nhiệm hữu hạn một thành viên sản xuất thương mại dịch vụ xây dựng và đầu tư phát triển "
            "nông nghiệp công nghệ cao Quảng Thọ Thừa Thiên Huế chi nhánh huyện Quảng Điền số 2 xã Quảng Thọ Huế")[:200]
    address = ("Lô số 12, đường liên xã Quảng Thọ - Quảng Phước, thôn Phước Thanh, xã Quảng Thọ, huyện Quảng Điền, "
               "tỉnh Thừa Thiên Huế; văn phòng giao dịch: số 45 đường Nguyễn Vịnh, phường Thuận Hòa, thành phố Huế; "
               "kho hàng: khu công nghiệp Phong Điền, thị trấn Phong Điền, huyện Phong Điền, tỉnh Thừa Thiên Huế, VN.")[:300]
    assert (len(name), len(address)) == (200, 300)
    with live_server.app_context():
        procedure = db.session.scalar(sa.select(Procedure).filter_by(code="1.001193"))
        clerk = db.session.scalar(sa.select(User).filter_by(username="clerk"))
        documents = [{"name": f"Giấy tờ số {n}: bản kê khai chi tiết thông tin của tổ chức kèm theo hồ sơ đề nghị",
                      "kind": "certified", "count": n} for n in range(1, 13)]
        applicant = dossiers.Applicant(name=name, phone="02343551234", email="lienhe@congty-quangtho.example.vn",
                                       address=address, is_organisation=True)
        dossier = dossiers.receive(procedure, applicant, dossiers.Intake(documents=documents, quantity=2),
                                   agency=clerk.agency, clerk=clerk, now=datetime(2026, 3, 5, 9, 0, tzinfo=VN),
                                   calendar=calendars.current())
        db.session.commit()
        code = dossier.code
    page.goto(f"{base}/desk/dossiers/{code}/receipt")
    expect(page.get_by_role("heading", name="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")).to_be_visible()
    page.screenshot(path=screenshot_dir / "receipt-long-screen.png", full_page=True)

    sheets = print_pages(page, tmp_path, "long", format="A5")
    shutil.copy(sheets[0], screenshot_dir / "receipt-long-a5-300dpi.png")
    assert len(sheets) == 1  # the signatures did not spill onto a second sheet
    symbols = dict(zbarimg(sheets[0]))
    assert symbols.keys() == {"CODE-128", "QR-Code"} and symbols["CODE-128"] == code
    assert printed_bars_mm(sheets[0]) > 0.95 * BARS_MM
    printed_text = subprocess.run(["pdftotext", str(tmp_path / "long.pdf"), "-"], capture_output=True,
                                  text=True, check=True).stdout
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in printed_text and "Giấy tờ số 12" in printed_text
