"""Issue 9: security headers, cookie flags, login throttling, idle expiry and oversized bodies."""
import json
from datetime import timedelta

import pytest

from onestop import seed
from onestop.security import CONTENT_SECURITY_POLICY

from conftest import PINNED_NOW, make_app

HOME = "000.13.31.H57"


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/auth/login", f"/kiosk/{HOME}/", f"/display/{HOME}", "/api/v1/openapi.json"])
def test_every_response_carries_the_security_headers(client, demo, path):
    response = client.get(path)
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_policy_allows_no_inline_script_anywhere():
    for directive, sources in _directives(CONTENT_SECURITY_POLICY).items():
        assert "'unsafe-inline'" not in sources or directive == "style-src-attr", directive
        assert "'unsafe-eval'" not in sources


def _cookie(response, name="session"):
    return next(header for header in response.headers.getlist("Set-Cookie") if header.startswith(name + "="))


def test_the_session_cookie_is_http_only_and_same_site_lax(client, login):
    cookie = _cookie(login())
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP on the commune LAN unless the setting says HTTPS


def test_the_session_cookie_is_secure_when_the_setting_says_https(database_url, demo):
    https_app = make_app(database_url, SESSION_COOKIE_SECURE=True)
    response = https_app.test_client().post("/auth/login", data={"username": "clerk", "password": seed.DEMO_PASSWORD})
    assert response.status_code == 302
    assert "; Secure" in _cookie(response)


def test_secure_cookies_can_be_switched_on_from_the_environment(monkeypatch):
    from onestop import create_app

    monkeypatch.setenv("FLASK_SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("FLASK_SECRET_KEY", "a-served-app-needs-32-bytes-or-more")
    assert create_app().config["SESSION_COOKIE_SECURE"] is True


# --- login throttling ---

@pytest.fixture
def limited(database_url, demo):
    """An app with rate limiting on, as in production (the test app turns it off)."""
    return make_app(database_url, RATELIMIT_ENABLED=True)


def _attempt(client, username, password="wrong", address="192.0.2.10"):
    return client.post("/auth/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_the_eleventh_failed_login_in_a_minute_is_refused_with_429(limited):
    client = limited.test_client()
    for _ in range(10):
        assert _attempt(client, "clerk").status_code == 200  # the form again, with its error
    response = _attempt(client, "clerk", password=seed.DEMO_PASSWORD)
    assert response.status_code == 429  # even the right password waits now
    assert "thao tác quá nhanh" in response.get_data(as_text=True)


def test_throttling_is_per_user_and_address(limited):
    client = limited.test_client()
    for _ in range(10):
        _attempt(client, "clerk")
    assert _attempt(client, "officer", password=seed.DEMO_PASSWORD).status_code == 302  # another account
    assert _attempt(client, "clerk", password=seed.DEMO_PASSWORD, address="192.0.2.99").status_code == 302


def test_successful_logins_are_not_counted(limited):
    client = limited.test_client()
    for _ in range(12):
        assert _attempt(client, "clerk", password=seed.DEMO_PASSWORD).status_code == 302


def test_the_username_may_be_typed_in_any_letter_case(client, demo):
    """A phone's keyboard capitalises the first letter; the account is still found, and the password still counts."""
    assert _attempt(client, "  Clerk ", password=seed.DEMO_PASSWORD).status_code == 302
    assert client.get("/desk/").status_code == 200
    client.post("/auth/logout")
    refused = _attempt(client, "CLERK", password="sai-mat-khau")
    assert refused.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng." in refused.get_data(as_text=True)


def test_the_letter_case_of_a_username_counts_only_between_two_accounts_differing_by_it(app, client, demo):
    """Two accounts that differ only by case (an older CLI made them): each logs in by its exact name only."""
    from onestop.extensions import db
    with app.app_context():
        seed.ensure_user("Clerk", "Người trùng tên", ["clerk"], seed.home_agency(), "Mat-khau-khac-2026")
        db.session.commit()
    assert _attempt(client, "Clerk", password="Mat-khau-khac-2026").status_code == 302
    client.post("/auth/logout")
    assert _attempt(client, "clerk", password=seed.DEMO_PASSWORD).status_code == 302
    client.post("/auth/logout")
    assert _attempt(client, "CLERK", password=seed.DEMO_PASSWORD).status_code == 200  # which one is meant?


# --- idle sessions ---

def test_a_session_idle_longer_than_the_limit_is_signed_out(client, login, app):
    login()
    assert client.get("/desk/").status_code == 200
    app.config["NOW"] = (PINNED_NOW + timedelta(hours=7, minutes=59)).isoformat()
    assert client.get("/desk/").status_code == 200  # still within 8 hours of the last request
    app.config["NOW"] = (PINNED_NOW + timedelta(hours=15, minutes=58)).isoformat()
    assert client.get("/desk/").status_code == 200  # each request renews the idle limit
    app.config["NOW"] = (PINNED_NOW + timedelta(hours=24)).isoformat()
    response = client.get("/desk/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert "Phiên làm việc đã hết hạn" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_idle_limit_is_a_setting(database_url, demo):
    short = make_app(database_url, PERMANENT_SESSION_LIFETIME=timedelta(minutes=15))
    client = short.test_client()
    client.post("/auth/login", data={"username": "clerk", "password": seed.DEMO_PASSWORD})
    short.config["NOW"] = (PINNED_NOW + timedelta(minutes=16)).isoformat()
    assert client.get("/desk/").status_code == 302


def test_the_session_cookie_expires_with_the_idle_limit(client, login):
    cookie = _cookie(login())
    assert "Expires=" in cookie  # a permanent session: its cookie carries the idle limit, renewed each request


# --- oversized bodies ---

TOO_BIG = 8 * 1024 * 1024 + 1


def test_an_oversized_form_is_refused_in_vietnamese(client, login):
    login()
    response = client.post("/desk/receive", data={"applicant_name": "x" * TOO_BIG})
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.get_data(as_text=True)


def test_an_oversized_api_body_is_refused_in_json(client, login):
    login()
    response = client.post("/api/v1/dossiers", data=json.dumps({"note": "x" * TOO_BIG}),
                           content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["message"]
