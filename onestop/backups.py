"""Whole-database backup and restore: SQLite's online backup API, pg_dump/pg_restore on PostgreSQL."""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa

from .extensions import db
from .files import archive

PG_BIN = Path("/usr/lib/postgresql/15/bin")  # Debian's server package; used when the tools are not on PATH
SQLITE_MAGIC, PG_MAGIC = b"SQLite format 3\x00", b"PGDMP"


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why, in Vietnamese."""


def backup(target: Path) -> None:
    """Copy the whole database into `target` while the app keeps running, and its files beside it."""
    if db.engine.dialect.name == "sqlite":
        _sqlite_copy(source=None, target=target)
    else:
        _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", _dsn())
    archive.export_files(archive.companion(target))  # scans and e-results (issue 18)


def restore(source: Path) -> None:
    """Load a backup made by `backup` into an empty database; refuse one that holds data."""
    head = source.read_bytes()[:16] if source.is_file() else b""
    sqlite = db.engine.dialect.name == "sqlite"
    if not head.startswith(SQLITE_MAGIC if sqlite else PG_MAGIC):
        raise BackupError(f"Tệp {source} không phải bản sao lưu "
                          f"{'SQLite' if sqlite else 'pg_dump (định dạng custom)'} của cơ sở dữ liệu này.")
    busy = tables_with_rows()
    if busy:
        raise BackupError("Cơ sở dữ liệu đích đang có dữ liệu (bảng " + ", ".join(busy[:5]) + "). "
                          "Chỉ khôi phục vào cơ sở dữ liệu trống để không ghi đè dữ liệu đang dùng.")
    if sqlite:
        _sqlite_copy(source=source, target=None)
    else:  # the empty tables a `flask db upgrade` may have made are dropped and recreated from the dump
        _run("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
             f"--dbname={_dsn()}", str(source))
    db.engine.dispose()  # pooled connections may hold the old schema
    archive.import_files(archive.companion(source))


def tables_with_rows() -> list[str]:
    """The tables that hold at least one row (Alembic's version table does not count)."""
    names = [name for name in sa.inspect(db.engine).get_table_names() if name != "alembic_version"]
    with db.engine.connect() as connection:
        return [name for name in names
                if connection.execute(sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)).first()]


def _sqlite_copy(source: Path | None, target: Path | None) -> None:
    raw = db.engine.raw_connection()
    try:
        live = raw.driver_connection
        other = sqlite3.connect(f"file:{source}?mode=ro", uri=True) if source else sqlite3.connect(target)
        try:
            (other.backup(live) if source else live.backup(other))  # page by page, consistent while in use
        finally:
            other.close()
    finally:
        raw.close()


def _dsn() -> str:
    url = db.engine.url
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(tool: str, *args: str) -> None:
    program = shutil.which(tool) or str(PG_BIN / tool)
    env = {**os.environ, **({"PGPASSWORD": db.engine.url.password} if db.engine.url.password else {})}
    try:
        result = subprocess.run([program, *args], env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"Không tìm thấy chương trình {tool}; hãy cài gói postgresql-client.") from None
    if result.returncode != 0:
        raise BackupError(f"{tool} báo lỗi: {result.stderr.strip()[:2000]}")
