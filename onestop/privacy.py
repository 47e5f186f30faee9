"""Names as the public may see them on the kiosk, the phone page and the lobby screen."""
import unicodedata


def mask_name(name: str, is_organisation: bool = False) -> str:
    """Show `Nguyễn Văn An` as `Nguyễn V. A.`: the family name, then initials (DESIGN.md §3)."""
    # NFC first, so that an initial is a whole letter such as `Ă`, not `A` and a loose accent.
    words = unicodedata.normalize("NFC", name).split()
    if is_organisation or len(words) < 2:
        return " ".join(words)
    family, *others = words
    return " ".join([family, *(f"{_initial(word)}." for word in others)])


def _initial(word: str) -> str:
    """The first letter of a word in upper case, skipping quotes or brackets around it."""
    letter = next((char for char in word if char.isalnum()), word[0])
    return letter.upper()
