"""The installation's working-time calendar: settings and admin overrides fed to the engine."""
from datetime import time
from functools import lru_cache

import sqlalchemy as sa

from . import deadlines, settings
from .extensions import db
from .models import CalendarOverride


def current() -> deadlines.Calendar:
    """The calendar in force now: the sessions setting, the cut-off and every override."""
    values = settings.get_all()
    sessions = tuple(tuple(pair) for pair in values["sessions"])
    rows = db.session.execute(sa.select(CalendarOverride.day, CalendarOverride.kind, CalendarOverride.reason))
    overrides = tuple(deadlines.Override(day, kind, reason) for day, kind, reason in sorted(rows))
    return _build(sessions, values["same_day_cutoff"], overrides)


@lru_cache(maxsize=16)
def _build(sessions, cutoff, overrides) -> deadlines.Calendar:
    # The engine caches per year inside a Calendar, so reuse one while nothing changed.
    return deadlines.Calendar(
        sessions=tuple((parse_time(start), parse_time(end)) for start, end in sessions),
        overrides=overrides,
        same_day_cutoff=parse_time(cutoff),
    )


def parse_time(text: str) -> time:
    """'07:00' → time(7, 0)."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def next_year_unconfirmed(today, calendar: deadlines.Calendar | None = None) -> int | None:
    """From 1 October, next year if its Tết schedule is not confirmed yet (the government announces
    it in the autumn; until an admin confirms it, deadlines into next year rest on the library)."""
    if today.month < 10:
        return None
    year = today.year + 1
    return None if (calendar or current()).tet_confirmed(year) else year
