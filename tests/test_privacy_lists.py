"""Issue 16 item 7 and a Low item: reads of dossier lists are in the privacy log, one row per request with what was
read; a partner agency gets back no more than it may see, and nothing once its leg is closed."""
import sqlalchemy as sa

from lifecycle import build
from onestop import tokens
from onestop.extensions import db
from onestop.models import PersonalDataView, User

PHONE = "0912345678"  # every dossier of lifecycle.build has this phone
NAME = "Phạm Văn Dũng"
HOME = "000.13.31.H57"
MARCH = f"kind=month&year=2026&number=3&agency={HOME}"


def _built(app, *states) -> list[str]:
    with app.app_context():
        codes = [build(state).code for state in states]
        db.session.commit()
        return codes


def _log(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(sa.select(PersonalDataView).order_by(PersonalDataView.id))
        return [(row.user.username, row.via, row.dossier.code if row.dossier else None,
                 row.agency.code if row.agency else None, row.filters, row.count) for row in rows]


def _bearer(app, username):
    with app.app_context():
        token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == username)))
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_api_list_of_dossiers_is_logged_once_per_request_with_its_filter_and_count(app, client, demo):
    _built(app, "received", "processing", "returned")
    headers = _bearer(app, "officer")
    listed = client.get("/api/v1/dossiers?status=processing", headers=headers)
    assert listed.status_code == 200 and listed.json["total"] == 1 and PHONE in listed.text
    everything = client.get("/api/v1/dossiers", headers=headers)
    assert everything.json["total"] == 3
    assert _log(app) == [("officer", "api_list", None, HOME, "status=processing", 1),
                         ("officer", "api_list", None, HOME, "", 3)]


def test_the_register_page_and_its_file_are_logged_with_the_period_and_count(app, client, login):
    _built(app, "received", "processing")
    login("leader")
    page = client.get(f"/reports/register?{MARCH}")
    assert page.status_code == 200 and NAME in page.text
    assert client.get(f"/reports/register.xlsx?{MARCH}").status_code == 200
    assert _log(app) == [("leader", "register", None, HOME, MARCH, 2), ("leader", "register_file", None, HOME, MARCH, 2)]


def test_a_desk_search_logs_what_was_searched_and_how_many_were_shown(app, client, login):
    codes = _built(app, "received", "processing")
    login("officer")
    client.get("/desk/search", query_string={"q": PHONE})
    assert sorted(_log(app)) == sorted(("officer", "search", code, None, f"q={PHONE}", 2) for code in codes)


def test_an_admin_reads_the_list_rows_in_the_privacy_log(app, client, login):
    _built(app, "received")
    login("leader")
    client.get(f"/reports/register.xlsx?{MARCH}")
    client.post("/auth/logout")
    login("admin")
    log = client.get("/admin/privacy-log").text
    assert "Sổ theo dõi hồ sơ (tệp Excel)" in log and "1 hồ sơ" in log and "kind=month" in log


def test_a_refused_or_empty_read_logs_nothing(app, client, login):
    login("leader")
    assert client.get("/reports/register.xlsx?kind=month&year=2026&number=13").status_code == 422
    assert _log(app) == []


# --- a partner agency ---

def test_a_partners_action_answers_only_what_its_inbox_shows(app, client, demo):
    code, = _built(app, "at_partner")
    response = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "partner_returned", "note": "Xong"},
                           headers=_bearer(app, "partner"))
    assert response.status_code == 200, response.json
    body = response.get_data(as_text=True)
    assert NAME not in body and PHONE not in body
    assert set(response.json) == {"code", "procedure", "agency", "status", "status_label", "legs"}
    assert response.json["status"] == "processing" and response.json["legs"][0]["returned_at"]


def test_a_partner_loses_the_slips_when_its_leg_is_closed(app, client, login):
    code, = _built(app, "at_partner")
    login("partner")
    assert client.get(f"/desk/dossiers/{code}/control").status_code == 200  # the leg is open
    assert client.post(f"/desk/dossiers/{code}/actions/partner_returned", data={"note": "Xong"}).status_code == 302
    for url in (f"/desk/dossiers/{code}/control", f"/desk/dossiers/{code}/receipt"):
        response = client.get(url)
        assert response.status_code == 404 and NAME not in response.get_data(as_text=True), url
    assert client.post(f"/desk/dossiers/{code}/actions/partner_returned", data={"note": "Lại"}).status_code == 404
