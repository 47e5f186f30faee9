"""Who gets what: every staff page × anonymous, clerk, officer, leader, admin and a user of another agency."""
import pytest
import sqlalchemy as sa

from onestop.extensions import db
from onestop.models import Dossier

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
