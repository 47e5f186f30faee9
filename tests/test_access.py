"""Every staff page needs a login and the right role."""
import pytest

PUBLIC_PREFIXES = ("static", "auth.login", "auth.index", "kiosk.", "display.", "public.", "api.public_",
                   "api-docs.", "queue.public_")


def _urls(app):
    urls = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(PUBLIC_PREFIXES):
            continue
        method = next(verb for verb in ("GET", "POST", "DELETE") if verb in rule.methods)
        values = {name: ("svg" if name == "kind" else "1") for name in rule.arguments}
        yield rule, method, urls.build(rule.endpoint, values, method=method)


def test_every_staff_page_sends_anonymous_users_to_login(app, client):
    checked = 0
    for rule, method, url in _urls(app):
        response = client.open(url, method=method)
        if rule.rule.startswith("/api/"):
            assert response.status_code == 401, rule.rule
            assert response.json["error"]["message"], rule.rule
        else:
            assert response.status_code == 302 and "/auth/login" in response.location, rule.rule
        checked += 1
    assert checked >= 10  # the walk really walked


@pytest.mark.parametrize("username", ["clerk", "officer", "leader"])
def test_admin_pages_refuse_desk_staff(app, client, login, username):
    login(username)
    admin_rules = [url for rule, method, url in _urls(app) if rule.endpoint.startswith("admin.") and method == "GET"]
    assert admin_rules
    for url in admin_rules:
        assert client.get(url).status_code == 403, url


def test_desk_pages_refuse_an_administrator_without_a_desk_role(client, login):
    login("admin")
    assert client.get("/desk/").status_code == 403
    assert client.get("/desk/receive").status_code == 403


def test_wrong_password_is_refused_in_vietnamese(client, demo):
    response = client.post("/auth/login", data={"username": "clerk", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text
    assert client.get("/desk/").status_code == 302


def test_login_then_logout(client, login):
    login("clerk")
    assert client.get("/desk/").status_code == 200
    client.post("/auth/logout")
    assert client.get("/desk/").status_code == 302


def test_login_forms_carry_a_csrf_token_when_csrf_is_on(database_url, demo):
    from conftest import make_app

    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert 'name="csrf_token"' in client.get("/auth/login").text
    response = client.post("/auth/login", data={"username": "clerk", "password": "demo"})
    assert response.status_code == 400  # no token, no login
    with app.app_context():
        from onestop.extensions import db
        db.engine.dispose()
