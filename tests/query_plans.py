"""What the database plans for a statement the app sends: for tests that a query is served by an index.

A test's handful of rows is rightly read whole, or through any index, by PostgreSQL's planner, whose choice
then rests on nothing (CI once saw the primary key's index chosen over the one a million rows need). So the
table is first given a few thousand closed dossiers of another year, as a province's history makes it, and
its statistics refreshed; sequential scans are also made dear. SQLite's planner follows its indexes anyway.
"""
from contextlib import contextmanager
from datetime import date, datetime, timezone

import sqlalchemy as sa

from onestop.extensions import db
from onestop.models import Dossier, DossierStatus

HISTORY = 3000  # closed dossiers of 2020 added beside a test's own


@contextmanager
def capturing(marker: str):
    """Collect (statement, parameters) of each statement the app sends that contains `marker`."""
    seen = []

    def capture(_connection, _cursor, statement, parameters, _context, _many):
        if marker in statement:
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)


def plan(statement: str, parameters) -> list[str]:
    """The plan's lines (PostgreSQL EXPLAIN, or SQLite EXPLAIN QUERY PLAN's details), in a transaction undone after."""
    db.session.rollback()
    connection = db.session.connection()
    try:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            return connection.exec_driver_sql("EXPLAIN " + statement, parameters).scalars().all()
        return [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    finally:
        db.session.rollback()


def add_closed_history(count: int = HISTORY) -> None:
    """Copies of the first dossier, returned in 2020 (each with its own code), in one INSERT … SELECT; then ANALYZE.

    The caller commits (and the test's tables are emptied after it as usual)."""
    table = Dossier.__table__
    numbers = sa.select(sa.literal(1).label("i")).cte("numbers", recursive=True)
    numbers = numbers.union_all(sa.select(numbers.c.i + 1).where(numbers.c.i < count))
    first = sa.select(table).order_by(table.c.id).limit(1).subquery()
    closed_at = datetime(2020, 6, 1, 3, 0, tzinfo=timezone.utc)
    values = {column.name: first.c[column.name] for column in table.columns if column.name != "id"}
    values.update(
        code=first.c.code + "-h" + sa.cast(numbers.c.i, sa.String), intake_token=sa.null(),
        status=sa.literal(DossierStatus.RETURNED, table.c.status.type),
        received_at=sa.literal(closed_at, table.c.received_at.type), received_on=sa.literal(date(2020, 6, 1)),
        due_at=sa.literal(closed_at, table.c.due_at.type), due_on=sa.literal(date(2020, 6, 1)),
        completed_at=sa.literal(closed_at, table.c.completed_at.type), completed_on=sa.literal(date(2020, 6, 1)))
    rows = sa.select(*(value.label(name) for name, value in values.items())).select_from(first.join(numbers, sa.true()))
    db.session.execute(table.insert().from_select(list(values), rows))
    db.session.commit()
    db.session.execute(sa.text("ANALYZE dossier"))
    db.session.commit()
