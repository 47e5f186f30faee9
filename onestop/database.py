"""Database connection settings that keep data safe on a commune PC's SQLite file."""
import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from .extensions import db


def _configure_sqlite(dbapi_connection, connection_record):
    # WAL survives power loss without corruption, and foreign keys must be switched on per connection.
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin(connection):
    # Anything that may write takes the write lock at the start, so two clerks saving at once wait
    # for each other instead of failing with "database is locked" when a read transaction upgrades
    # to a write. Pages that only read (GET) begin deferred: in WAL mode the workers then read side
    # by side instead of queueing for the lock (lobby screens and kiosks poll all day).
    connection.exec_driver_sql("BEGIN" if reading() else "BEGIN IMMEDIATE")


def reading() -> bool:
    """Whether this is a request that only reads; a GET that logs something does so in a transaction of its own."""
    return has_request_context() and request.method in ("GET", "HEAD", "OPTIONS")


def read_alone(statement, parameters: dict) -> sa.Row | None:
    """The first row of one read-only statement; on PostgreSQL run outside a transaction.

    There a transaction costs two round trips more than its statement (psycopg sends BEGIN on its own, and the
    pool rolls back when the connection returns): for a lookup of one row that anyone may repeat as often as
    the rate limit allows, they were a fifth of its time (BENCHMARKS.md). One statement reads one snapshot
    either way. SQLite's BEGIN costs no round trip, and it keeps its own (`_begin`, above).
    """
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        return connection.execute(statement, parameters).first()


class RowIdConverter(IntegerConverter):
    """`<int:…>` in a URL: a number past a row id's range is a page not found, not a PostgreSQL error (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)  # INTEGER primary keys on PostgreSQL
        super().__init__(map, *args, **kwargs)


def init_app(app):
    app.url_map.converters["int"] = RowIdConverter  # before the blueprints add their rules
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not getattr(engine, "_onestop_configured", False):
            sa.event.listen(engine, "connect", _configure_sqlite)
            sa.event.listen(engine, "begin", _begin)
            engine._onestop_configured = True
