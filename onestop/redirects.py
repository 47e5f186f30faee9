"""Where a page may send the browser next: only back into this site (no open redirect after login)."""
import unicodedata
from urllib.parse import unquote, urlsplit


def is_local_path(target: str) -> bool:
    """True for a path on this site ("/desk/?q=x"); False for anything a browser could read as another host.

    Browsers drop tabs and newlines inside a URL, trim spaces and control characters at its ends and
    read a backslash as a slash, so "/\\t/evil", " //evil" and "/\\\\evil" all lead to "//evil". Rather than
    guess each browser's repairs, refuse any such character, checked once more after one decoding
    step for a proxy that decodes "%09" or "%2F" on the way.
    """
    return all(_plain_local(text) for text in (target, unquote(target)))


def _plain_local(text: str) -> bool:
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return False
    if any(unicodedata.category(char)[0] in "CZ" for char in text):  # controls, format marks, spaces
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc
