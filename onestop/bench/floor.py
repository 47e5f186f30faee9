"""The staff page's fair baseline (issue 21, item 2): everything a dossier page must do but the dossier.

A route behind the same guard as the desk (login, then the clerk/officer/leader roles), that writes the
same personal-data log row through the same after-request hook (audit.py, via "desk", the dossier of the
code in the URL) and renders an empty page in the same base template (menu, stylesheets, scripts, the
user's name). What the dossier page costs above it is the dossier itself: its query, history and body.
"""
from flask import Flask, render_template_string

from .. import audit
from ..access import require_role

STAFF_FLOOR = "/_bench/staff"
ENDPOINT = "bench_staff_floor"
_EMPTY_PAGE = '{% extends "base.html" %}{% block title %}{{ code }}{% endblock %}{% block content %}{% endblock %}'


def add_staff_floor(app: Flask) -> None:
    """Add the route; the benchmark's own app only (nothing served has it)."""
    guard = require_role("clerk", "officer", "leader")  # the desk blueprint's own before_request guard

    def floor(code):
        refused = guard()
        if refused is not None:
            return refused
        return render_template_string(_EMPTY_PAGE, code=code)

    app.add_url_rule(f"{STAFF_FLOOR}/<code>", ENDPOINT, floor)
    audit.PERSONAL_DATA_ENDPOINTS[ENDPOINT] = "desk"  # the same row as the dossier page's, by the same hook
