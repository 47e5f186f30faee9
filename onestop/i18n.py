"""Languages: Vietnamese first, English available (chosen with ?lang= and kept in the session)."""
from functools import wraps

from flask import current_app, has_request_context, request, session
from flask_babel import force_locale


def select_locale() -> str:
    """The language of this request."""
    chosen = session.get("lang") if has_request_context() else None  # CLI commands speak the default
    return chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _remember_choice():
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        session["lang"] = chosen


def printed_in_vietnamese(view):
    """Official papers print in Vietnamese whatever language the screen is in (DESIGN.md §3)."""
    @wraps(view)
    def in_vietnamese(*args, **kwargs):
        with force_locale("vi"):
            return view(*args, **kwargs)
    return in_vietnamese


def init_app(app):
    from flask_babel import get_locale

    from .form_messages import use_for_this_request

    app.before_request(_remember_choice)
    app.before_request(use_for_this_request)
    app.add_template_global(get_locale)
