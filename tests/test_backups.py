"""Issue 9: `flask backup` and `flask restore` give back the same records, on SQLite and PostgreSQL."""
import os

import pytest
import sqlalchemy as sa

from lifecycle import build
from onestop import backups
from onestop.extensions import db
from onestop.models import Dossier, Event

from conftest import make_app

STATES = ("received", "awaiting_supplement", "at_partner", "result_ready", "returned", "refused")


@pytest.fixture
def empty_url(database_url, tmp_path, worker_id):
    """A second, empty database on the same kind of server as the run's."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    url = sa.make_url(os.environ["TEST_DATABASE_URL"])
    name = f"onestop_restore_{worker_id}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def filled(demo):
    with demo.app_context():
        for state in STATES:
            build(state)
        db.session.commit()
    return demo


def _figures(app) -> dict:
    """Row counts of every table, and the dossiers by status and timeliness."""
    with app.app_context():
        counts = {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
                  for table in db.metadata.sorted_tables}
        by_status = db.session.execute(sa.select(Dossier.status, Dossier.timeliness, sa.func.count())
                                       .group_by(Dossier.status, Dossier.timeliness)).all()
        actions = db.session.execute(sa.select(Event.action, sa.func.count()).group_by(Event.action)).all()
        return {"counts": counts, "status": sorted(map(tuple, by_status), key=str), "actions": sorted(actions)}


def test_a_backup_restored_into_an_empty_database_gives_the_same_records(filled, empty_url, tmp_path):
    before = _figures(filled)
    assert before["counts"]["dossier"] == len(STATES) and before["counts"]["event"] > len(STATES)
    target = tmp_path / "onestop.backup"
    result = filled.test_cli_runner().invoke(args=["backup", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu" in result.output and target.stat().st_size > 0

    fresh = make_app(empty_url)
    result = fresh.test_cli_runner().invoke(args=["restore", str(target)])
    assert result.exit_code == 0, result.output
    assert "Đã khôi phục" in result.output
    assert _figures(fresh) == before


def test_restore_accepts_a_database_whose_tables_exist_but_are_empty(filled, empty_url, tmp_path):
    target = tmp_path / "onestop.backup"
    with filled.app_context():
        backups.backup(target)
    fresh = make_app(empty_url)
    with fresh.app_context():
        db.create_all()  # as after `flask db upgrade` on a new install
        assert backups.tables_with_rows() == []
        backups.restore(target)
    assert _figures(fresh) == _figures(filled)


def test_restore_refuses_a_database_that_holds_data(filled, tmp_path):
    target = tmp_path / "onestop.backup"
    with filled.app_context():
        backups.backup(target)
    before = _figures(filled)
    result = filled.test_cli_runner().invoke(args=["restore", str(target)])
    assert result.exit_code != 0
    assert "đang có dữ liệu" in result.output and "Chỉ khôi phục vào cơ sở dữ liệu trống" in result.output
    assert _figures(filled) == before


def test_restore_refuses_a_file_that_is_not_a_backup(demo, empty_url, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("không phải bản sao lưu")
    result = make_app(empty_url).test_cli_runner().invoke(args=["restore", str(junk)])
    assert result.exit_code != 0
    assert "không phải bản sao lưu" in result.output
