import io
import re
import subprocess
from datetime import date, datetime

import pytest
from PIL import Image, ImageDraw
from pyzbar.pyzbar import decode

from onestop import codes

CODE = "000.13.31.H57-261126-0001"
LOOKUP_URL = f"http://192.168.1.10/tra-cuu/{CODE}?t=kPVvc7N6BZlCNHUl"
DOTS_PER_MM = 300 / 25.4


def decoded(png: bytes) -> list[str]:
    return [symbol.data.decode() for symbol in decode(Image.open(io.BytesIO(png)))]


def draw_boxes(boxes, width_mm, height_mm, dots_per_mm=DOTS_PER_MM) -> Image.Image:
    """Paint black boxes (x, y, width, height in mm) on white, as a printer would at 300 dpi."""
    image = Image.new("L", (round(width_mm * dots_per_mm), round(height_mm * dots_per_mm)), 255)
    draw = ImageDraw.Draw(image)
    for x, y, width, height in boxes:
        left, top = round(x * dots_per_mm), round(y * dots_per_mm)
        right, bottom = round((x + width) * dots_per_mm), round((y + height) * dots_per_mm)
        draw.rectangle([left, top, right - 1, bottom - 1], fill=0)
    return image


def rasterise_code128_svg(svg: str) -> Image.Image:
    """Draw the black `<rect>`s of python-barcode's SVG (all in mm); there is no SVG renderer here."""
    size = re.match(r'<svg[^>]*width="([\d.]+)mm" height="([\d.]+)mm"', svg)
    boxes = [
        tuple(float(value) for value in rect)
        for rect in re.findall(
            r'<rect x="([\d.]+)mm" y="([\d.]+)mm" width="([\d.]+)mm" height="([\d.]+)mm" style="fill:black;"', svg
        )
    ]
    return draw_boxes(boxes, float(size[1]), float(size[2]))


def rasterise_qr_svg(svg: str) -> Image.Image:
    """Draw the squares `M x,y H x2 V y2 H x z` of qrcode's path, in the units of its viewBox (mm)."""
    side = float(re.search(r'viewBox="0 0 ([\d.]+) [\d.]+"', svg)[1])
    squares = re.findall(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H[\d.]+z", svg)
    boxes = [(float(x), float(y), float(x2) - float(x), float(y2) - float(y)) for x, y, x2, y2 in squares]
    return draw_boxes(boxes, side, side)


# Format, parse and expand


def test_code_is_agency_day_and_four_digit_number():
    assert codes.format_dossier_code("000.13.31.H57", date(2026, 11, 26), 1) == CODE


def test_number_past_9999_gets_more_digits():
    assert codes.format_dossier_code("000.13.31.H57", date(2026, 1, 5), 12345) == "000.13.31.H57-260105-12345"


@pytest.mark.parametrize(
    "typed",
    [
        CODE,
        f"  {CODE}\n",
        "000.13.31.h57-261126-0001",
        "000.13.31.H57 - 261126 - 0001",
        "000.13.31.H57–261126–0001",  # en dashes from a word processor
        "000.13.31.H57-261126-1",
        LOOKUP_URL,
        "HTTP://192.168.1.10/TRA-CUU/000.13.31.H57-261126-0001",
    ],
)
def test_what_a_scanner_or_a_person_types_gives_the_canonical_code(typed):
    assert codes.parse_dossier_code(typed) == CODE


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "261126-0001", "000.13.31.H57-261126", "000.13.31.H57-261326-0001",
     "000.13.31.H57-261126-0000", "000..31-261126-0001", "abc", "000.13.31.H57-261126-0001x",
     "H57.UBND.XAQUANGTHO.TTPVHCC.2025.012-261126-0001"],  # an e-ID of 36 characters
)
def test_what_is_not_a_dossier_code_gives_none(typed):
    assert codes.parse_dossier_code(typed) is None


def test_a_code_names_a_day_as_a_calendar_does():
    """Month 13, 30 February, 29 February outside a leap year: no code; the century as strptime's %y reads it."""
    for year in ("00", "04", "19", "25", "26", "68", "69", "72", "99"):
        for month in range(14):
            for day in range(33):
                digits = f"{year}{month:02d}{day:02d}"
                try:
                    named = datetime.strptime(digits, "%y%m%d").date()
                except ValueError:
                    named = None
                code = codes.parse_dossier_code(f"000.13.31.H57-{digits}-0001")
                assert (code is None) == (named is None), digits
                if code is not None:
                    assert code == f"000.13.31.H57-{digits}-0001" and codes.dossier_code_parts(code).day == named


@pytest.mark.parametrize("typed", ["261126-0001", " 261126 - 0001 ", "261126-1", "2611260001", CODE])
def test_short_code_from_the_kiosk_keypad_gets_the_agency_prefix(typed):
    assert codes.expand_short_code(typed, "000.13.31.H57") == CODE


def test_a_full_code_of_another_agency_is_kept_as_typed():
    assert codes.expand_short_code("000.17.22.H56-210531-0001", "000.13.31.H57") == "000.17.22.H56-210531-0001"


@pytest.mark.parametrize("typed", ["", "261126", "261126-", "263226-0001", "26112-0001", "261126-00a1"])
def test_nonsense_on_the_kiosk_keypad_gives_none(typed):
    assert codes.expand_short_code(typed, "000.13.31.H57") is None


def test_agency_code_shape():
    # Opaque since the 2025 re-issue (Decision 20/2020/QĐ-TTg): A–Z/0–9 segments between dots, ≤ 35 characters.
    assert codes.is_agency_code("000.13.31.H57")
    assert codes.is_agency_code("000.13.31") and codes.is_agency_code("H57.UBND.XAQUANGTHO.TTPVHCC.2025.01")
    assert not codes.is_agency_code("000.13.31.H57-")
    assert not codes.is_agency_code("H57.UBND.XAQUANGTHO.TTPVHCC.2025.012")


# Lookup tokens


def test_token_is_short_url_safe_and_stable():
    token = codes.lookup_token(CODE, "secret")
    assert len(token) == 16
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", token)
    assert token == codes.lookup_token(CODE, b"secret")


def test_token_checks_against_its_own_code_and_key_only():
    token = codes.lookup_token(CODE, "secret")
    assert codes.check_lookup_token(CODE, token, "secret")
    assert not codes.check_lookup_token("000.13.31.H57-261126-0002", token, "secret")
    assert not codes.check_lookup_token(CODE, token, "another secret")


@pytest.mark.parametrize("token", [None, "", "x", "ấấấấấấấấấấấấấấấấ", "kPVvc7N6BZlCNHU"])
def test_missing_or_odd_tokens_are_refused_without_error(token):
    assert not codes.check_lookup_token(CODE, token, "secret")


# Images: structure


def test_code128_svg_can_be_put_inside_a_page():
    svg = codes.code128_svg(CODE)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "DOCTYPE" not in svg and " id=" not in svg
    assert '<rect width="100%" height="100%" style="fill:white"/>' in svg
    assert f">{CODE}</text>" in svg


def test_code128_svg_bars_are_at_least_three_tenths_of_a_millimetre():
    widths = [float(width) for width in re.findall(r'width="([\d.]+)mm" height="15.000mm"', codes.code128_svg(CODE))]
    assert widths and min(widths) >= 0.3


def test_code128_png_is_300_dpi():
    image = Image.open(io.BytesIO(codes.code128_png(CODE)))
    assert image.format == "PNG"
    assert round(image.info["dpi"][0]) == 300


@pytest.mark.parametrize("text", ["Nguyễn", "", "000.13\n"])
def test_code128_refuses_what_it_cannot_carry(text):
    with pytest.raises(ValueError):
        codes.code128_svg(text)
    with pytest.raises(ValueError):
        codes.code128_png(text)


def test_qr_svg_has_a_white_background_and_no_prolog():
    svg = codes.qr_svg(LOOKUP_URL)
    assert svg.startswith("<svg") and "<?xml" not in svg and " id=" not in svg
    assert '<rect fill="white"' in svg
    assert "viewBox=" in svg


def test_qr_png_is_300_dpi():
    image = Image.open(io.BytesIO(codes.qr_png(LOOKUP_URL)))
    assert round(image.info["dpi"][0]) == 300


# Images: read back with zbar


@pytest.mark.zbar
@pytest.mark.parametrize("text", [CODE, "000.13.31.H57-261126-12345", "000.00.00.H57-260101-0001"])
def test_code128_png_reads_back(text):
    assert decoded(codes.code128_png(text)) == [text]


@pytest.mark.zbar
def test_code128_svg_reads_back_when_printed_at_300_dpi():
    assert [symbol.data.decode() for symbol in decode(rasterise_code128_svg(codes.code128_svg(CODE)))] == [CODE]


@pytest.mark.zbar
def test_qr_png_reads_back():
    assert decoded(codes.qr_png(LOOKUP_URL)) == [LOOKUP_URL]


@pytest.mark.zbar
def test_qr_svg_reads_back_when_printed_at_300_dpi():
    assert [symbol.data.decode() for symbol in decode(rasterise_qr_svg(codes.qr_svg(LOOKUP_URL)))] == [LOOKUP_URL]


@pytest.mark.zbar
def test_zbarimg_reads_both_pngs(tmp_path):
    (tmp_path / "code128.png").write_bytes(codes.code128_png(CODE))
    (tmp_path / "qr.png").write_bytes(codes.qr_png(LOOKUP_URL))
    result = subprocess.run(
        ["zbarimg", "-q", "--nodbus", str(tmp_path / "code128.png"), str(tmp_path / "qr.png")],
        capture_output=True, text=True, check=True,
    )
    assert result.stdout.splitlines() == [f"CODE-128:{CODE}", f"QR-Code:{LOOKUP_URL}"]


@pytest.mark.zbar
def test_a_scanned_qr_link_leads_back_to_the_code():
    url = decoded(codes.qr_png(LOOKUP_URL))[0]
    assert codes.parse_dossier_code(url) == CODE
