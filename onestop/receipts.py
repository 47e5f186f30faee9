"""Printed documents: what the receipt, the folder label and the slips carry."""
import ipaddress
from urllib.parse import urlsplit

from flask import current_app, url_for

from . import codes, settings


def lookup_url(code: str) -> str:
    """The address the receipt's QR opens on the citizen's phone, with its token (DESIGN.md §5)."""
    base = settings.get("public_base_url").rstrip("/")
    token = codes.lookup_token(code, current_app.config["SECRET_KEY"])
    return f"{base}{url_for('public.lookup', code=code)}?t={token}"


def is_loopback(url: str | None) -> bool:
    """Whether the public base URL names this machine only (localhost, 127.x, ::1): a phone cannot open it."""
    host = (urlsplit(url or "").hostname or "").lower()
    if host in ("localhost", "0.0.0.0") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
