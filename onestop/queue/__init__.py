"""Queue numbers (issue 20): the kiosk gives a ticket, a clerk calls it to a counter, the lobby screen shows and speaks it.

models.py holds the tables (re-exported from onestop.models), tickets.py the domain (issue, call, link,
figures), speech.py the spoken call, views.py the kiosk, desk, admin, phone and audio pages.
"""


def init_app(app):
    """The queue's pages."""
    from . import views

    app.register_blueprint(views.bp)
