"""Which enrolled kiosk this browser is, from its signed cookie (issue 16); looked up once per request."""
from datetime import timedelta

from flask import current_app, g, request

from onestop import kiosks
from onestop.models import Agency, Kiosk

COOKIE = "onestop_kiosk"
# Chromium keeps no cookie longer than 400 days; every kiosk page renews it, so an enrolled screen
# in daily use never loses it.
LIFETIME = timedelta(days=400)


def current(agency: Agency | None) -> Kiosk | None:
    """The enrolled kiosk of `agency` this browser is, or None (any other browser, or a revoked kiosk)."""
    if "kiosk" not in g:
        g.kiosk = None if agency is None else kiosks.from_cookie(
            request.cookies.get(COOKIE), current_app.config["SECRET_KEY"], agency)
    return g.kiosk


def remember(response, kiosk: Kiosk):
    """Set (or renew) the long-lived, HttpOnly, signed cookie that makes this browser that kiosk."""
    response.set_cookie(COOKIE, kiosks.cookie_value(kiosk, current_app.config["SECRET_KEY"]),
                        max_age=int(LIFETIME.total_seconds()), path=_path(kiosk.agency), httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def forget(response, agency: Agency):
    """Drop a cookie that no longer names an enrolled kiosk (revoked, or signed with another key)."""
    response.delete_cookie(COOKIE, path=_path(agency), httponly=True, samesite="Lax",
                           secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _path(agency: Agency) -> str:
    # One cookie per agency's kiosk screens: a kiosk opened on another agency's address keeps its own.
    return f"/kiosk/{agency.code}/"
