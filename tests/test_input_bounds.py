"""Issue 16, Low: a typed % or _ finds itself in the desk search; out-of-range input is a 422, never a 500."""
import pytest
import sqlalchemy as sa

from onestop import tokens
from onestop.extensions import db
from onestop.models import User

from test_desk import receive

HUGE = "99999999999999999999"


@pytest.fixture
def bearer(app, demo):
    with app.app_context():
        token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == "clerk")))
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def no_propagation(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash answers 500 here, as when served
    return app


@pytest.mark.parametrize("query", ["%", "_", "%%", "_ _", "Tr%n", "Tr_n"])
def test_percent_and_underscore_are_literal_in_the_desk_search(app, client, login, query):
    code = receive(app, name="Trần Thị Bình")
    login("clerk")
    page = client.get("/desk/search", query_string={"q": query})
    assert page.status_code == 200 and code not in page.text  # not "every dossier"
    assert code in client.get("/desk/search", query_string={"q": "Trần"}).text


def test_a_name_with_a_percent_sign_is_found_by_it(app, client, login):
    code = receive(app, name="Công ty 100% vốn Nhà nước")
    other = receive(app, name="Công ty 1000 vốn")
    login("clerk")
    page = client.get("/desk/search", query_string={"q": "100%"}).text
    assert code in page and other not in page


@pytest.mark.parametrize("path", ["/api/v1/dossiers", "/api/v1/agencies", "/api/v1/procedures"])
def test_a_huge_api_page_number_is_422(client, bearer, no_propagation, path):
    response = client.get(f"{path}?page={HUGE}", headers=bearer)
    assert response.status_code == 422
    assert response.json["error"]["fields"]["page"] == ["Số trang phải từ 1 đến 1.000.000."]


@pytest.mark.parametrize("path", ["/admin/events", "/admin/privacy-log", "/admin/catalogue/", "/notifications/outbox"])
def test_a_huge_page_number_on_an_admin_list_is_422(client, login, no_propagation, path):
    login("admin")
    response = client.get(f"{path}?page={HUGE}")
    assert response.status_code == 422, path
    assert "số trang quá lớn" in response.text
    assert client.get(f"{path}?page=1").status_code == 200


@pytest.mark.parametrize("moment", ["9999-12-31T09:00:00", "9999-12-31T09:00:00+07:00", "0001-01-01T00:00:00"])
def test_a_received_at_in_year_9999_is_422(client, bearer, no_propagation, moment):
    response = client.get("/api/v1/procedures/1.001193/appointment", query_string={"received_at": moment},
                          headers=bearer)
    assert response.status_code == 422
    assert "1900 đến 2100" in response.json["error"]["fields"]["received_at"][0]


@pytest.mark.parametrize("number", [HUGE, str(2**31)])
def test_a_row_number_past_any_id_in_a_url_is_not_found(app, client, login, bearer, no_propagation, number):
    """A typed or fuzzed id too large for an INTEGER key is a 404 page, not a database error (500)."""
    code = receive(app)
    assert client.get(f"/api/v1/dossiers/{code}/files/{number}", headers=bearer).status_code == 404
    login("admin")
    for path in (f"/admin/agencies/{number}", f"/admin/users/{number}"):
        assert client.get(path).status_code == 404, path


def test_a_counter_number_out_of_range_is_422(client, bearer, no_propagation):
    for counter in (int(HUGE), 2**31, 0, 100):
        answer = client.post("/api/v1/queue/call", json={"counter": counter}, headers=bearer)
        assert answer.status_code == 422 and "Số quầy từ 1 đến 99" in answer.json["error"]["message"], counter
