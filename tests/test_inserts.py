"""Intake writes its two rows with plain INSERTs (onestop/inserts.py): what the desk is handed is what was saved."""
import pytest
import sqlalchemy as sa

from onestop import calendars, clock, dossiers
from onestop.errors import WorkflowError
from onestop.extensions import db
from onestop.models import Dossier, Event, Procedure, User
from onestop.notifications import outbox


def _receive(app, **intake):
    procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == "1.004837"))
    clerk = db.session.scalar(sa.select(User).where(User.username == "clerk"))
    return dossiers.receive(procedure, dossiers.Applicant("Nguyễn Thị Hoa", phone="0912345678"),
                            dossiers.Intake(note=" giấy hẹn ", **intake), agency=clerk.agency, clerk=clerk,
                            now=clock.now(), calendar=calendars.current())


def _columns(obj) -> dict:
    return {column.key: getattr(obj, column.key) for column in sa.inspect(type(obj)).columns}


def test_the_new_dossier_and_its_event_read_back_exactly_as_saved_with_nothing_left_pending(app, demo):
    with app.app_context():
        dossier = _receive(app)
        event = dossier.events[0]
        assert not db.session.new and not db.session.dirty  # written already, not waiting for a flush
        handed, handed_event = _columns(dossier), _columns(event)
        db.session.commit()
    with app.app_context():  # a fresh session reads the rows from the database
        saved = db.session.get(Dossier, handed["id"])
        assert _columns(saved) == handed
        assert _columns(db.session.get(Event, handed_event["id"])) == handed_event
    assert handed["note"] == "giấy hẹn" and handed["search_name"] == "nguyen thi hoa"
    assert handed["procedure_id"] and handed["holder_user_id"] and handed_event["dossier_id"] == handed["id"]
    assert handed["completed_at"] is None and handed["timeliness"] is None and handed_event["data"] == {}


def test_reading_the_new_dossier_for_the_receipt_asks_the_database_nothing(app, demo):
    with app.app_context():
        dossier = _receive(app)
        statements = []

        def note(connection, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", note)
        try:
            assert [event.action for event in dossier.events] == ["receive"]
            assert dossier.pauses == [] and dossier.legs == [] and dossier.completed_at is None
            assert dossier.procedure.code == "1.004837" and dossier.agency.code == dossier.holder_agency.code
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", note)
        assert statements == []
        db.session.rollback()


def test_a_refused_consent_after_intake_leaves_no_dossier_behind(app, demo):
    # No Zalo configured in the tests: asking for it is refused after the rows are written.
    with app.app_context():
        dossier = _receive(app)
        with pytest.raises(WorkflowError):
            outbox.record_consent(dossier, ["zalo"], now=dossier.received_at)
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(Dossier.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0
