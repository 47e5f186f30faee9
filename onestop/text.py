"""Search keys for Vietnamese text, so people find things without typing the accents."""
import unicodedata


def fold(text: str) -> str:
    """Turn `Đăng  Ký khai sinh` into `dang ky khai sinh`: no accents, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    # đ is a letter of its own, not d plus a mark, so NFD leaves it alone.
    bare = bare.replace("đ", "d").replace("Đ", "d")
    return " ".join(bare.lower().split())


def unfit_for_a_name(text: str) -> bool:
    """Whether a name holds control or invisible characters, or emoji and other pictographs, that no paper shows."""
    return any(unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("So", "Sk", "Cs")
               for char in text or "")


def N_(text: str) -> str:
    """Mark a label for translation (pybabel finds it); it is translated where it is shown, not here."""
    return text
