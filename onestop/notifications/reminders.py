"""Reminders for staff: a step of theirs falls due soon, or (for the leaders) a dossier is overdue.

Made by the sender's cycles (`flask notifications send` / `run`), not by a request: each is a mark
in the person's inbox plus an e-mail when the account has an address, and the unique key
(dossier, person, kind, deadline) keeps the same step from reminding twice. Functions never commit.
"""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from .. import deadlines, settings
from ..extensions import db
from ..formatting import vn_datetime
from ..models import OPEN_STATUSES, Dossier, DossierStatus, User
from . import messages
from .models import Channel, OutboxMessage, StaffReminder


def _not_reminded(kind: str, user_column):
    done = sa.select(StaffReminder.id).where(StaffReminder.dossier_id == Dossier.id, StaffReminder.kind == kind,
                                             StaffReminder.user_id == user_column, StaffReminder.due_at == Dossier.due_at)
    return ~sa.exists(done)


def _running():
    return sa.select(Dossier).where(Dossier.status.in_(OPEN_STATUSES), Dossier.status != DossierStatus.AWAITING_SUPPLEMENT)


def due_soon(now: datetime, calendar: deadlines.Calendar) -> list[StaffReminder]:
    """Holders whose dossier falls due within the setting's working hours (default 4) and were not told yet."""
    hours = current_app.config["NOTIFICATIONS_REMIND_HOURS"]
    horizon = deadlines.add_working_time(now, timedelta(hours=hours), calendar)
    query = _running().where(Dossier.holder_user_id.is_not(None), Dossier.due_at >= now, Dossier.due_at <= horizon,
                             _not_reminded("due_soon", Dossier.holder_user_id))
    return [_remind(dossier, dossier.holder_user, "due_soon", now) for dossier in db.session.scalars(query)]


def overdue(now: datetime) -> list[StaffReminder]:
    """The leaders of each agency, once for every overdue dossier and deadline."""
    leaders = sa.select(User).where(User.active.is_(True), User.role_names.contains("leader"))
    query = (_running().add_columns(User).join(User, User.agency_id == Dossier.agency_id)
             .where(Dossier.due_at < now, User.id.in_(leaders.with_only_columns(User.id)),
                    _not_reminded("overdue", User.id)))
    return [_remind(dossier, leader, "overdue", now) for dossier, leader in db.session.execute(query)]


def generate(now: datetime, calendar: deadlines.Calendar) -> int:
    """Both kinds at once; answers how many marks were made."""
    return len(due_soon(now, calendar)) + len(overdue(now))


def _remind(dossier: Dossier, user: User, kind: str, now: datetime) -> StaffReminder:
    reminder = StaffReminder(dossier=dossier, user=user, kind=kind, due_at=dossier.due_at, created_at=now)
    db.session.add(reminder)
    address = (getattr(user, "email", "") or "").strip()
    if address:
        values = {"code": dossier.code, "procedure": dossier.procedure.name, "due": vn_datetime(dossier.due_at),
                  "holder": dossier.holder_user.display_name if dossier.holder_user else dossier.holder_agency.name,
                  "staff_link": staff_link(dossier.code), "agency": dossier.agency.name}
        words = messages.render(kind, values)
        db.session.add(OutboxMessage(dossier=dossier, user=user, kind=kind, channel=Channel.EMAIL, recipient=address,
                                     subject=words.subject, body=words.text, html=words.html,
                                     created_at=now, next_attempt_at=now))
    return reminder


def staff_link(code: str) -> str:
    """The dossier's page on the staff side, from the installation's public address."""
    base = settings.get("public_base_url").rstrip("/")
    return f"{base}/desk/dossiers/{code}"


def marks_for(user: User, limit: int = 50) -> list[StaffReminder]:
    """The person's marks whose dossier is still open, newest first (the inbox shows them)."""
    query = (sa.select(StaffReminder).join(StaffReminder.dossier)
             .where(StaffReminder.user_id == user.id, Dossier.status.in_(OPEN_STATUSES))
             .order_by(StaffReminder.created_at.desc()).limit(limit))
    return list(db.session.scalars(query))
