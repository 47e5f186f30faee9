"""/admin/users/: the admin keeps their own agency's accounts, with strong passwords and no way to lock themselves out."""
import re

import pytest
import sqlalchemy as sa

from conftest import make_app
from onestop import seed, tokens
from onestop.extensions import db
from onestop.models import ApiToken, User

STRONG = "Quang-Tho-2026"
NEW = {"username": "le.thu", "full_name": "Lê Thị Thu", "roles": ["clerk", "leader"],
       "password": STRONG, "confirm": STRONG}


def _user(app, username) -> User | None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is not None:
            db.session.expunge(user)
        return user


def _id(app, username) -> int:
    return _user(app, username).id


def test_the_list_shows_the_agencys_accounts_with_their_roles(client, login):
    login("admin")
    page = client.get("/admin/users/").text
    for username in ("clerk", "officer", "leader", "admin"):
        assert f'<td class="code">{username}</td>' in page
    assert "Lê Thị Thu" in page and "Lãnh đạo: phê duyệt, báo cáo" in page
    assert "partner" not in page  # an officer of the land office, another agency
    assert "Tài khoản cán bộ" in client.get("/admin/").text


@pytest.mark.parametrize(("password", "reason"), [
    ("Ngan-1", "Mật khẩu cần ít nhất 10 ký tự."),
    ("quangthotuphap", "Mật khẩu cần có ít nhất ba loại: chữ thường, chữ hoa, chữ số, ký hiệu."),
    ("Le.Thu-2026!", "Mật khẩu không được chứa tên đăng nhập."),
])
def test_a_weak_password_is_refused_with_the_reason_and_nothing_is_saved(app, client, login, password, reason):
    login("admin")
    response = client.post("/admin/users/", data={**NEW, "password": password, "confirm": password})
    assert response.status_code == 422
    assert reason in response.text
    assert _user(app, "le.thu") is None



def test_the_reason_is_given_in_english_on_the_english_pages(app, client, login):
    login("admin")
    client.get("/admin/users/?lang=en")
    response = client.post("/admin/users/", data={**NEW, "password": "Ngan-1", "confirm": "Ngan-1"})
    assert response.status_code == 422 and "The password needs at least 10 characters." in response.text

def test_a_strong_password_makes_an_account_that_logs_in_and_is_stored_only_as_a_hash(app, client, login):
    login("admin")
    response = client.post("/admin/users/", data=NEW)
    assert response.status_code == 302
    assert "Đã tạo tài khoản le.thu." in client.get(response.location).text
    user = _user(app, "le.thu")
    assert user.full_name == "Lê Thị Thu" and user.roles == {"clerk", "leader"} and user.active
    assert user.agency_id == _user(app, "admin").agency_id
    assert STRONG not in user.password_hash and user.password_hash.startswith("pbkdf2:")
    assert user.check_password(STRONG) and not user.check_password("demo")
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"username": "le.thu", "password": STRONG}).status_code == 302
    assert client.get("/desk/").status_code == 200


@pytest.mark.parametrize(("changes", "message"), [
    ({"confirm": "Quang-Tho-2027"}, "Hai lần nhập mật khẩu không giống nhau."),
    ({"username": "Lê Thu"}, "Tên đăng nhập gồm 2–64 chữ thường không dấu"),
    ({"username": "CLERK"}, "Tên đăng nhập “clerk” đã có"),
    ({"roles": []}, "Cần chọn ít nhất một vai trò."),
    ({"full_name": "  "}, "Cần nhập họ tên."),
])
def test_a_bad_new_account_is_refused_in_vietnamese(app, client, login, changes, message):
    login("admin")
    response = client.post("/admin/users/", data={**NEW, **changes})
    assert response.status_code == 422 and message in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == len(seed.DEMO_USERS)


def test_roles_and_full_name_are_changed(app, client, login):
    login("admin")
    officer = _id(app, "officer")
    assert 'value="officer" checked' in client.get(f"/admin/users/{officer}").text
    response = client.post(f"/admin/users/{officer}", data={"full_name": "Trần Văn Hùng Anh",
                                                             "roles": ["officer", "leader"]})
    assert response.status_code == 302
    user = _user(app, "officer")
    assert (user.full_name, user.roles) == ("Trần Văn Hùng Anh", {"officer", "leader"})


def test_an_admin_cannot_take_away_their_own_admin_role(app, client, login):
    login("admin")
    response = client.post(f"/admin/users/{_id(app, 'admin')}", data={"full_name": "Phan Quốc Bảo",
                                                                       "roles": ["leader"]})
    assert response.status_code == 422
    assert "Bạn không thể tự bỏ vai trò quản trị của chính mình." in response.text
    assert _user(app, "admin").roles == {"admin"}
    assert client.get("/admin/").status_code == 200


def test_an_admin_cannot_deactivate_themselves(app, client, login):
    login("admin")
    response = client.post(f"/admin/users/{_id(app, 'admin')}/deactivate", follow_redirects=True)
    assert "Bạn không thể tự khóa tài khoản của chính mình." in response.text
    assert _user(app, "admin").active
    assert client.get("/admin/").status_code == 200


def test_a_deactivated_account_loses_its_session_login_and_tokens_until_reopened(app, client, login, database_url):
    with app.app_context():
        token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == "clerk")))
        db.session.commit()
    desk = make_app(database_url).test_client()  # the clerk, logged in at the desk PC
    desk.post("/auth/login", data={"username": "clerk", "password": "demo"})
    assert desk.get("/desk/").status_code == 200
    login("admin")
    clerk = _id(app, "clerk")
    assert client.post(f"/admin/users/{clerk}/deactivate").status_code == 302
    assert "Đã khóa" in client.get("/admin/users/").text
    assert "/auth/login" in desk.get("/desk/").location  # the open session ends at once
    assert desk.post("/auth/login", data={"username": "clerk", "password": "demo"}).status_code == 200
    assert desk.get("/api/v1/agencies", headers={"Authorization": f"Bearer {token}"}).status_code == 401

    assert client.post(f"/admin/users/{clerk}/reactivate").status_code == 302
    assert desk.post("/auth/login", data={"username": "clerk", "password": "demo"}).status_code == 302
    # Reopening does not bring the old token back.
    assert desk.get("/api/v1/agencies", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    with app.app_context():
        assert db.session.scalar(sa.select(ApiToken.revoked_at)) is not None


def test_a_reset_password_must_be_strong_too(app, client, login):
    login("admin")
    leader = _id(app, "leader")
    before = _user(app, "leader").password_hash
    weak = client.post(f"/admin/users/{leader}/password", data={"password": "12345678", "confirm": "12345678"})
    assert weak.status_code == 422 and "Mật khẩu cần ít nhất 10 ký tự." in weak.text
    assert _user(app, "leader").password_hash == before
    strong = client.post(f"/admin/users/{leader}/password", data={"password": STRONG, "confirm": STRONG})
    assert strong.status_code == 302
    user = _user(app, "leader")
    assert STRONG not in user.password_hash and user.check_password(STRONG) and not user.check_password("demo")


def test_another_agencys_accounts_are_not_there_for_this_admin(app, client, login):
    login("admin")
    partner = _id(app, "partner")
    assert client.get(f"/admin/users/{partner}").status_code == 404
    for path, data in (("", {"full_name": "X", "roles": ["admin"]}), ("/password", {"password": STRONG,
                                                                                    "confirm": STRONG}),
                       ("/deactivate", {})):
        assert client.post(f"/admin/users/{partner}{path}", data=data).status_code == 404, path
    user = _user(app, "partner")
    assert user.roles == {"officer"} and user.active and user.check_password("demo")


def test_an_admin_of_the_land_office_sees_only_the_land_offices_accounts(app, client, demo):
    with app.app_context():
        land_office = db.session.scalar(sa.select(User).where(User.username == "partner")).agency
        seed.ensure_user("land.admin", "Võ Văn Tư", ["admin"], land_office, STRONG)
        db.session.commit()
    client.post("/auth/login", data={"username": "land.admin", "password": STRONG})
    page = client.get("/admin/users/").text
    assert '<td class="code">partner</td>' in page and '<td class="code">clerk</td>' not in page
    assert client.get(f"/admin/users/{_id(app, 'clerk')}").status_code == 404
    client.post("/admin/users/", data=NEW)
    assert _user(app, "le.thu").agency_id == _user(app, "partner").agency_id


def test_every_form_of_the_users_pages_carries_a_csrf_token(database_url, demo):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/auth/login").text)[1]
    client.post("/auth/login", data={"username": "admin", "password": "demo", "csrf_token": token})
    officer = _id(app, "officer")
    for page, forms in (("/admin/users/", 1), (f"/admin/users/{officer}", 4)):  # + "sign out everywhere"
        html = client.get(page).text
        assert html.count('method="post"') == forms + 1  # + the log-out button
        assert html.count('name="csrf_token"') == forms + 1
    assert client.post("/admin/users/", data=NEW).status_code == 400  # no token, no account
    assert client.post(f"/admin/users/{officer}/deactivate").status_code == 400
    assert _user(app, "le.thu") is None and _user(app, "officer").active
