"""Telling the citizen by e-mail, SMS and Zalo when the dossier moves, and reminding staff of deadlines.

A step writes its messages to the outbox in its own transaction (outbox.py); the sender delivers
them later through the configured providers (sender.py, providers.py); reminders.py marks the staff
inboxes. Tables in models.py are re-exported from onestop.models.
"""

DEFAULTS = dict(
    MAIL_SERVER=None, MAIL_PORT=25, MAIL_USE_TLS=False, MAIL_USERNAME=None, MAIL_PASSWORD=None,
    MAIL_DEFAULT_SENDER=None, SMS_GATEWAY_URL=None, SMS_GATEWAY_KEY=None,
    ZALO_ZNS_TOKEN=None, ZALO_ZNS_TEMPLATE_ID=None, ZALO_ZNS_API_URL=None,
    NOTIFICATIONS_TIMEOUT=10,         # seconds a provider may take before the try counts as failed
    NOTIFICATIONS_MAX_ATTEMPTS=5,     # tries before a message is shown as failed on the outbox page
    NOTIFICATIONS_RETRY_SECONDS=60,   # the first wait after a failure; it doubles after each one
    NOTIFICATIONS_BATCH=50,           # messages one sender claims at a time
    NOTIFICATIONS_REMIND_HOURS=4,     # working hours before a step's deadline when its holder is reminded
)


def init_app(app):
    """Defaults the configuration did not set, the commands and the outbox page."""
    from . import cli, views

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.cli.add_command(cli.notifications_group)
    app.register_blueprint(views.bp)
