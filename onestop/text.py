"""Search keys for Vietnamese text, so people find things without typing the accents."""
import unicodedata


def fold(text: str) -> str:
    """Turn `Đăng  Ký khai sinh` into `dang ky khai sinh`: no accents, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    # đ is a letter of its own, not d plus a mark, so NFD leaves it alone.
    bare = bare.replace("đ", "d").replace("Đ", "d")
    return " ".join(bare.lower().split())
