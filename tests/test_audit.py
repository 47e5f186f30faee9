"""Issue 9: the privacy log, what public pages never show, and the admins' event list."""
from urllib.parse import unquote_plus

import pytest
import sqlalchemy as sa

from lifecycle import build
from onestop import codes, tokens
from onestop.extensions import db
from onestop.models import Dossier, Event, PersonalDataView, User

from conftest import PINNED_NOW

HOME = "000.13.31.H57"
NAME, GIVEN = "Nguyễn Thị Bảo Quyên", "Bảo Quyên"
ID_NUMBER, PHONE, EMAIL = "079301004567", "0987654321", "quyen.bimat@example.vn"
ADDRESS = "Số 12 ngõ Riêng Tư, thôn Bí Mật"
SECRETS = (NAME, GIVEN, ID_NUMBER, PHONE, EMAIL, ADDRESS, "Riêng Tư")


def _personal(dossier: Dossier) -> Dossier:
    dossier.applicant_name, dossier.applicant_id_number, dossier.applicant_phone = NAME, ID_NUMBER, PHONE
    dossier.applicant_email, dossier.applicant_address = EMAIL, ADDRESS
    return dossier


@pytest.fixture
def known(demo):
    """Dossiers in the states the public screens show, all with the same known personal data."""
    with demo.app_context():
        found = [_personal(build(state)).code for state in ("received", "awaiting_supplement", "result_ready")]
        db.session.commit()
    return found


def _views(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(sa.select(PersonalDataView).order_by(PersonalDataView.id))
        return [(row.user.username, row.dossier.code, row.via, row.at) for row in rows]


# --- the privacy log ---

def test_opening_a_dossier_page_is_logged_with_who_and_when(app, client, login, known):
    login("officer")
    assert client.get(f"/desk/dossiers/{known[0]}").status_code == 200
    assert _views(app) == [("officer", known[0], "desk", PINNED_NOW)]


def test_reading_a_dossier_through_the_api_is_logged(app, client, known):
    with app.app_context():
        token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == "leader")))
        db.session.commit()
    response = client.get(f"/api/v1/dossiers/{known[2]}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert _views(app) == [("leader", known[2], "api", PINNED_NOW)]


def test_lists_and_refused_views_are_not_logged(app, client, login, known):
    login("partner")  # another agency: the dossier is not there for them
    assert client.get(f"/desk/dossiers/{known[0]}").status_code == 404
    client.get("/desk/")
    assert _views(app) == []


def test_admins_read_the_privacy_log(app, client, login, known):
    login("officer")
    client.get(f"/desk/dossiers/{known[0]}")
    client.get(f"/desk/dossiers/{known[1]}")
    client.post("/auth/logout")
    login("admin")
    page = client.get("/admin/privacy-log").get_data(as_text=True)
    assert known[0] in page and known[1] in page and "officer" in page and "09:00 05/03/2026" in page
    only_one = client.get(f"/admin/privacy-log?code={known[1]}").get_data(as_text=True)
    assert known[1] in only_one and known[0] not in only_one
    assert "Nhật ký truy cập dữ liệu cá nhân" in client.get("/admin/").get_data(as_text=True)


def test_desk_staff_cannot_read_the_privacy_log(client, login):
    login("leader")
    assert client.get("/admin/privacy-log").status_code == 403
    assert client.get("/admin/events").status_code == 403


# --- public screens never carry personal data ---

def _public_urls(app, dossier_codes, procedure_code="1.004837"):
    """Every GET URL of the kiosk, the citizen's lookup, the lobby screen and the public API."""
    token = codes.lookup_token(dossier_codes[0], app.config["SECRET_KEY"])
    queries = [{}, {"code": dossier_codes[0]}, {"code": dossier_codes[0][-11:]}, {"q": NAME}, {"q": PHONE},
               {"q": ID_NUMBER}, {"t": token}, {"code": PHONE}]
    urls = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        public = rule.endpoint.split(".")[0] in ("kiosk", "public", "display") or rule.rule.startswith("/api/v1/public")
        if not public or "GET" not in rule.methods:
            continue
        for code in (*dossier_codes, procedure_code):
            values = {name: {"agency_code": HOME, "code": code, "anything": "x"}.get(name, code)
                      for name in rule.arguments}
            for query in queries:
                yield urls.build(rule.endpoint, {**values, **query}, method="GET")


def test_no_public_response_carries_a_name_id_number_phone_or_address(app, client, known):
    checked = 0
    for url in dict.fromkeys(_public_urls(app, known)):
        response = client.get(url)
        body = response.get_data(as_text=True)
        if response.status_code == 200:
            checked += 1
        for secret in SECRETS:
            if secret not in unquote_plus(url):  # a page may repeat what was typed; it must not add what was stored
                assert secret not in body, (url, secret)
    assert checked >= 20  # the sweep saw real pages, not only errors
    board = client.get(f"/display/{HOME}/feed.json").get_data(as_text=True)
    lookup = client.get(f"/tra-cuu/{known[0]}?t={codes.lookup_token(known[0], app.config['SECRET_KEY'])}")
    assert known[2] in board  # the ready dossier is on the board, masked
    assert "Nguyễn T. B. Q." in lookup.get_data(as_text=True)  # the receipt's link shows the masked name


# --- the admins' event list ---

def _event_rows(body: str) -> int:
    return body.count("<tr><td>")


def test_admins_list_events_newest_first_with_filters(app, client, login, known):
    login("admin")
    everything = client.get("/admin/events").get_data(as_text=True)
    with app.app_context():
        total = db.session.scalar(sa.select(sa.func.count(Event.id)))
        ready_events = db.session.scalar(sa.select(sa.func.count(Event.id)).join(Event.dossier)
                                         .where(Dossier.code == known[2]))
        leader_events = db.session.scalar(sa.select(sa.func.count(Event.id)).join(Event.actor)
                                          .where(User.username == "leader"))
    assert f"{total} sự kiện" in everything and _event_rows(everything) == total
    by_code = client.get(f"/admin/events?code={known[2]}").get_data(as_text=True)
    assert _event_rows(by_code) == ready_events and known[0] not in by_code
    by_user = client.get("/admin/events?username=leader").get_data(as_text=True)
    assert _event_rows(by_user) == leader_events > 0
    by_action = client.get("/admin/events?action=receive").get_data(as_text=True)
    assert _event_rows(by_action) == 3
    assert _event_rows(client.get("/admin/events?day=02/03/2026").get_data(as_text=True)) == total  # all on Monday
    assert _event_rows(client.get("/admin/events?day=03/03/2026").get_data(as_text=True)) == 0
    bad = client.get("/admin/events?day=31/02/2026").get_data(as_text=True)
    assert "Ngày không hợp lệ" in bad and _event_rows(bad) == total


def test_the_event_list_is_paginated(app, client, login, demo):
    with app.app_context():
        for _ in range(12):
            build("result_ready")  # 5 events each
        db.session.commit()
    login("admin")
    first = client.get("/admin/events").get_data(as_text=True)
    assert _event_rows(first) == 50 and "Trang 1 / 2" in first
    second = client.get("/admin/events?page=2").get_data(as_text=True)
    assert _event_rows(second) == 10 and 'rel="prev"' in second
