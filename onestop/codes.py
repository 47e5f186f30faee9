"""Dossier codes: the code printed on a receipt, read back from a scanner, and its Code128 and QR images."""
import base64
import hashlib
import hmac
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import barcode
from barcode.base import Barcode
import qrcode
from barcode.writer import ImageWriter, SVGWriter
from qrcode.image.svg import SvgPathFillImage

# The agency's electronic ID is opaque (domain.md §2): dot-separated segments of A–Z and 0–9, at most 35
# characters (Decision 20/2020/QĐ-TTg), in either level order. The 2018-era `000.13.31.H57` (QCVN 102:2016)
# is one such code; provinces re-issued longer ones after the 2025 mergers. No fixed 13-character mask.
AGENCY_CODE_MAX = 35
AGENCY_CODE = r"[A-Z0-9]+(?:\.[A-Z0-9]+)*"
_FULL_CODE = re.compile(rf"(?P<agency>{AGENCY_CODE})-(?P<day>\d{{6}})-(?P<number>\d{{1,9}})")
_SHORT_CODE = re.compile(r"(?P<day>\d{6})(?:-(?P<number>\d{1,9})|(?P<padded>\d{4,9}))")
# A phone or a scanner reading the receipt's QR code gets the lookup URL, not the bare code.
_LOOKUP_URL = re.compile(rf"/TRA-CUU/(?P<code>{AGENCY_CODE}-\d{{6}}-\d{{1,9}})(?:[/?#]|$)")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")

# Below ~2 printer dots per module scanners fail; 0.3 mm is 3.5 dots at 300 dpi (shared/toolbox.md).
MODULE_MM = 0.3
BARCODE_OPTIONS = {
    "module_width": MODULE_MM,
    "module_height": 15.0,
    "quiet_zone": 10 * MODULE_MM,  # ISO/IEC 15417 asks for at least ten modules on each side
    "font_size": 10,
    "text_distance": 5.0,
    "background": "white",
    "foreground": "black",
}
# A 35-character e-ID makes a code of about 47 characters, some 570 modules with the quiet zones: at 0.3 mm
# that is wider than an A5 sheet. Such a code narrows its modules to fit the room given, down to 0.18 mm
# (7 mil, what desk barcode guns read; 4.3 dots at 600 dpi) on the receipt; the 100 mm label allows 0.16 mm.
MIN_MODULE_MM = 0.18
QUIET_MODULES = 10
PNG_DPI = 300
QR_SVG_BOX = 6  # tenths of a millimetre: 0.6 mm modules, about 25 mm for a lookup URL
QR_PNG_BOX = 8  # pixels: 0.68 mm modules at 300 dpi
_SVG_IDS = re.compile(r'\sid="(?:barcode_group|qr-path)"')


def format_dossier_code(agency_code: str, day: date, number: int) -> str:
    """The code of the number-th dossier an agency received on a day: `000.13.31.H57-261126-0001`."""
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def parse_dossier_code(text: str) -> str | None:
    """The canonical code in what a barcode gun or a person typed (or a lookup URL), else None."""
    cleaned = _clean(text)
    found = _LOOKUP_URL.search(cleaned)
    match = _FULL_CODE.fullmatch(found["code"] if found else cleaned)
    if not match or len(match["agency"]) > AGENCY_CODE_MAX:
        return None
    return _canonical(match["agency"], match["day"], match["number"])


@dataclass(frozen=True)
class CodeParts:
    """What a code in the dossier-code shape says: whose it is, and which day's number (None: no such day)."""

    agency: str
    day: date | None
    number: int


def dossier_code_parts(text: str) -> CodeParts | None:
    """The agency, day and number of a code in the dossier-code shape, else None (a legacy register code)."""
    code = parse_dossier_code(text)
    if code is None:
        return None
    match = _FULL_CODE.fullmatch(code)
    return CodeParts(match["agency"], _day(match["day"]), int(match["number"]))


def expand_short_code(text: str, agency_code: str) -> str | None:
    """The full code for the kiosk's short form `yyMMdd-NNNN` (or a full code), else None."""
    full = parse_dossier_code(text)
    if full:
        return full
    match = _SHORT_CODE.fullmatch(_clean(text))
    if not match:
        return None
    return _canonical(agency_code, match["day"], match["number"] or match["padded"])


def is_agency_code(text: str) -> bool:
    """Whether text has the shape of an electronic agency code: `000.13.31.H57`, or a longer one up to 35 characters."""
    return len(text) <= AGENCY_CODE_MAX and re.fullmatch(AGENCY_CODE, text) is not None


def lookup_token(code: str, secret_key: str | bytes) -> str:
    """The token in the receipt's QR link that lets the citizen see more than status and dates."""
    key = secret_key.encode() if isinstance(secret_key, str) else secret_key
    # A prefix of our own keeps this signature apart from anything else signed with the same key.
    digest = hmac.new(key, b"onestop.lookup:" + code.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:16]


def check_lookup_token(code: str, token: str | None, secret_key: str | bytes) -> bool:
    """Whether the token in a lookup link belongs to this code."""
    if not token:  # most lookups: a code typed at the kiosk or on the phone page, without the QR link
        return False
    # Bytes, because compare_digest refuses str with non-ASCII letters, and anyone can type a URL.
    return hmac.compare_digest(lookup_token(code, secret_key).encode(), token.encode())


def module_mm(text: str, max_width_mm: float | None = None, min_mm: float = MIN_MODULE_MM) -> float:
    """The bar module width for the code: 0.3 mm, or narrower (not below `min_mm`) to fit `max_width_mm`."""
    if max_width_mm is None:
        return MODULE_MM
    modules = len(_code128(text, SVGWriter()).build()[0]) + 2 * QUIET_MODULES
    return max(min_mm, min(MODULE_MM, int(max_width_mm / modules * 1000) / 1000))


def code128_svg(text: str, max_width_mm: float | None = None, min_mm: float = MIN_MODULE_MM) -> str:
    """A Code128 barcode as an `<svg>` element to put inside a page, with the text under the bars.

    `max_width_mm` is the room on the sheet: a long code (a 35-character agency e-ID) gets narrower bars."""
    module = module_mm(text, max_width_mm, min_mm)
    # The text under the bars shrinks with them, or a long code's text runs past the bars and is cut off.
    font = max(5, round(BARCODE_OPTIONS["font_size"] * module / MODULE_MM))
    options = {**BARCODE_OPTIONS, "module_width": module, "quiet_zone": QUIET_MODULES * module, "font_size": font,
               "compress": True}
    svg = _code128(text, SVGWriter()).render(options).decode()
    return _inline(svg)


def code128_png(text: str) -> bytes:
    """A Code128 barcode as a 300 dpi PNG, with the text under the bars."""
    image = _code128(text, ImageWriter(mode="L", dpi=PNG_DPI)).render(BARCODE_OPTIONS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(PNG_DPI, PNG_DPI))
    return buffer.getvalue()


def qr_svg(data: str, box: int = QR_SVG_BOX) -> str:
    """A QR code as an `<svg>` element on white, to put inside a page (`box`: module size in tenths of a mm)."""
    image = qrcode.make(data, image_factory=SvgPathFillImage, box_size=box, border=4)
    return _inline(image.to_string(encoding="unicode"))


def qr_png(data: str) -> bytes:
    """A QR code as a 300 dpi PNG."""
    image = qrcode.make(data, box_size=QR_PNG_BOX, border=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(PNG_DPI, PNG_DPI))
    return buffer.getvalue()


def _clean(text: str) -> str:
    """What was typed, without spaces, with ordinary digits and dashes, in upper case."""
    # NFKC turns full-width digits from some input methods into ASCII ones.
    normal = unicodedata.normalize("NFKC", text or "").translate(_DASHES)
    return "".join(normal.split()).upper()


def _canonical(agency_code: str, day: str, number: str) -> str | None:
    """The code written the one way we issue it, or None for a day or number that cannot be."""
    issued_on = _day(day)
    if issued_on is None or int(number) == 0:
        return None
    return format_dossier_code(agency_code, issued_on, int(number))


def _day(yymmdd: str) -> date | None:
    """The day a code's six digits name, as strptime's `%y%m%d` reads them (69–99 are 19xx), else None.

    Written out: strptime took 24 Python calls of every lookup, this takes one.
    """
    try:
        return date((1900 if yymmdd[:2] >= "69" else 2000) + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return None


def _code128(text: str, writer) -> Barcode:
    """A python-barcode Code128 object, refusing what Code128 cannot carry."""
    if not text or not text.isascii() or not text.isprintable():
        raise ValueError(f"Mã vạch Code128 chỉ chứa được ký tự ASCII in được: {text!r}")
    return barcode.get("code128", text, writer=writer)


def _inline(svg: str) -> str:
    """An SVG document cut down to its `<svg>` element, without ids that would clash on one page."""
    return _SVG_IDS.sub("", svg[svg.index("<svg"):])
