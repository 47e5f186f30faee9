"""Gap-free number series (dossier codes, ledger numbers), issued inside the caller's transaction."""
import functools

import sqlalchemy as sa

from .extensions import db
from .models import Counter


def next_number(agency_id: int, key: str) -> int:
    """The next number of the series; two clerks saving at once get consecutive numbers."""
    return next_numbers(agency_id, key)[0]


def next_numbers(agency_id: int, *keys: str) -> tuple[int, ...]:
    """The next number of each series, in one statement (an intake takes a code and a ledger number).

    The upsert locks the counter rows until the caller commits, so a refused or failed intake
    rolls the numbers back with it and no number is skipped or given twice. Every caller names
    the series in the same order, so two intakes never wait for each other crosswise.
    """
    params = {"agency": agency_id, **{f"key{i}": key for i, key in enumerate(keys)}}
    issued = dict(db.session.connection().execute(_upsert(len(keys)), params).all())
    return tuple(issued[key] for key in keys)


@functools.cache
def _upsert(count: int) -> sa.TextClause:
    # Written out once: SQLite (3.35+) and PostgreSQL share this syntax, and building the Core upsert
    # anew for every intake cost more than the round trip itself (BENCHMARKS.md, "API intake").
    rows = ", ".join(f"(:agency, :key{i}, 1)" for i in range(count))
    return sa.text(f"INSERT INTO counter (agency_id, key, last_number) VALUES {rows} "
                   "ON CONFLICT (agency_id, key) DO UPDATE SET last_number = counter.last_number + 1 "
                   "RETURNING key, last_number")


# A clerk may start the series while an import advances it: the row keeps whichever number is further on.
_START_AT = sa.text("INSERT INTO counter (agency_id, key, last_number) VALUES (:agency, :key, :moved) "
                    "ON CONFLICT (agency_id, key) DO UPDATE SET last_number = CASE "
                    "WHEN counter.last_number < excluded.last_number THEN excluded.last_number "
                    "ELSE counter.last_number END")


def advance_past(agency_id: int, key: str, taken: set[int]) -> int:
    """Move the series past numbers already used (an imported register's codes); returns its last number.

    Only the run of taken numbers right after the last one is skipped: a number further on is left for
    the intake's own check to step over when the series reaches it, so the day's numbering keeps no gap.
    The counter row stays locked until the caller commits, as in next_numbers.
    """
    table = Counter.__table__
    where = (table.c.agency_id == agency_id) & (table.c.key == key)
    last = db.session.scalar(sa.select(table.c.last_number).where(where).with_for_update())
    if last is None and 1 not in taken:
        return 0  # the series has not started and does not start with an imported number
    moved = last or 0
    while moved + 1 in taken:
        moved += 1
    if last is None:
        db.session.execute(_START_AT, {"agency": agency_id, "key": key, "moved": moved})
    elif moved != last:
        db.session.execute(sa.update(table).where(where).values(last_number=moved))
    return moved
