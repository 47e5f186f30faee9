"""The citizen ID card's QR (CCCD gắn chip, Căn cước): read the applicant's details from what the gun typed.

The QR is UTF-8 text of `|`-separated fields without labels (domain.md §9): ID number | old CMND |
full name | date of birth DDMMYYYY | Nam/Nữ | permanent address | date of issue DDMMYYYY, and the
Căn cước card of 01/07/2024 (Law 26/2023/QH15 on identification) may add more. The QR is not proof
of identity, so the clerk confirms what is filled. Pure: no Flask, no database.
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# A Vietnamese name or address uses these letters (with upper case); f, j, w, z come in foreign and
# ethnic-minority names. Anything else in a name means the gun typed under the wrong keyboard layout
# or code page (a "?" for every accent, or UTF-8 bytes read as Windows-1252: "Nguyá»…n").
VIETNAMESE_LETTERS = frozenset(
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz")
NAME_MARKS = frozenset(" '-.")
ADDRESS_MARKS = frozenset(" '-.,/()0123456789")
CARD_START = re.compile(r"^\s*(\d{12})(\D)")
# First three digits: the province where the birth was registered. The 63 codes run from 001 (Hà Nội)
# to 096 (Cà Mau), with gaps (Circular 07/2016/TT-BCA, Phụ lục 1, read in a secondary copy). The range
# is checked rather than the list, so a code kept for a case the copy may not show is not refused.
PROVINCE_CODES = range(1, 97)
SEXES = {"nam": "male", "nữ": "female"}


@dataclass(frozen=True)
class Card:
    """What the desk keeps from the card: never the raw string."""

    id_number: str
    name: str
    date_of_birth: date | None
    sex: str  # "male", "female" or ""
    address: str


class GarbledCard(ValueError):
    """The text is a card's QR typed by a gun set to the wrong keyboard layout or code page."""


def looks_like_card(text: str) -> bool:
    """Whether the text starts like a card's QR: 12 digits and a separator (garbled or not)."""
    match = CARD_START.match(text or "")
    return bool(match) and ("|" in text or match.group(2) != "-")


def parse(text: str) -> Card | None:
    """The card's fields, None when the text is not a card's QR; raises GarbledCard when it is one but garbled."""
    if not looks_like_card(text):
        return None
    text = unicodedata.normalize("NFC", text.strip())
    fields = [part.strip() for part in text.split("|")]
    if len(fields) < 6 or not fields[2]:
        raise GarbledCard(text)
    name, born, sex, address = fields[2], fields[3], fields[4], fields[5]
    if not is_vietnamese(name, NAME_MARKS) or not is_vietnamese(address, ADDRESS_MARKS) or (
            sex and sex.lower() not in SEXES):
        raise GarbledCard(text)
    return Card(id_number=fields[0], name=" ".join(name.split()), date_of_birth=_day(born),
                sex=SEXES.get(sex.lower(), ""), address=" ".join(address.split()))


def is_vietnamese(text: str, marks: frozenset = NAME_MARKS) -> bool:
    """Whether every character is a Vietnamese letter or one of the allowed marks (text taken as NFC)."""
    text = unicodedata.normalize("NFC", text)
    return all(char.lower() in VIETNAMESE_LETTERS or char in marks for char in text)


def valid_province(id_number: str) -> bool:
    """Whether a 12-digit ID number starts with a province code 001–096."""
    return len(id_number) == 12 and id_number.isdigit() and int(id_number[:3]) in PROVINCE_CODES


def _day(text: str) -> date | None:
    if not re.fullmatch(r"\d{8}", text or ""):
        return None
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        return None
