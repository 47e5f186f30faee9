"""The secret key signs staff sessions and the receipts' QR links: a server refuses a guessable one.

`python -m onestop.secret_key [FILE]` writes a random key into instance/config.py (or FILE) unless
one is set there already; `make run` calls it so a fresh clone serves with a key of its own.
"""
import re
import secrets
import sys
from pathlib import Path

import click

DEFAULT = "dev-only-change-me"  # create_app's default: fine for tests and `flask run --debug` only
MINIMUM_BYTES = 32
INSTANCE_CONFIG = Path(__file__).resolve().parent.parent / "instance" / "config.py"
_ASSIGNED = re.compile(r"^\s*SECRET_KEY\s*=", re.MULTILINE)


class InsecureSecretKey(click.ClickException):
    """Raised while the app is created to be served with a default or short key.

    A ClickException, so `flask run` prints just the message and exits 1; under gunicorn the worker
    fails to boot and the master stops with exit status 3 ("Worker failed to boot").
    """


def weakness(key) -> str | None:
    """Why `key` must not sign a served app's cookies and QR links, or None when it is strong enough."""
    if not key or key == DEFAULT:
        return "SECRET_KEY is the built-in default"
    size = len(key.encode() if isinstance(key, str) else key)
    if size < MINIMUM_BYTES:
        return f"SECRET_KEY is {size} bytes long, shorter than {MINIMUM_BYTES}"
    return None


def require_strong(app) -> None:
    """Refuse to serve (gunicorn, `flask run`) with a weak key, outside debug and testing."""
    if app.debug or app.testing or not _serving():
        return
    why = weakness(app.config.get("SECRET_KEY"))
    if why:
        raise InsecureSecretKey(
            f"onestop refuses to start: {why}. Anyone who knows it can forge staff sessions and the "
            f"receipts' QR links. Set a random key of at least {MINIMUM_BYTES} bytes in instance/config.py "
            f"or as FLASK_SECRET_KEY, e.g. the output of: python3 -c 'import secrets; print(secrets.token_hex(32))'")


def _serving() -> bool:
    # Under gunicorn (or any WSGI server) there is no click context; under the flask command only
    # `run` serves: `flask db upgrade` or `flask users create` sign nothing a browser will see.
    context = click.get_current_context(silent=True)
    return context is None or context.command.name == "run"


def ensure_in_instance(path: Path = INSTANCE_CONFIG) -> bool:
    """Append a random SECRET_KEY to `path` unless it sets one; True when it wrote a key."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if _ASSIGNED.search(text):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    separator = "" if not text or text.endswith("\n") else "\n"
    with path.open("a", encoding="utf-8") as config:
        config.write(f"{separator}# Written by `make run` on first use: signs sessions and QR links. Keep it secret.\n"
                     f"SECRET_KEY = {secrets.token_hex(MINIMUM_BYTES)!r}\n")
    path.chmod(0o600)
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else INSTANCE_CONFIG
    if ensure_in_instance(target):
        print(f"Wrote a new random SECRET_KEY to {target}")
