"""Database connection settings that keep data safe on a commune PC's SQLite file."""
import sqlalchemy as sa
from sqlalchemy.engine import Engine

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


def _begin_immediate(connection):
    # Take the write lock at the start, so two clerks saving at once wait for each other instead of
    # failing with "database is locked" when a read transaction upgrades to a write.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def init_app(app):
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not getattr(engine, "_onestop_configured", False):
            sa.event.listen(engine, "connect", _configure_sqlite)
            sa.event.listen(engine, "begin", _begin_immediate)
            engine._onestop_configured = True
