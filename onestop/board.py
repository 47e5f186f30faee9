"""What the lobby screen shows: results waiting for pickup, today's figures and the week's schedule.

The feed is plain data without personal details beyond masked names (DESIGN.md §3); its ETag is a
hash of that data, so it changes exactly when something on the screen would change.
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import monotonic

import sqlalchemy as sa
from flask import current_app

from . import agendas
from .clock import VN, local
from .extensions import db
from .formatting import vn_date, vn_time
from .models import Agency, Dossier, DossierStatus, Procedure, Timeliness
from .privacy import mask_name
from .queue import tickets as queue_tickets

# Older uncollected results stay on the desk's list; a lobby cycle through more pages helps nobody.
MAX_ITEMS = 60


@dataclass(frozen=True)
class Figures:
    """Today's intake and hand-backs, and this month's completed dossiers and how many were in time."""

    received_today: int
    returned_today: int
    completed_this_month: int
    in_time_this_month: int

    @property
    def on_time_percent(self) -> int | None:
        """Early plus on-time over everything completed this month; rounded down, so 100 % means all."""
        if not self.completed_this_month:
            return None
        return 100 * self.in_time_this_month // self.completed_this_month


def _sum(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def figures(agency: Agency, now: datetime) -> Figures:
    """The day's and the month's counts, in one aggregate query."""
    today = local(now).date()
    day_start = datetime.combine(today, time.min, tzinfo=VN)
    month_start = today.replace(day=1)
    returned_today = sa.and_(Dossier.returned_at >= day_start, Dossier.returned_at < day_start + timedelta(days=1))
    completed = Dossier.completed_on.between(month_start, today)
    in_time = sa.and_(completed, Dossier.timeliness.in_([Timeliness.EARLY, Timeliness.ON_TIME]))
    row = db.session.execute(
        sa.select(_sum(Dossier.received_on == today), _sum(returned_today), _sum(completed), _sum(in_time))
        .where(Dossier.agency_id == agency.id,
               sa.or_(Dossier.received_on == today, returned_today, completed))
    ).one()
    return Figures(*(int(value) for value in row))


def ready_items(agency: Agency, today: date) -> list[dict]:
    """The newest results waiting at the desk, with masked names only."""
    query = (sa.select(Dossier.code, Dossier.applicant_name, Dossier.applicant_is_organisation,
                       Dossier.completed_at, Procedure.name)
             .join(Procedure, Dossier.procedure_id == Procedure.id)
             .where(Dossier.agency_id == agency.id, Dossier.status == DossierStatus.RESULT_READY)
             .order_by(Dossier.completed_at.desc(), Dossier.id.desc()).limit(MAX_ITEMS))
    return [{
        "code": code,
        "short_code": code.removeprefix(f"{agency.code}-"),
        "name": mask_name(name, is_organisation),
        "procedure": procedure,
        "since": vn_time(completed_at) if local(completed_at).date() == today else vn_date(completed_at),
    } for code, name, is_organisation, completed_at, procedure in db.session.execute(query)]


def ready_count(agency: Agency) -> int:
    """How many results wait at the desk in all."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Dossier).where(
        Dossier.agency_id == agency.id, Dossier.status == DossierStatus.RESULT_READY))


def payload(agency: Agency, now: datetime) -> dict:
    """Everything the screen shows, as JSON-ready data."""
    today = local(now).date()
    counts = figures(agency, now)
    return {
        "ready": {"total": ready_count(agency), "items": ready_items(agency, today)},
        "figures": {
            "received_today": counts.received_today, "returned_today": counts.returned_today,
            "completed_this_month": counts.completed_this_month, "in_time_this_month": counts.in_time_this_month,
            "on_time_percent": counts.on_time_percent, "month": f"{today:%m/%Y}",
        },
        "agenda": agendas.board_week(agency, today),
        "calls": queue_tickets.recent_calls(agency, now),
    }


def find_agency(code: str) -> Agency | None:
    """The agency a board is for: any of ours, not an external one."""
    return db.session.scalar(sa.select(Agency).where(Agency.code == code, Agency.external.is_(False)))


def cached_feed(agency_code: str, now: datetime, seconds: float) -> tuple[dict, str] | None:
    """The board's data and tag, reused for `seconds` by every screen polling this process; None: no agency.

    Each screen polls every few seconds and nearly always gets 304: reusing the data for a second
    or two makes those answers cost almost nothing, and a new result still shows within a poll or so.
    """
    cache = current_app.extensions.setdefault("onestop_board_feed", {})  # per app: tests run many
    kept = cache.get(agency_code)
    if kept is not None and monotonic() - kept[0] < seconds:
        return kept[1], kept[2]
    agency = find_agency(agency_code)
    if agency is None:
        return None
    data = payload(agency, now)
    tag = etag(data)
    cache[agency_code] = (monotonic(), data, tag)
    return data, tag


def etag(data: dict) -> str:
    """A fingerprint of the screen's content: equal data, equal tag."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
