"""What the database plans for a statement the app sends: for tests that a query is served by an index.

A test's handful of rows is rightly read whole by either planner, so PostgreSQL is asked with sequential scans
made dear, as a large table makes them; SQLite's planner follows its indexes as it would at any size.
"""
from contextlib import contextmanager

import sqlalchemy as sa

from onestop.extensions import db


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
