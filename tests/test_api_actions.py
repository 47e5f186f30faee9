"""POST /api/v1/dossiers/<code>/actions: the workflow for scripts, with 409 for a refused step and 422 for bad input."""
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from lifecycle import build, receive
from onestop import tokens
from onestop.clock import VN
from onestop.extensions import db
from onestop.api.schemas import DossierSchema
from onestop.models import Dossier, DossierStatus, Event, User


@pytest.fixture
def bearer(app, demo):
    """Authorization headers for a demo user, by username."""
    def bearer(username):
        with app.app_context():
            token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == username)))
            db.session.commit()
        return {"Authorization": f"Bearer {token}"}
    return bearer


def make(app, state):
    with app.app_context():
        code = build(state).code
        db.session.commit()
        return code


def state_of(app, code):
    with app.app_context():
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == code))
        return dossier.status, len(dossier.events), dossier.promised_at


def test_a_hand_over_by_username_answers_the_dossier(app, client, bearer):
    code = make(app, "received")
    response = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "hand_over", "to_user": "officer"},
                           headers=bearer("clerk"))
    assert response.status_code == 200, response.json
    assert response.json["status"] == "processing" and response.json["events"][-1]["action"] == "hand_over"
    assert state_of(app, code)[0] == DossierStatus.PROCESSING


def test_a_refused_step_answers_409_in_vietnamese_and_changes_nothing(app, client, bearer):
    code = make(app, "processing")
    before = state_of(app, code)
    response = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "approve"}, headers=bearer("leader"))
    assert response.status_code == 409
    assert response.json["error"] == {"code": "conflict", "message":
                                      f"Hồ sơ {code} đang ở trạng thái “Đang xử lý”: không thể phê duyệt."}
    assert state_of(app, code) == before


@pytest.mark.parametrize(("body", "field"), [
    ({"action": "refuse"}, "reason"),
    ({"action": "refuse", "reason": "   "}, "reason"),
    ({"action": "hand_over", "to_user": "ai-do"}, "to_user"),
    ({"action": "approve", "reason": "thừa"}, "reason"),
    ({"action": "fly"}, "action"),
    ({"action": "apologize", "reason": "Chậm", "new_promised_at": "mai"}, "new_promised_at"),
])
def test_invalid_input_answers_422_naming_the_field(app, client, bearer, body, field):
    code = make(app, "processing")
    before = state_of(app, code)
    response = client.post(f"/api/v1/dossiers/{code}/actions", json=body, headers=bearer("leader"))
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"] and response.json["error"]["message"]
    assert state_of(app, code) == before


def test_an_apology_takes_a_datetime_without_offset_as_vietnam_time(app, client, bearer):
    with app.app_context():
        code = receive(at=datetime(2026, 3, 5, 8, 30, tzinfo=VN)).code  # due Tue 10/03 08:30
        db.session.commit()
    response = client.post(f"/api/v1/dossiers/{code}/actions", headers=bearer("leader"), json={
        "action": "apologize", "reason": "Chờ xác minh", "new_promised_at": "2026-03-12T17:00:00"})
    assert response.status_code == 200, response.json
    assert response.json["promised_at"] == "2026-03-12T17:00:00+07:00"
    assert response.json["due_at"] == "2026-03-10T08:30:00+07:00"
    again = client.post(f"/api/v1/dossiers/{code}/actions", headers=bearer("leader"), json={
        "action": "apologize", "reason": "Lần nữa", "new_promised_at": "2026-03-13T17:00:00+07:00"})
    assert again.status_code == 409 and "chỉ được hẹn lại một lần" in again.json["error"]["message"]


def test_a_partner_agency_returns_its_leg_through_the_api(app, client, bearer):
    code = make(app, "at_partner")
    response = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "partner_returned", "note": "Xong"},
                           headers=bearer("partner"))
    assert response.status_code == 200, response.json
    assert response.json["status"] == "processing" and response.json["legs"][0]["returned_at"]


def test_another_agencys_dossier_is_not_found_and_anonymous_callers_are_refused(app, client, bearer):
    code = make(app, "processing")
    assert client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "approve"}).status_code == 401
    response = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "hand_over", "to_user": "partner"},
                           headers=bearer("partner"))
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 2  # receive + hand-over of build()


@pytest.mark.parametrize("state", ["received", "at_partner", "at_external", "awaiting_supplement", "returned",
                                   "refused"])
def test_the_written_out_dossier_answer_is_the_documented_schema_s_dump(app, client, bearer, state):
    """The API writes its dossier answer by hand for speed (onestop/api/answers.py): it must stay DossierSchema's."""
    code = make(app, state)
    with app.app_context():
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == code))
        dossier.documents = ["Tờ khai", {"name": "Văn bản cử người giám hộ", "kind": "copy", "count": 2}]
        dossier.applicant_date_of_birth = date(1990, 5, 17)
        dossier.events.append(Event(at=dossier.received_at, action="remind", note="Nhắc hạn"))  # no actor
        db.session.commit()
        documented = DossierSchema().dump(db.session.scalar(sa.select(Dossier).where(Dossier.code == code)))
    answered = client.get(f"/api/v1/dossiers/{code}", headers=bearer("clerk")).json
    assert answered == documented
    assert any(event["actor"] is None for event in answered["events"])
    assert answered["documents"][0] == {"name": "Tờ khai", "kind": "original", "count": 1}
    if state == "returned":
        assert answered["timeliness"] and answered["completed_at"] and answered["returned_at"]
    if state.startswith("at_"):
        assert answered["legs"] and answered["legs"][0]["returned_at"] is None
