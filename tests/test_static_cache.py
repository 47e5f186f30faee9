"""Issue 21: static files carry a content version in their URL and are cached for a year when asked by it."""
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from flask import url_for

from conftest import enrol_kiosk
from onestop import static_files

STATIC = Path(__file__).resolve().parent.parent / "static"
LINK = re.compile(r'(?:href|src)="(/static/[^"]*)"')
IMMUTABLE = "public, max-age=31536000, immutable"


def _version(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _static_links(html: str) -> list[str]:
    return LINK.findall(html)


def _get(client, url: str, **kwargs):
    """The response, read and closed (a static file is streamed from an open file)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def test_every_static_link_of_the_staff_kiosk_and_lobby_pages_carries_the_files_content_version(
        app, client, login, demo):
    pages = ["/auth/login"]
    login("clerk")
    pages += ["/desk/", "/desk/receive", "/queue/desk"]
    seen = []
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        seen += _static_links(response.text)
    kiosk = demo.test_client()
    kiosk.get(enrol_kiosk(demo))
    for path in ["/kiosk/000.13.31.H57/", "/display/000.13.31.H57"]:
        response = (kiosk if path.startswith("/kiosk") else client).get(path)
        assert response.status_code == 200, path
        seen += _static_links(response.text)
    names = {link.split("?")[0] for link in seen}
    assert {"/static/css/app.css", "/static/js/desk.js", "/static/js/intake.js", "/static/kiosk/kiosk.css",
            "/static/display/display.css", "/static/display/display.js"} <= names
    for link in seen:
        path, _sep, query = link.partition("?")
        assert query == f"v={_version(STATIC / path.removeprefix('/static/'))}", link


def test_a_static_file_asked_with_its_current_version_is_cached_for_a_year_without_revalidation(app, client):
    with app.test_request_context():
        versioned = url_for("static", filename="css/app.css")
    assert versioned == f"/static/css/app.css?v={_version(STATIC / 'css/app.css')}"
    first = _get(client, versioned)
    assert first.status_code == 200 and first.headers["Cache-Control"] == IMMUTABLE
    assert first.data == (STATIC / "css/app.css").read_bytes()
    # A browser that still asks (a forced reload) gets a 304 with the same long life.
    again = _get(client, versioned, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == IMMUTABLE


@pytest.mark.parametrize("query", ["", "?v=0123456789ab", "?v="])
def test_a_static_file_asked_without_or_with_an_old_version_is_revalidated_as_before(client, query):
    response = _get(client, f"/static/css/app.css{query}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache" and response.headers["ETag"]
    assert "immutable" not in response.headers["Cache-Control"]


def test_a_missing_static_file_is_a_404_and_its_url_gets_no_version(app, client):
    with app.test_request_context():
        assert url_for("static", filename="css/none.css") == "/static/css/none.css"
    assert _get(client, "/static/css/none.css?v=0123456789ab").status_code == 404


def test_changing_a_files_content_changes_its_url_and_the_old_url_is_no_longer_cached_for_long(app, tmp_path):
    shutil.copytree(STATIC, tmp_path / "static")
    app.static_folder = str(tmp_path / "static")
    client = app.test_client()
    with app.test_request_context():
        old = url_for("static", filename="css/app.css")
    (tmp_path / "static/css/app.css").write_text("body { color: red; }\n")
    static_files._remembered.cache_clear()  # what a restart after the upgrade does
    with app.test_request_context():
        new = url_for("static", filename="css/app.css")
    assert old != new and new.endswith(f"?v={_version(tmp_path / 'static/css/app.css')}")
    assert _get(client, new).headers["Cache-Control"] == IMMUTABLE
    stale = _get(client, old)
    assert stale.data == b"body { color: red; }\n" and "immutable" not in stale.headers["Cache-Control"]


def test_in_debug_mode_an_edited_file_gets_its_new_url_at_once(app, tmp_path):
    shutil.copytree(STATIC, tmp_path / "static")
    app.static_folder = str(tmp_path / "static")
    app.debug = True
    with app.test_request_context():
        old = url_for("static", filename="js/desk.js")
        (tmp_path / "static/js/desk.js").write_text("// edited\n")
        assert url_for("static", filename="js/desk.js") != old


@pytest.mark.parametrize("name", sorted(static_files.NEVER_IMMUTABLE))
def test_a_service_worker_or_manifest_would_never_be_cached_for_long(app, tmp_path, name):
    shutil.copytree(STATIC, tmp_path / "static")
    (tmp_path / "static" / name).write_text("self.addEventListener('fetch', () => {});\n")
    app.static_folder = str(tmp_path / "static")
    with app.test_request_context():
        assert url_for("static", filename=name) == f"/static/{name}"
    response = _get(app.test_client(), f"/static/{name}?v={_version(tmp_path / 'static' / name)}")
    assert response.status_code == 200 and "immutable" not in response.headers["Cache-Control"]
