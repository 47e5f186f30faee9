"""Printed documents: what the receipt, the folder label and the slips carry.

Official documents print in Vietnamese whatever the screen's language (DESIGN.md §3), and each
carries the form number, title and masthead of its dossier's regime (onestop/regimes.py).
"""
import ipaddress
from urllib.parse import urlsplit

from flask import current_app, render_template, url_for
from flask_babel import force_locale

from . import codes, regimes, settings

PRINT_LOCALE = "vi"


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


def masthead(dossier, values: dict, regime: regimes.Regime, *, with_unit: bool = True) -> list[tuple[str, bool]]:
    """The issuer's lines at the top left, as (text, bold), for the dossier's regime.

    2018 (Circular 01/2018): the district above the commune, then the commune and, on the receipt, its
    Bộ phận Tiếp nhận và Trả kết quả. 2025: no district exists since 01/07/2025; the commune People's
    Committee, and under it its receiving unit (for a commune, the Trung tâm Phục vụ hành chính công).
    """
    lines = []
    if regime.prints_parent_body and (values.get("parent_body") or "").strip():
        lines.append((values["parent_body"].strip().upper(), False))
    if regime.prints_parent_body and not with_unit:
        return [*lines, (dossier.agency.name.upper(), True)]
    lines.append((dossier.agency.name.upper(), False))
    lines.append((regimes.receiving_unit(dossier.agency, regime).upper(), True))
    return lines


def render(template: str, dossier, kind: str, *, with_unit: bool = True, **context) -> str:
    """A printable of the dossier, in Vietnamese, with its regime's form (number, title) and masthead."""
    values = settings.get_all()
    regime = regimes.of(dossier, regimes.parse_switch(values.get(regimes.SWITCH_SETTING)))
    if kind == "stop" and regime.form(kind) is None:
        regime = regimes.REGIME_2025  # only Circular 03/2025 has a stop notice (Form 05)
    form = regime.form(kind)
    with force_locale(PRINT_LOCALE):
        return render_template(template, dossier=dossier, settings=values, regime=regime, form=form,
                               unit_name=regimes.receiving_unit(dossier.agency, regime),
                               masthead_lines=masthead(dossier, values, regime, with_unit=with_unit), **context)
