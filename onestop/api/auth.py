"""Who calls the API: a script with a bearer token, or a staff page's own script with the login session."""
from functools import wraps

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from .. import tokens
from ..extensions import csrf
from ..models import User
from .errors import ApiError

STAFF = ("clerk", "officer", "leader", "admin")
SECURITY = [{"bearerAuth": []}, {"staffSession": []}]
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="onestop"'}


def allow(*roles):
    """Let in staff holding one of the roles: 401 without valid credentials, 403 for the other roles."""
    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            user = _caller()
            if not user.has_role(*roles):
                raise ApiError(403, _("Tài khoản của bạn không có quyền thực hiện thao tác này."))
            g.api_user = user
            return view(*args, **kwargs)
        return Blueprint.doc(security=SECURITY, responses={401: "UNAUTHORIZED", 403: "FORBIDDEN"})(guarded)
    return decorator


def current() -> User:
    """The staff member the guard let in."""
    return g.api_user


def _caller() -> User:
    header = request.headers.get("Authorization")
    if header is not None:  # a token that is sent must be good: no falling back to the session
        scheme, _space, token = header.strip().partition(" ")
        user = tokens.user_for(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        if user is None:
            raise ApiError(401, _("Mã truy cập API không hợp lệ, đã hết hạn hoặc đã bị thu hồi."), headers=CHALLENGE)
        return user
    if current_user.is_authenticated:
        _check_csrf()
        return current_user._get_current_object()
    raise ApiError(401, _("Cần đăng nhập hoặc gửi mã truy cập API (Authorization: Bearer …)."), headers=CHALLENGE)


def _check_csrf() -> None:
    # The browser attaches the session cookie on its own, so a change made with it must also carry the
    # page's CSRF token (header X-CSRFToken); the blueprint is exempt from the form check for token callers.
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()  # only for POST, PUT, PATCH, DELETE; raises CSRFError (400)


def init_blueprint(bp) -> None:
    """Describe the two ways in, in the OpenAPI document."""
    @bp.record_once
    def _document(state):
        spec = state.app.extensions["flask-smorest"]["blp_name_to_api"][state.blueprint.name].spec
        spec.components.security_scheme("bearerAuth", {
            "type": "http", "scheme": "bearer",
            "description": "Mã truy cập cấp bằng `flask users token TÊN`."})
        spec.components.security_scheme("staffSession", {
            "type": "apiKey", "in": "cookie", "name": state.app.config.get("SESSION_COOKIE_NAME", "session"),
            "description": "Phiên đăng nhập của trang cán bộ; thao tác ghi cần thêm tiêu đề X-CSRFToken."})
