"""Who gets what: every staff page × anonymous, clerk, officer, leader, admin and a user of another agency."""
import pytest
import sqlalchemy as sa

from onestop.extensions import db
from onestop.models import Dossier, User

from test_desk import receive

# Which roles pass each staff blueprint's guard (DESIGN.md §1).
ALLOWED = {
    "desk.": {"clerk", "officer", "leader", "partner"},
    "admin.": {"admin"},
    "agenda.": {"admin", "leader", "clerk"},
    "reports.": {"leader", "clerk", "admin"},
}
USERS = ("clerk", "officer", "leader", "admin", "partner")  # partner: an officer of the land office


def _pages(app, code):
    """Every GET page of the staff blueprints, filled with a real dossier of the commune."""
    urls = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        prefix = next((prefix for prefix in ALLOWED if rule.endpoint.startswith(prefix)), None)
        if prefix and "GET" in rule.methods:
            values = {name: {"code": code, "kind": "svg"}.get(name, "1") for name in rule.arguments}
            yield prefix, rule, urls.build(rule.endpoint, values)


@pytest.mark.parametrize("username", USERS)
def test_each_role_gets_exactly_the_pages_of_its_blueprints(app, client, login, username):
    code = receive(app)
    login(username)
    checked = 0
    for prefix, rule, url in _pages(app, code):
        response = client.get(url)
        status = response.status_code
        if username in ALLOWED[prefix]:
            assert status != 403 and "/auth/login" not in (response.location or ""), (username, rule.rule, status)
        else:
            assert status == 403, (username, rule.rule, status)
        checked += 1
    assert checked >= 30


def test_a_user_of_another_agency_sees_none_of_the_communes_dossiers(app, client, login):
    code = receive(app, name="Trần Thị Bình")
    login("partner")
    for url in (f"/desk/dossiers/{code}", f"/desk/dossiers/{code}/receipt", f"/desk/dossiers/{code}/label",
                f"/desk/dossiers/{code}/control", f"/desk/dossiers/{code}/qr.png", f"/api/v1/dossiers/{code}"):
        assert client.get(url).status_code == 404, url
    assert code not in client.get("/desk/search", query_string={"q": "Trần Thị Bình"}).text
    assert code not in client.get("/desk/inbox").text
    assert code not in client.get("/api/v1/dossiers").text
    assert client.get(f"/desk/scan?code={code}").status_code == 302  # back with "not found", not the page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Dossier.id))) == 1


# --- the JSON API: every endpoint × anonymous, each role and users of another agency, by token or session ---

API_USERS = ("anonymous", "clerk", "officer", "leader", "admin", "partner", "land.leader")
STATS = "/api/v1/stats/tthc?from=2026-03-01&to=2026-03-31"
INTAKE = {"procedure_code": "1.004837", "applicant": {"name": "Lê Văn Cường", "phone": "0911222333"},
          "channel": "direct"}
ACTION = {"action": "return_result", "recipient": "Trần Thị Bình"}  # the result is not ready: refused, no change
SURVEY = {"overall": "satisfied", "answers": {}, "comment": "", "channel": "web"}
# (endpoint, method, url, body, status for each of API_USERS). "partner" is an officer of the land office and
# "land.leader" its leader: to them the commune's dossiers are not there (404), its figures out of reach.
API_MATRIX = [
    ("api-docs.openapi_json", "GET", "/api/v1/openapi.json", None, (200, 200, 200, 200, 200, 200, 200)),
    ("api.agencies", "GET", "/api/v1/agencies", None, (401, 200, 200, 200, 200, 200, 200)),
    ("api.procedures", "GET", "/api/v1/procedures?q=khai", None, (401, 200, 200, 200, 200, 200, 200)),
    ("api.procedure", "GET", "/api/v1/procedures/1.001193", None, (401, 200, 200, 200, 200, 200, 200)),
    ("api.appointment", "GET", "/api/v1/procedures/1.001193/appointment", None, (401, 200, 200, 200, 200, 200, 200)),
    ("api.dossiers", "GET", "/api/v1/dossiers", None, (401, 200, 200, 200, 403, 200, 200)),
    ("api.dossier", "GET", "/api/v1/dossiers/{code}", None, (401, 200, 200, 200, 403, 404, 404)),
    ("api.act", "POST", "/api/v1/dossiers/{code}/actions", ACTION, (401, 409, 409, 409, 403, 404, 404)),
    ("api.tthc_stats", "GET", STATS, None, (401, 200, 403, 200, 200, 403, 200)),
    ("api.tthc_stats", "GET", STATS + "&agency=000.13.31.H57", None, (401, 200, 403, 200, 200, 403, 404)),
    ("api.public_dossier", "GET", "/api/v1/public/dossiers/{code}", None, (200, 200, 200, 200, 200, 200, 200)),
    ("api.public_survey", "POST", "/api/v1/public/dossiers/{code}/survey?t=sai", SURVEY,
     (403, 403, 403, 403, 403, 403, 403)),
    ("api.receive", "POST", "/api/v1/dossiers", INTAKE, (401, 201, 403, 403, 403, 403, 403)),
    # Files of a dossier (issue 18): the commune's dossier has none yet, so a file id is not found; an upload
    # without a file is refused for what it lacks.
    ("api.dossier_files", "GET", "/api/v1/dossiers/{code}/files", None, (401, 200, 200, 200, 403, 404, 404)),
    ("api.upload_file", "POST", "/api/v1/dossiers/{code}/files", None, (401, 422, 422, 422, 403, 404, 404)),
    ("api.dossier_file", "GET", "/api/v1/dossiers/{code}/files/1", None, (401, 404, 404, 404, 403, 404, 404)),
    ("api.delete_file", "DELETE", "/api/v1/dossiers/{code}/files/1", None, (401, 404, 404, 404, 403, 404, 404)),
    ("api.digitization_stats", "GET", "/api/v1/stats/digitization?from=2026-03-01&to=2026-03-31", None,
     (401, 200, 403, 200, 200, 403, 200)),
    # Queue numbers (issue 20): no lines or counters are set up here, so the agency has none to give or call.
    ("api.public_queue_ticket", "POST", "/api/v1/public/queue/000.13.31.H57/tickets", {"service": "A"},
     (404, 404, 404, 404, 404, 404, 404)),
    ("api.queue_call", "POST", "/api/v1/queue/call", {"counter": 1}, (401, 404, 404, 404, 403, 404, 404)),
]
PERSONAL = ("Trần Thị Bình", "0987654321")  # the commune's dossier of test_desk.receive


@pytest.fixture
def land_leader(demo):
    """A leader of the land office: another agency, with the roles that read dossiers and figures."""
    from onestop import seed

    with demo.app_context():
        land_office = db.session.scalar(sa.select(User).where(User.username == "partner")).agency
        seed.ensure_user("land.leader", "Ngô Văn Tài", ["leader"], land_office, seed.DEMO_PASSWORD)
        db.session.commit()


def _credentials(app, client, username, mode) -> dict:
    """Request headers for the user: a bearer token, or none after logging in with the session."""
    if username == "anonymous":
        return {}
    if mode == "session":
        assert client.post("/auth/login", data={"username": username, "password": "demo"}).status_code == 302
        return {}
    from onestop import tokens

    with app.app_context():
        token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == username)))
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_api_matrix_covers_every_api_endpoint(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert endpoints == {row[0] for row in API_MATRIX}


@pytest.mark.parametrize("mode", ["token", "session"])
@pytest.mark.parametrize("username", API_USERS)
def test_each_caller_gets_exactly_its_share_of_the_api(app, client, land_leader, username, mode):
    code = receive(app)
    headers = _credentials(app, client, username, mode)
    column = API_USERS.index(username)
    for endpoint, method, url, body, statuses in API_MATRIX:
        response = client.open(url.format(code=code), method=method, json=body, headers=headers)
        assert response.status_code == statuses[column], (username, mode, method, url, response.json)
        if response.status_code >= 400:
            assert response.json["error"]["message"], (username, url)  # the API's JSON error, in Vietnamese
        if username in ("partner", "land.leader", "anonymous") or endpoint.startswith(("api.public", "api-docs")):
            text = response.get_data(as_text=True)
            assert not any(value in text for value in PERSONAL), (username, url)  # no one else's applicant
            if username != "anonymous" and endpoint == "api.dossiers":
                assert code not in text and response.json["total"] == 0
    with app.app_context():
        dossiers = {row.code: row.status.value for row in db.session.scalars(sa.select(Dossier))}
    assert dossiers[code] == "received"  # the refused action changed nothing
    assert len(dossiers) == (2 if username == "clerk" else 1)


def test_a_leader_of_the_parent_agency_gets_the_communes_figures_but_never_its_dossiers(app, client, land_leader):
    """DESIGN.md §1: figures cross up to a parent agency's leaders; dossiers do not."""
    from onestop.models import Agency

    code = receive(app)
    with app.app_context():
        home = db.session.scalar(sa.select(Agency).where(Agency.code == "000.13.31.H57"))
        home.parent = db.session.scalar(sa.select(Agency).where(Agency.code == "000.00.31.H57"))
        db.session.commit()
    headers = _credentials(app, client, "land.leader", "token")
    figures = client.get(STATS + "&agency=000.13.31.H57", headers=headers)
    assert figures.status_code == 200 and figures.json["total"]["received"] == 1
    assert client.get(f"/api/v1/dossiers/{code}", headers=headers).status_code == 404
    assert client.get("/api/v1/dossiers", headers=headers).json["total"] == 0
    assert not any(value in figures.get_data(as_text=True) for value in PERSONAL)
