"""Sessions and API tokens end with their owner (issue 16, item 8): logout, password reset, deactivation,
"sign out everywhere", token expiry, token lists and revocation."""
import re
from datetime import timedelta

import pytest
import requests
import sqlalchemy as sa

from conftest import PINNED_NOW, make_app
from onestop import settings, tokens
from onestop.extensions import db
from onestop.models import ApiToken, LoginSession, User

STRONG = "Quang-Tho-2026"


def _user_id(app, username) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def _signed_in(client) -> bool:
    return client.get("/desk/").status_code == 200


def _token(app, username="clerk") -> str:
    with app.app_context():
        token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == username)))
        db.session.commit()
        return token


def _api(client, token):
    return client.get("/api/v1/agencies", headers={"Authorization": f"Bearer {token}"})


# --- logout ends the session on the server ---

def test_a_cookie_copied_before_logout_no_longer_works_against_the_served_app(live_server):
    base = live_server.config["LIVE_URL"]
    browser = requests.Session()
    signed_in = browser.post(f"{base}/auth/login", data={"username": "clerk", "password": "demo"},
                             allow_redirects=False)
    assert signed_in.status_code == 302
    copied = browser.cookies.get("session")  # what a thief lifts from the PC, or a proxy log
    assert browser.get(f"{base}/desk/", allow_redirects=False).status_code == 200
    assert browser.post(f"{base}/auth/logout", allow_redirects=False).status_code == 302

    thief = requests.Session()
    replayed = thief.get(f"{base}/desk/", cookies={"session": copied}, allow_redirects=False)
    assert replayed.status_code == 302 and "/auth/login" in replayed.headers["Location"]
    api = thief.get(f"{base}/api/v1/dossiers", cookies={"session": copied}, allow_redirects=False)
    assert api.status_code == 401
    browser.close()
    thief.close()


def test_logout_on_one_server_ends_the_session_on_another_sharing_the_database(database_url, demo):
    """Two app servers (or gunicorn workers) behind one address: nothing lives in a process's memory."""
    first, second = make_app(database_url).test_client(), make_app(database_url).test_client()
    first.post("/auth/login", data={"username": "clerk", "password": "demo"})
    cookie = first.get_cookie("session").value
    second.set_cookie("session", cookie)
    assert _signed_in(second)
    second.post("/auth/logout")
    first.set_cookie("session", cookie)  # the first server still gets the cookie it issued
    assert not _signed_in(first)


def test_logout_ends_only_that_browsers_session(app, demo):
    office, phone = app.test_client(), app.test_client()
    for client in (office, phone):
        client.post("/auth/login", data={"username": "clerk", "password": "demo"})
    office.post("/auth/logout")
    assert not _signed_in(office) and _signed_in(phone)


def test_logout_is_post_only(client, login):
    login()
    assert client.get("/auth/logout").status_code == 405  # a link or an <img> elsewhere cannot log anyone out
    assert _signed_in(client)


def test_logout_needs_the_csrf_token(database_url, demo):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/auth/login").text)[1]
    client.post("/auth/login", data={"username": "clerk", "password": "demo", "csrf_token": token})
    assert client.post("/auth/logout").status_code == 400
    assert _signed_in(client)
    page = client.get("/desk/").text
    assert re.search(r'<form action="/auth/logout" method="post">\s*<input type="hidden" name="csrf_token"', page)


def test_signing_in_again_in_the_same_browser_leaves_no_second_session(app, client, login):
    login("clerk")
    login("clerk")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LoginSession.id))) == 1


# --- password reset, deactivation and "sign out everywhere" end all of a user's sessions ---

def test_an_admin_password_reset_ends_every_session_of_the_account(app, demo):
    clerk, admin = app.test_client(), app.test_client()
    clerk.post("/auth/login", data={"username": "clerk", "password": "demo"})
    admin.post("/auth/login", data={"username": "admin", "password": "demo"})
    response = admin.post(f"/admin/users/{_user_id(app, 'clerk')}/password", data={"password": STRONG, "confirm": STRONG})
    assert response.status_code == 302
    assert not _signed_in(clerk)
    assert clerk.post("/auth/login", data={"username": "clerk", "password": STRONG}).status_code == 302
    assert _signed_in(clerk)


def test_a_deactivated_account_reopened_does_not_get_its_old_sessions_back(app, demo):
    clerk, admin = app.test_client(), app.test_client()
    clerk.post("/auth/login", data={"username": "clerk", "password": "demo"})
    admin.post("/auth/login", data={"username": "admin", "password": "demo"})
    clerk_id = _user_id(app, "clerk")
    admin.post(f"/admin/users/{clerk_id}/deactivate")
    admin.post(f"/admin/users/{clerk_id}/reactivate")
    assert not _signed_in(clerk)


def test_a_user_signs_out_everywhere_from_their_own_account_page(app, demo):
    office, phone = app.test_client(), app.test_client()
    for client in (office, phone):
        client.post("/auth/login", data={"username": "clerk", "password": "demo"})
    page = phone.get("/auth/account").text
    assert "Số trình duyệt đang đăng nhập bằng tài khoản này: 2." in page
    assert 'action="/auth/sign-out-everywhere"' in page
    response = phone.post("/auth/sign-out-everywhere")
    assert response.status_code == 302 and "/auth/login" in response.location
    assert not _signed_in(office) and not _signed_in(phone)


def test_an_admin_signs_a_user_out_everywhere_from_the_user_page(app, demo):
    clerk, admin = app.test_client(), app.test_client()
    clerk.post("/auth/login", data={"username": "clerk", "password": "demo"})
    admin.post("/auth/login", data={"username": "admin", "password": "demo"})
    clerk_id = _user_id(app, "clerk")
    assert "Số trình duyệt đang đăng nhập bằng tài khoản này: 1." in admin.get(f"/admin/users/{clerk_id}").text
    response = admin.post(f"/admin/users/{clerk_id}/sign-out", follow_redirects=True)
    assert "Đã đăng xuất tài khoản clerk trên 1 trình duyệt." in response.text
    assert not _signed_in(clerk) and admin.get("/admin/").status_code == 200
    assert clerk.post("/auth/login", data={"username": "clerk", "password": "demo"}).status_code == 302


def test_an_admin_cannot_sign_out_another_agencys_user(app, demo):
    admin = app.test_client()
    admin.post("/auth/login", data={"username": "admin", "password": "demo"})
    assert admin.post(f"/admin/users/{_user_id(app, 'partner')}/sign-out").status_code == 404


# --- API tokens: expiry, last use, lists and revocation ---

def test_a_token_stops_working_when_it_expires(app, client, demo):
    token = _token(app)
    assert _api(client, token).status_code == 200
    app.config["NOW"] = (PINNED_NOW + timedelta(days=179, hours=23)).isoformat()
    assert _api(client, token).status_code == 200
    app.config["NOW"] = (PINNED_NOW + timedelta(days=180, minutes=1)).isoformat()
    response = _api(client, token)
    assert response.status_code == 401 and "hết hạn" in response.json["error"]["message"]


def test_the_expiry_of_new_tokens_is_a_setting(app, client, demo):
    with app.app_context():
        settings.put("api_token_days", 7)
        db.session.commit()
    token = _token(app)
    app.config["NOW"] = (PINNED_NOW + timedelta(days=7, minutes=1)).isoformat()
    assert _api(client, token).status_code == 401


def test_the_admin_sets_the_token_expiry_on_the_settings_page(app, client, login):
    login("admin")
    form = client.get("/admin/settings").text
    assert 'name="api_token_days"' in form and 'value="180"' in form
    data = dict(re.findall(r'<input[^>]*name="([a-z0-9_]+)"[^>]*value="([^"]*)"', form))
    data.update(api_token_days="30", action="save")
    assert client.post("/admin/settings", data=data).status_code == 302
    with app.app_context():
        assert settings.get("api_token_days") == 30
    data.update(api_token_days="0")
    response = client.post("/admin/settings", data=data)
    assert "Thời hạn của mã truy cập API phải là số ngày từ 1 đến 3650." in response.text


def test_the_last_use_of_a_token_is_recorded(app, client, demo):
    token = _token(app)
    _api(client, token)
    with app.app_context():
        assert db.session.scalar(sa.select(ApiToken.last_used_at)) == PINNED_NOW


def test_an_intake_records_the_token_s_use_once_a_minute(app, client, demo):
    token, first = _token(app), PINNED_NOW + timedelta(minutes=5)
    seen = []
    for moment in (first, first + timedelta(seconds=30), first + timedelta(minutes=2)):
        app.config["NOW"] = moment.isoformat()
        answer = client.post("/api/v1/dossiers", json={"procedure_code": "1.004837",
                                                       "applicant": {"name": "Phạm Văn Dũng"}},
                             headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 201, answer.text
        with app.app_context():
            seen.append(db.session.scalar(sa.select(ApiToken.last_used_at)))
    assert seen == [first, first, first + timedelta(minutes=2)]


def test_flask_users_tokens_lists_id_created_last_used_and_expiry(app, runner, client, demo):
    _token(app)
    used = _token(app)
    _api(client, used)
    with app.app_context():
        ids = list(db.session.scalars(sa.select(ApiToken.id).order_by(ApiToken.id)))
    result = runner.invoke(args=["users", "tokens", "clerk"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "cấp", "lúc", "dùng", "lần", "cuối", "hết", "hạn"]
    rows = {int(line.split()[0]): line for line in lines[1:]}
    assert set(rows) == set(ids)
    assert rows[ids[1]].split()[1:] == ["09:00", "05/03/2026", "09:00", "05/03/2026", "09:00", "01/09/2026"]
    assert rows[ids[0]].split()[3] == "-"  # never used
    assert "không có mã" in runner.invoke(args=["users", "tokens", "officer"]).output


def test_flask_users_revoke_token_revokes_that_token_only(app, runner, client, demo):
    kept, revoked = _token(app), _token(app)
    with app.app_context():
        revoked_id = db.session.scalar(sa.select(ApiToken.id).order_by(ApiToken.id.desc()))
    result = runner.invoke(args=["users", "revoke-token", "clerk", str(revoked_id)])
    assert result.exit_code == 0 and f"Đã thu hồi mã truy cập API số {revoked_id}" in result.output
    assert _api(client, revoked).status_code == 401 and _api(client, kept).status_code == 200
    assert str(revoked_id) not in runner.invoke(args=["users", "tokens", "clerk"]).output.split()
    again = runner.invoke(args=["users", "revoke-token", "clerk", str(revoked_id)])
    assert again.exit_code != 0 and "không có mã truy cập API số" in again.output
    other = runner.invoke(args=["users", "revoke-token", "officer", str(revoked_id - 1)])
    assert other.exit_code != 0  # another user's token is not theirs to revoke
    assert _api(client, kept).status_code == 200


def test_the_admin_user_page_lists_tokens_and_revokes_one(app, demo):
    token = _token(app)
    client = app.test_client()
    _api(client, token)
    client.post("/auth/login", data={"username": "admin", "password": "demo"})
    clerk_id = _user_id(app, "clerk")
    page = client.get(f"/admin/users/{clerk_id}").text
    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id))
    row = re.search(r'<tr><td>%d</td>(.*?)</tr>' % token_id, page, re.S)[1]
    assert "09:00 05/03/2026" in row and "01/09/2026" in row
    response = client.post(f"/admin/users/{clerk_id}/tokens/{token_id}/revoke", follow_redirects=True)
    assert f"Đã thu hồi mã truy cập API số {token_id} của tài khoản clerk." in response.text
    assert "không có mã truy cập API nào còn hiệu lực" in response.text
    assert _api(app.test_client(), token).status_code == 401
    assert client.post(f"/admin/users/{clerk_id}/tokens/{token_id}/revoke").status_code == 404


def test_an_admin_cannot_revoke_another_agencys_token(app, demo):
    token = _token(app, "partner")
    client = app.test_client()
    client.post("/auth/login", data={"username": "admin", "password": "demo"})
    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id))
    assert client.post(f"/admin/users/{_user_id(app, 'partner')}/tokens/{token_id}/revoke").status_code == 404
    assert client.post(f"/admin/users/{_user_id(app, 'clerk')}/tokens/{token_id}/revoke").status_code == 404
    assert _api(app.test_client(), token).status_code == 200


@pytest.mark.parametrize("path", ["/auth/account"])
def test_the_account_page_needs_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/auth/login" in response.location
