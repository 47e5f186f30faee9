"""Bulk writes for the benchmark's seed: COPY on PostgreSQL, executemany on SQLite.

The ORM would spend minutes on a million dossiers; these writers take rows already shaped as the
tables store them (enum names, JSON text; on SQLite, instants as `sqlite_instant` text and dates
as ISO text).
"""
import json
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa

from ..extensions import db


def json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


class Writer:
    """Appends rows to tables over one raw connection, a transaction per `commit()`."""

    def __init__(self, engine: sa.Engine):
        self.postgresql = engine.dialect.name == "postgresql"
        self.connection = engine.raw_connection()
        if not self.postgresql:
            # Only this seeding connection: a lost seed is simply run again.
            self.connection.execute("PRAGMA synchronous=OFF")
            self.connection.execute("PRAGMA cache_size=-1000000")  # 1 GB: the indexes outgrow the default
            self.connection.execute("PRAGMA foreign_keys=OFF")  # the generator refers only to rows it wrote
            # The app's connections autocommit and BEGIN themselves (database.py): one transaction per
            # batch here, or every row is a transaction of its own.
            self.connection.execute("BEGIN")

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        cursor = self.connection.cursor()
        names = ", ".join(f'"{name}"' for name in columns)
        if self.postgresql:
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
        cursor.close()

    def commit(self) -> None:
        self.connection.commit()
        if not self.postgresql:
            self.connection.execute("BEGIN")

    def reset_sequences(self, tables: tuple[str, ...]) -> None:
        """After rows with explicit ids, PostgreSQL's sequences must start above them."""
        if not self.postgresql:
            return
        cursor = self.connection.cursor()
        for table in tables:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                           f"(SELECT coalesce(max(id), 0) + 1 FROM \"{table}\"), false)")
        cursor.close()
        self.connection.commit()

    def close(self) -> None:
        self.connection.commit()
        self.connection.close()


def sqlite_instant(moment: datetime) -> str:
    """An instant as SQLAlchemy's SQLite DateTime writes and compares it: naive UTC text."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


@contextmanager
def indexes_dropped(engine: sa.Engine, tables: tuple[str, ...]):
    """Drop the tables' secondary indexes for a bulk load and build them again after it (far faster)."""
    indexes = [index for name in tables for index in db.metadata.tables[name].indexes]
    for index in indexes:
        index.drop(bind=engine)
    try:
        yield
    finally:
        for index in indexes:
            index.create(bind=engine)
