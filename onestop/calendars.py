"""The installation's working-time calendar: settings and admin overrides fed to the engine.

Each process keeps the calendar it built, with the *stamp* it was built at: a random token in the
`setting` table (key `calendar_stamp`) that every write changing the calendar replaces in the same
transaction (an override added, removed or changed, a confirmation, the `sessions` and
`same_day_cutoff` settings: see `_stamp_calendar_writes`). A request reads the stamp with one
primary-key query and rebuilds only when it differs, so several gunicorn workers or two app servers
on one database never use a stale calendar, and nothing expires by time: a stale calendar would
give a wrong legal deadline. A token, not a counter, so a rolled-back transaction's stamp is never
reused by another write. `CALENDAR_CACHE = False` turns the cache off (the benchmark's baseline).

A page that needs the calendar and the regime's first day too (the dossier page: its deadlines and the
numbers of its forms) reads both rows in one query with `in_force()`. The switch day is read, not cached.
A query for something else may carry the stamp as one more column (`STAMP_COLUMN`, read back with
`at_stamp`): the API intake reads its procedure and the stamp in one round trip (catalogue.find_in_force).
"""
import secrets
import threading
import weakref
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app

from . import deadlines, regimes, settings
from .extensions import db
from .models import CalendarOverride, Setting

STAMP_KEY = "calendar_stamp"
CALENDAR_SETTINGS = frozenset({"sessions", "same_day_cutoff"})
# Per process: the app's engine (one per database) → (stamp, calendar). Keyed by the engine itself: writing
# its URL out as a string, on every intake, cost a hundredth of the intake.
_cache: weakref.WeakKeyDictionary[sa.Engine, tuple[str, deadlines.Calendar]] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()
# Built once: every request that computes a deadline runs it (API intake: BENCHMARKS.md).
_STAMP = sa.select(Setting.value).where(Setting.key == STAMP_KEY)
STAMP_COLUMN = _STAMP.scalar_subquery().label("calendar_stamp")
_STAMP_AND_SWITCH = sa.select(Setting.key, Setting.value).where(Setting.key.in_((STAMP_KEY, regimes.SWITCH_SETTING)))


@dataclass(frozen=True)
class InForce:
    """The rules a dossier's dates and forms follow now."""

    calendar: deadlines.Calendar
    regime_switch: date  # the first day of the 2025 regime (regimes.py)


def current() -> deadlines.Calendar:
    """The calendar in force now: the sessions setting, the cut-off and every override."""
    if not current_app.config.get("CALENDAR_CACHE", True):
        return _load()
    return _at_stamp(db.session.connection().execute(_STAMP).scalar())


def at_stamp(stamp: str | None) -> deadlines.Calendar:
    """The calendar in force, from the stamp this request read (with STAMP_COLUMN, or in in_force's query)."""
    return _at_stamp(stamp) if current_app.config.get("CALENDAR_CACHE", True) else _load()


def in_force() -> InForce:
    """The calendar in force now and the regime's switch day, read with one query."""
    rows = dict(db.session.connection().execute(_STAMP_AND_SWITCH).all())
    return InForce(at_stamp(rows.get(STAMP_KEY)), regimes.parse_switch(rows.get(regimes.SWITCH_SETTING)))


def _at_stamp(stamp: str | None) -> deadlines.Calendar:
    key = db.engine
    cached = _cache.get(key)
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1]
    calendar = _load()
    if stamp is not None:  # no stamp yet (a database no calendar write has touched): nothing to check against
        with _cache_lock:
            _cache[key] = (stamp, calendar)
    return calendar


def _load() -> deadlines.Calendar:
    values = settings.get_all()
    sessions = tuple(tuple(pair) for pair in values["sessions"])
    rows = db.session.execute(sa.select(CalendarOverride.day, CalendarOverride.kind, CalendarOverride.reason))
    overrides = tuple(deadlines.Override(day, kind, reason) for day, kind, reason in sorted(rows))
    return _build(sessions, values["same_day_cutoff"], overrides)


def changed(session=None) -> None:
    """Give the calendar a new stamp in the current transaction (the writes below do it themselves)."""
    session = session or db.session
    with session.no_autoflush:
        row = session.get(Setting, STAMP_KEY)
    token = secrets.token_hex(16)
    if row is None:
        session.add(Setting(key=STAMP_KEY, value=token))
    else:
        row.value = token


def _changes_calendar(instance) -> bool:
    return isinstance(instance, CalendarOverride) or (
        isinstance(instance, Setting) and instance.key in CALENDAR_SETTINGS)


def _stamp_calendar_writes(session, flush_context, instances):
    # Every ORM write path (admin pages, CLI, seed, API) goes through a flush: one place cannot be forgotten.
    if any(_changes_calendar(instance) for instance in (*session.new, *session.dirty, *session.deleted)):
        changed(session)


sa.event.listen(sa.orm.Session, "before_flush", _stamp_calendar_writes)


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
