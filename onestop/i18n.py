"""Languages: Vietnamese first, English available (chosen with ?lang= and kept in the session)."""
from flask import current_app, has_request_context, request, session


def select_locale() -> str:
    """The language of this request."""
    chosen = session.get("lang") if has_request_context() else None  # CLI commands speak the default
    return chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _remember_choice():
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        session["lang"] = chosen


def init_app(app):
    from flask_babel import get_locale

    app.before_request(_remember_choice)
    app.add_template_global(get_locale)
