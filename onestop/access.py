"""Who may open which pages: one guard per staff blueprint."""
from flask import abort
from flask_login import current_user

from .extensions import login_manager


def require_role(*roles):
    """A before_request guard: anonymous users go to the login page, other roles get 403."""
    def guard():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if roles and not current_user.has_role(*roles):
            abort(403)
    return guard
