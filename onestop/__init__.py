"""onestop: one-stop-shop dossier tracker for commune reception desks."""
import os
from datetime import timedelta
from pathlib import Path

from flask import Flask

from flask_smorest import Api

from . import audit, security, static_files
from .extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None):
    """Create and configure an instance of the application."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_path=str(ROOT / "instance"), instance_relative_config=True)
    app.config.from_mapping(_defaults(app))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)  # instance/config.py
        app.config.from_prefixed_env()                     # FLASK_SECRET_KEY=..., FLASK_NOW=...
        if "DATABASE_URL" in os.environ:                   # the one name deployments expect
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
        from .secret_key import require_strong

        require_strong(app)  # issue 16: never serve with the default or a short key
    else:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(exist_ok=True)
    _behind_proxies(app)
    _init_extensions(app)
    _register_blueprints(app)
    security.init_app(app)
    audit.init_app(app)
    static_files.init_app(app)
    return app


def _defaults(app):
    from .secret_key import DEFAULT  # imported here so `python -m onestop.secret_key` runs without a warning

    return dict(
        SECRET_KEY=DEFAULT,  # refused when served outside debug (secret_key.py)
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(app.instance_path) / 'onestop.sqlite'}",
        BABEL_DEFAULT_LOCALE="vi",
        BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh",
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "translations"),
        LANGUAGES=["vi", "en"],
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_ENABLED=True,
        PUBLIC_RATE_LIMIT="60 per minute",
        TRUSTED_PROXIES=0,  # reverse proxies in front whose X-Forwarded-For is believed (README, "Serving")
        DISPLAY_FEED_CACHE_SECONDS=2,  # lobby screens share the feed's data this long (board.cached_feed)
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,  # FLASK_SESSION_COOKIE_SECURE=true when served over HTTPS
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),  # idle time before a staff session ends
        LOGIN_RATE_LIMIT="10 per minute",  # failed logins per username and address
        LOGIN_ADDRESS_RATE_LIMIT="30 per 10 minutes",  # failed logins per address, whatever the username
        API_TITLE="onestop API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        NOW=None,  # pin "now" (ISO 8601) for tests and demos; None = the real clock
        FILES_URL=None,  # where scans are kept: None = instance/files, a directory, or s3://bucket/prefix
        FILES_S3_ENDPOINT=None, FILES_S3_ACCESS_KEY=None, FILES_S3_SECRET_KEY=None, FILES_S3_REGION=None,
        FILES_MAX_MB=10,          # one scanned file
        FILES_MAX_DOSSIER_MB=60,  # all the files of one dossier
    )


def _behind_proxies(app):
    """Behind N reverse proxies (README, "Serving"), take the client's address from X-Forwarded-For.

    Otherwise every citizen would share the proxy's address, and with it one rate limit. Only for servers
    that nothing but the proxy can reach: a client talking to gunicorn directly could forge the header.
    """
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _init_extensions(app):
    from . import database, i18n

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)


def _register_blueprints(app):
    from kiosk import bp as kiosk_bp

    from . import (
        admin, agenda, auth, cli, desk, display, errors, files, formatting, i18n, notifications, public, queue,
        reports,
    )
    from .api import actions, stats, views as api_views  # noqa: F401 (they add routes to views.bp)
    from .api import public as api_public  # noqa: F401 (the api.public_* routes)
    from .queue import api as queue_api  # noqa: F401 (routes on api.bp)
    from .files import api as files_api, public as files_public  # noqa: F401 (routes on api.bp and public.bp)

    for blueprint in (auth.bp, desk.bp, admin.bp, agenda.bp, display.bp, public.bp, reports.bp, kiosk_bp):
        app.register_blueprint(blueprint)
    Api(app).register_blueprint(api_views.bp)  # one Api per app: it holds the app's spec
    csrf.exempt(api_views.bp)
    files.init_app(app)
    errors.init_app(app)
    formatting.init_app(app)
    i18n.init_app(app)
    cli.init_app(app)
    notifications.init_app(app)
    queue.init_app(app)
