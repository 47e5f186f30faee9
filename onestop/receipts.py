"""Printed documents: what the receipt, the folder label and the slips carry."""
from flask import current_app, url_for

from . import codes, settings


def lookup_url(code: str) -> str:
    """The address the receipt's QR opens on the citizen's phone, with its token (DESIGN.md §5)."""
    base = settings.get("public_base_url").rstrip("/")
    token = codes.lookup_token(code, current_app.config["SECRET_KEY"])
    return f"{base}{url_for('public.lookup', code=code)}?t={token}"
