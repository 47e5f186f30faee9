"""Browser protections: security headers, idle session expiry and login throttling (issue 9)."""
from datetime import datetime

from flask import current_app, flash, request, session
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import logout_user, user_logged_in

from . import clock
from .extensions import limiter
from .logins import NONCE_KEY

# No inline script anywhere: JS lives in static files, data in data-* attributes or JSON blocks.
# style-src-attr allows style="" attributes only: the Code128 SVG inlined on receipts and labels
# colours its bars with them (python-barcode's SVGWriter); <style> blocks stay forbidden.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "same-origin",
}
SEEN_KEY = "_seen"  # when the signed-in user last made a request (ISO 8601)


def init_app(app):
    """Wire the headers, the idle timeout and the login limit into the app."""
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config["SESSION_COOKIE_SECURE"])
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.after_request(_add_headers)
    app.before_request(_expire_idle_session)
    user_logged_in.connect(_start_session, app)
    _throttle_login(app)


def _add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _expire_idle_session():
    """Sign out a session left idle longer than PERMANENT_SESSION_LIFETIME; otherwise note this visit."""
    if "_user_id" not in session:
        return  # anonymous visitors (kiosk, lobby screen) get no session cookie
    now = clock.now()
    seen = session.get(SEEN_KEY)
    if seen and now - datetime.fromisoformat(seen) > current_app.permanent_session_lifetime:
        logout_user()
        session.pop(SEEN_KEY, None)
        session.pop(NONCE_KEY, None)
        flash(_("Phiên làm việc đã hết hạn do lâu không thao tác. Vui lòng đăng nhập lại."), "info")
        return
    _note_visit(now)


def _start_session(app, user, **extra):
    _note_visit(clock.now())


def _note_visit(now: datetime) -> None:
    session.permanent = True  # the cookie lives as long as the idle limit, renewed on each request
    session[SEEN_KEY] = now.isoformat()


def _login_key() -> str:
    # Per account *and* address: a guesser cannot lock a clerk out from another PC.
    return f"login:{request.form.get('username', '').strip().lower()}:{get_remote_address()}"


def _address_key() -> str:
    # Per address across all usernames: one password tried on every account (spraying) is slowed too.
    return f"login-address:{get_remote_address()}"


def _failed(response) -> bool:
    return response.status_code != 302  # a successful login redirects; a failure shows the form again


def _throttle_login(app):
    # The limit wraps the registered view, so auth/views.py stays free of rate-limit plumbing.
    # Module-level callables, not lambdas: the one limiter keeps every limit it was given, so a limit
    # made anew for each app would add a copy that still reads the first app's settings.
    view = app.view_functions["auth.login"]
    view = limiter.limit(_login_limit, key_func=_login_key, methods=["POST"], deduct_when=_failed)(view)
    app.view_functions["auth.login"] = limiter.limit(
        _address_limit, key_func=_address_key, methods=["POST"], deduct_when=_failed)(view)


def _login_limit() -> str:
    return current_app.config.get("LOGIN_RATE_LIMIT", "10 per minute")


def _address_limit() -> str:
    return current_app.config.get("LOGIN_ADDRESS_RATE_LIMIT", "30 per 10 minutes")
