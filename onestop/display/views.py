"""/display/<agency code>: the full-screen board, and the feed.json it polls (304 when unchanged)."""
from flask import Blueprint, abort, current_app, jsonify, render_template, request

from .. import board, clock, settings
from ..extensions import limiter
from ..models import Agency

bp = Blueprint("display", __name__, url_prefix="/display")

# Several screens may share one address behind the commune's router; each polls every few seconds.
DEFAULT_RATE_LIMIT = "240 per minute"


def _rate_limit() -> str:
    return current_app.config.get("DISPLAY_RATE_LIMIT", DEFAULT_RATE_LIMIT)


def _agency_or_404(code: str) -> Agency:
    agency = board.find_agency(code)
    if agency is None:
        abort(404)
    return agency


def _timing() -> dict:
    """Seconds between polls (the setting; tests override it by config), per page, and the longest backoff."""
    config = current_app.config
    poll = config.get("DISPLAY_POLL_SECONDS")
    return {"poll": poll if poll is not None else settings.get("display_poll_seconds"),
            "page": config.get("DISPLAY_PAGE_SECONDS", 12),
            "max_backoff": config.get("DISPLAY_MAX_BACKOFF_SECONDS", 30)}


@bp.get("/<agency_code>")
@limiter.limit(_rate_limit)
def show(agency_code):
    """The board, drawn at once from the same data the feed serves."""
    agency, now = _agency_or_404(agency_code), clock.now()
    data = board.payload(agency, now)
    return render_template("display/board.html", agency=agency, data=data, etag=board.etag(data),
                           now=now, timing=_timing())


@bp.get("/<agency_code>/feed.json")
@limiter.limit(_rate_limit)
def feed(agency_code):
    """The board's data; 304 with no body when the screen already shows it."""
    now = clock.now()
    found = board.cached_feed(agency_code, now, current_app.config["DISPLAY_FEED_CACHE_SECONDS"])
    if found is None:
        abort(404)
    data, tag = found
    response = current_app.response_class(status=304) if request.if_none_match.contains_weak(tag) else jsonify(data)
    response.set_etag(tag)
    response.headers["Cache-Control"] = "no-cache"
    # The screen's clock follows the server's time (pinned in tests), not the TV's.
    response.headers["X-Server-Time"] = now.isoformat(timespec="milliseconds")
    return response
