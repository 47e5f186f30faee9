"""The history is append-only: nothing a user does edits or deletes an event."""
import pytest
import sqlalchemy as sa

from lifecycle import build
from onestop.extensions import db
from onestop.models import Event
from onestop.workflow import ACTIONS

STATES = ("received", "processing", "awaiting_supplement", "at_partner", "awaiting_approval", "result_ready",
          "refused")
PAYLOAD = {"to_user": "officer", "reason": "Thử", "items": "Giấy tờ", "note": "Thử", "recipient": "Ai đó",
           "agency_code": "000.00.31.H57", "share": "1", "new_promised_at": "2026-03-20T17:00"}
COLUMNS = [column.key for column in Event.__table__.columns]


def _events(app) -> dict:
    with app.app_context():
        return {row.id: tuple(getattr(row, key) for key in COLUMNS) for row in db.session.scalars(sa.select(Event))}


def test_changing_or_deleting_an_event_is_refused_by_the_session(session, demo):
    dossier = build("processing")
    session.commit()
    event = dossier.events[-1]
    event.note = "sửa lại"
    with pytest.raises(PermissionError, match="chỉ được ghi thêm"):
        session.flush()
    session.rollback()
    event = session.scalars(sa.select(Event)).first()
    session.delete(event)
    with pytest.raises(PermissionError):
        session.flush()
    session.rollback()


def test_no_route_accepts_put_patch_or_delete(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "api.delete_file":  # DESIGN.md §12: a file's uploader deletes it (an event records it)
            continue
        assert not {"PUT", "PATCH", "DELETE"} & rule.methods, rule.rule


@pytest.mark.parametrize("username", ["clerk", "officer", "leader", "partner"])
def test_every_post_by_every_user_only_adds_events(app, client, login, username):
    with app.app_context():
        codes = [build(state).code for state in STATES]
        db.session.commit()
    before = _events(app)
    login(username)
    urls = app.url_map.bind("localhost")
    posted = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in ("auth.logout", "auth.login", "auth.sign_out_everywhere", "static"):
            continue
        for code in codes:
            for action in ACTIONS if "action" in rule.arguments else [None]:
                values = {name: {"code": code, "action": action}.get(name, "1") for name in rule.arguments}
                url = urls.build(rule.endpoint, values, method="POST")
                if rule.rule.startswith("/api/"):
                    client.post(url, json={"action": action or "approve", **{k: v for k, v in PAYLOAD.items()
                                                                              if k in ("reason",)}})
                else:
                    client.post(url, data=PAYLOAD)
                posted += 1
    after = _events(app)
    assert posted > len(STATES) * len(ACTIONS)  # the sweep really posted
    assert {key: after.get(key) for key in before} == before  # every old event is there, unchanged
    assert len(after) > len(before)  # and the allowed steps added new ones
