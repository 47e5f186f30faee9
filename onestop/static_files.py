"""Static files the old desk PCs keep for a year: versioned URLs and long-lived cache headers (issue 21).

Every `url_for('static', filename=...)` gets `?v=<12 hex digits of the file's SHA-256>`, read once per
process (each time in debug mode, so an edited file shows at once). A static response asked with the
file's current version is sent `public, max-age=31536000, immutable`: a revisit takes the file from the
browser's cache without even asking whether it changed (each question costs a round trip on a slow
link). When the file changes its URL changes, so no PC keeps an old copy. Without the version, or with
an old one, the response keeps Flask's default (no-cache with an ETag: the browser revalidates).

A service worker script must never be cached like this (the browser would keep an old one); there is
none today, and `NEVER_IMMUTABLE` names the files to leave out should one be added.
"""
import hashlib
from functools import lru_cache, wraps
from pathlib import Path

from flask import current_app, request

YEAR = 365 * 24 * 3600
VERSION_ARG = "v"
NEVER_IMMUTABLE = frozenset({"sw.js", "service-worker.js", "manifest.webmanifest", "manifest.json"})


def init_app(app):
    """Version the app's static URLs and give versioned responses the long cache headers."""
    app.url_defaults(_add_version)
    if "static" in app.view_functions:
        app.view_functions["static"] = _cached_for_long(app.view_functions["static"])


def version(filename: str) -> str | None:
    """A short hash of the static file's content, or None when there is no such file (or it is left out)."""
    folder = current_app.static_folder
    if folder is None or Path(filename).name in NEVER_IMMUTABLE:
        return None
    if current_app.debug:
        return _digest(folder, filename)
    return _remembered(folder, filename)


def _digest(folder: str, filename: str) -> str | None:
    path = (Path(folder) / filename).resolve()
    if not path.is_relative_to(Path(folder).resolve()) or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


@lru_cache(maxsize=512)
def _remembered(folder: str, filename: str) -> str | None:
    return _digest(folder, filename)


def _add_version(endpoint, values):
    if endpoint != "static" or "filename" not in values or VERSION_ARG in values:
        return
    current = version(values["filename"])
    if current:
        values[VERSION_ARG] = current


def _cached_for_long(view):
    @wraps(view)
    def send(filename):
        response = view(filename=filename)
        asked = request.args.get(VERSION_ARG)
        if asked and response.status_code in (200, 304) and asked == version(filename):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
    return send
