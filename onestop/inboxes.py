"""The work waiting for each person: what they hold, what is due or late, what waits for them."""
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .extensions import db
from .models import OPEN_STATUSES, Agency, Dossier, DossierStatus, Leg, User

LIMIT = 200  # a list longer than this is cut; its count stays exact


@dataclass(frozen=True)
class Listing:
    """One inbox section: the first rows and how many there are in all."""

    items: list
    total: int


def _listing(query, order) -> Listing:
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    return Listing(list(db.session.scalars(query.order_by(*order).limit(LIMIT))), total or 0)


def _held(user: User):
    return sa.select(Dossier).where(Dossier.holder_user_id == user.id, Dossier.status.in_(OPEN_STATUSES))


def _running(query):
    return query.where(Dossier.status != DossierStatus.AWAITING_SUPPLEMENT)


def mine(user: User) -> Listing:
    """Dossiers in the user's hands whose clock runs, the soonest due first."""
    return _listing(_running(_held(user)), (Dossier.due_at, Dossier.code))


def mine_due_today(user: User, today: date, now: datetime) -> Listing:
    """Of those, the ones due later today."""
    return _listing(_running(_held(user)).where(Dossier.due_on == today, Dossier.due_at >= now), (Dossier.due_at,))


def mine_overdue(user: User, now: datetime) -> Listing:
    """Of those, the ones past their deadline, the most late first."""
    return _listing(_running(_held(user)).where(Dossier.due_at < now), (Dossier.due_at,))


def waiting_for_supplement(user: User) -> Listing:
    """Paused dossiers: the holder's own, or for a clerk every one of the agency (the desk takes the papers)."""
    query = sa.select(Dossier).where(Dossier.status == DossierStatus.AWAITING_SUPPLEMENT)
    if user.has_role("clerk"):
        query = query.where(Dossier.agency_id == user.agency_id)
    else:
        query = query.where(Dossier.holder_user_id == user.id)
    return _listing(query.options(selectinload(Dossier.pauses)), (Dossier.received_at,))


def waiting_for_approval(agency: Agency) -> Listing:
    """Dossiers submitted to the agency's leaders."""
    query = sa.select(Dossier).where(Dossier.agency_id == agency.id,
                                     Dossier.status == DossierStatus.AWAITING_APPROVAL)
    return _listing(query, (Dossier.due_at,))


def agency_overdue(agency: Agency, now: datetime) -> Listing:
    """Every open dossier of the agency past its deadline (paused ones are within it)."""
    query = _running(sa.select(Dossier).where(Dossier.agency_id == agency.id, Dossier.status.in_(OPEN_STATUSES)))
    return _listing(query.where(Dossier.due_at < now), (Dossier.due_at,))


def results_ready(agency: Agency) -> Listing:
    """Results waiting at the desk for the citizen."""
    query = sa.select(Dossier).where(Dossier.agency_id == agency.id, Dossier.status == DossierStatus.RESULT_READY)
    return _listing(query, (Dossier.completed_at,))


def _open_legs():
    return sa.select(Leg).join(Leg.dossier).where(Leg.returned_at.is_(None)).options(
        selectinload(Leg.dossier), selectinload(Leg.partner))


def legs_sent_to(agency: Agency) -> Listing:
    """Legs other agencies sent here and not returned yet (a partner user's inbox)."""
    return _listing(_open_legs().where(Leg.partner_id == agency.id), (Leg.due_at,))


def legs_sent_by(agency: Agency, user: User | None = None, overdue_at: datetime | None = None) -> Listing:
    """Open legs of the agency's dossiers: all, those one user sent, or only the overdue ones."""
    query = _open_legs().where(Dossier.agency_id == agency.id)
    if user is not None:
        query = query.where(Leg.sent_by_id == user.id)
    if overdue_at is not None:
        query = query.where(Leg.due_at < overdue_at)
    return _listing(query, (Leg.due_at,))


def legs_to_external(agency: Agency) -> Listing:
    """Open legs at partners outside the system: the desk records their return with a scan."""
    query = _open_legs().join(Leg.partner).where(Dossier.agency_id == agency.id, Agency.external.is_(True))
    return _listing(query, (Leg.due_at,))


def sections(user: User, now: datetime, today: date) -> list[tuple[str, Listing, str]]:
    """The inbox of a user's roles: (section id, rows, kind of rows), the role's own work first."""
    agency, found = user.agency, []
    incoming = legs_sent_to(agency)
    if incoming.total or not agency.is_home:  # a partner agency's users work from here
        found.append(("incoming", incoming, "incoming"))
    if user.has_role("leader"):
        found += [("approval", waiting_for_approval(agency), "dossiers"),
                  ("agency-overdue", agency_overdue(agency, now), "dossiers"),
                  ("legs-overdue", legs_sent_by(agency, overdue_at=now), "legs")]
    if user.has_role("clerk"):
        found += [("ready", results_ready(agency), "dossiers"), ("external", legs_to_external(agency), "legs")]
    return found + [("mine", mine(user), "dossiers"), ("due-today", mine_due_today(user, today, now), "dossiers"),
                    ("overdue", mine_overdue(user, now), "dossiers"),
                    ("supplement", waiting_for_supplement(user), "dossiers"),
                    ("my-legs", legs_sent_by(agency, user=user), "legs")]
