"""/desk/inbox: each person's work — what they hold, what is due or late, what waits for them."""
from flask import render_template
from flask_login import current_user

from .. import clock, inboxes
from ..notifications import reminders
from .views import bp


@bp.get("/inbox")
def inbox():
    """The sections of the user's roles, each with its count; late rows in red."""
    now = clock.now()
    return render_template("desk/inbox.html", sections=inboxes.sections(current_user, now, clock.today()), now=now,
                           reminders=reminders.marks_for(current_user))
