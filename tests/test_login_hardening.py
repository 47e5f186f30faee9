"""Issue 16 (items 4 and Low): after login only a local path is followed; an unknown name costs a password
hash like a known one; failed logins are throttled per address across usernames."""
from urllib.parse import quote

import pytest

from conftest import make_app
from onestop import passwords, redirects, seed

# Each of these leads a browser (or a proxy that decodes once) to another host, or is not a path at all.
BYPASSES = [
    "//evil.example", "///evil.example", "/\t/evil.example", "/%09/evil.example", "/\\evil.example",
    "/\\/evil.example", "\\\\evil.example", "\\/evil.example", "/%5Cevil.example", "/%2F/evil.example",
    "/%2f%2fevil.example", "%2F%2Fevil.example", " //evil.example", "\t//evil.example", "/ /evil.example",
    "/\r\n/evil.example", "/\n/evil.example", "/\r/evil.example", "/%0D%0ALocation:%20//evil.example",
    "/\x00/evil.example", "/\x0b/evil.example", "/\x0c/evil.example", "/\x7f/evil.example",
    "/\u00a0/evil.example", "/\u3000/evil.example", "/\u200b/evil.example", "/\u2028/evil.example",
    "https://evil.example", "http:evil.example", "javascript:alert(1)", "data:text/html,x",
    "JaVaScRiPt:alert(1)", "evil.example", "", "https:/evil.example", "/%252F%252Fevil.example".replace("%25", "%"),
]
LOCAL = ["/", "/desk/", "/desk/dossiers/H01.01-260305-0001", "/desk/search?q=Nguy%E1%BB%85n&page=2",
         "/reports/register?from=2026-01-01"]


@pytest.mark.parametrize("target", BYPASSES)
def test_a_next_that_could_leave_the_site_is_not_a_local_path(target):
    assert not redirects.is_local_path(target)


@pytest.mark.parametrize("target", LOCAL)
def test_a_path_on_this_site_is_local(target):
    assert redirects.is_local_path(target)


def _login(client, next_value, password=seed.DEMO_PASSWORD):
    return client.post(f"/auth/login?next={quote(next_value, safe='')}",
                       data={"username": "clerk", "password": password})


@pytest.mark.parametrize("target", ["/%09/evil.example", "/\t/evil.example", "/\\evil.example", "//evil.example",
                                    "https://evil.example", "/\r\nSet-Cookie: x=1", "/\r/evil.example"])
def test_login_with_a_foreign_next_is_refused_with_422_and_logs_nobody_in(client, demo, target):
    response = _login(client, target)
    assert response.status_code == 422
    assert "evil" not in response.headers.get("Location", "")
    assert "Liên kết này chuyển tới một địa chỉ không hợp lệ" in response.get_data(as_text=True)
    assert client.get("/desk/").status_code == 302  # still anonymous


def test_the_refusal_page_offers_a_plain_login_that_lands_on_the_home_page(client, demo):
    page = client.get("/auth/login?next=/%09/evil.example")
    assert page.status_code == 422
    assert 'action="/auth/login"' in page.get_data(as_text=True)
    response = client.post("/auth/login", data={"username": "clerk", "password": seed.DEMO_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_local_next_is_followed_after_login(client, demo):
    response = _login(client, "/desk/search?q=Nguy%E1%BB%85n")
    assert response.status_code == 302
    assert response.headers["Location"] == "/desk/search?q=Nguy%E1%BB%85n"


def test_the_page_a_logged_out_user_asked_for_is_reached_after_login(client, demo):
    asked = client.get("/desk/")
    login_url = asked.headers["Location"]
    response = client.post(login_url, data={"username": "clerk", "password": seed.DEMO_PASSWORD})
    assert response.headers["Location"] == "/desk/"


# --- no user enumeration by timing ---

@pytest.mark.parametrize("username", ["nobody-here", "clerk"])
def test_a_password_is_hashed_whether_or_not_the_account_exists(client, demo, monkeypatch, username):
    checked = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda stored, given: checked.append(given) or real(stored, given))
    response = client.post("/auth/login", data={"username": username, "password": "Sai-mat-khau-1"})
    assert response.status_code == 200
    assert checked == ["Sai-mat-khau-1"]


def test_a_deactivated_account_costs_a_hash_too_and_is_refused(app, client, demo, monkeypatch):
    from onestop import users
    from onestop.extensions import db
    with app.app_context():
        users.by_username("clerk").active = False
        db.session.commit()
    checked = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda stored, given: checked.append(given) or real(stored, given))
    assert client.post("/auth/login", data={"username": "clerk", "password": seed.DEMO_PASSWORD}).status_code == 200
    assert checked == [seed.DEMO_PASSWORD]


# --- password spraying: one address trying many usernames ---

def test_failed_logins_from_one_address_across_usernames_are_throttled(database_url, demo):
    app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_ADDRESS_RATE_LIMIT="5 per 10 minutes")
    client = app.test_client()
    for name in ["an", "binh", "chi", "dung", "giang"]:  # a different name each time: the per-name limit never trips
        response = client.post("/auth/login", data={"username": name, "password": "Mua-xuan-2026"},
                               environ_base={"REMOTE_ADDR": "198.51.100.16"})
        assert response.status_code == 200
    sprayed = client.post("/auth/login", data={"username": "clerk", "password": seed.DEMO_PASSWORD},
                          environ_base={"REMOTE_ADDR": "198.51.100.16"})
    assert sprayed.status_code == 429
    other = client.post("/auth/login", data={"username": "clerk", "password": seed.DEMO_PASSWORD},
                        environ_base={"REMOTE_ADDR": "198.51.100.77"})
    assert other.status_code == 302  # another desk's PC is not held back
