"""Issue 9: no command of the app changes or deletes a dossier event (the routes are swept in test_events.py)."""
import click
import sqlalchemy as sa

from lifecycle import build
from onestop import ROOT
from onestop.extensions import db
from onestop import tokens
from onestop.models import ApiToken, Event, User

from conftest import PINNED_NOW

MAY_BE_REFUSED = {"restore", "ledger import"}
COLUMNS = [column.key for column in Event.__table__.columns]


def _events(app) -> dict:
    with app.app_context():
        return {row.id: tuple(getattr(row, key) for key in COLUMNS) for row in db.session.scalars(sa.select(Event))}


def _commands(app):
    """(words, command) of every command the app defines itself (Flask-Migrate's `db` manages the schema)."""
    def walk(command, words):
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, [*words, name])
        elif command.callback.__module__.startswith("onestop"):
            yield " ".join(words), command
    context = click.Context(app.cli)
    for name in app.cli.list_commands(context):
        yield from walk(app.cli.get_command(context, name), [name])


def test_every_command_leaves_the_events_as_they_were(app, demo, tmp_path):
    with app.app_context():
        dossier = build("result_ready")
        db.session.commit()
        code = dossier.code
        tokens.issue(db.session.scalar(sa.select(User).where(User.username == "clerk")))
        db.session.commit()
        token_id = db.session.scalar(sa.select(sa.func.max(ApiToken.id)))
    catalogue = tmp_path / "procedures.csv"
    catalogue.write_bytes((ROOT / "onestop/data/procedures.csv").read_bytes())
    month = PINNED_NOW.strftime("%d/%m/%Y")
    arguments = {  # each command run as an operator would, on a database with a dossier and its history
        "setup": ["--agency-code", "000.13.31.H57", "--agency-name", "UBND xã Quảng Thọ", "--place", "Quảng Thọ"],
        "seed demo": ["--dossiers", "3"],
        "users create": ["thu2", "--role", "clerk", "--password-stdin"],
        "users token": ["clerk"],
        "users tokens": ["clerk"],
        "users revoke-token": ["clerk", str(token_id)],
        "privacy purge": [],  # blanks applicant fields of closed dossiers; their events stay
        "calendar recompute": [],
        "catalogue import": [str(catalogue)],
        "calendar show": ["2026"],
        "calendar recompute": ["--rejudge"],  # only adds "reschedule" / "rejudge" events
        "report tthc": ["--from", "01/03/2026", "--to", month, "-o", str(tmp_path / "tthc.xlsx")],
        "report it": ["--from", "01/03/2026", "--to", month, "-o", str(tmp_path / "it.docx")],
        "ledger export": ["--from", "01/03/2026", "--to", month, "-o", str(tmp_path / "ledger.xlsx")],
        "ledger import": [str(tmp_path / "ledger.xlsx")],  # the same dossiers again: may be refused
        "backup": ["-o", str(tmp_path / "onestop.backup")],
        "restore": [str(tmp_path / "onestop.backup")],  # refused: the database is not empty
        "notifications send": [],
        "notifications run": ["--interval", "0", "--cycles", "1"],
    }
    before = _events(app)
    assert before and code
    found = dict(_commands(app))
    unreviewed = set(found) - set(arguments)
    assert not unreviewed, f"new commands: add them to this sweep with realistic arguments: {unreviewed}"
    for words in arguments:
        if words in found:
            result = app.test_cli_runner().invoke(args=[*words.split(), *arguments[words]],
                                                  input="Mk-rất-mạnh-2026!\n")
            if words not in MAY_BE_REFUSED:
                assert result.exit_code == 0, (words, result.output)
    after = _events(app)
    assert {key: after.get(key) for key in before} == before  # every old event is there, unchanged
