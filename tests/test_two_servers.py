"""Issue 21, item 1: a province on two app servers sharing one database, one Redis and one file store.

Two gunicorn servers (two workers each) on their own free ports, as two machines behind a reverse proxy
would be (README, "Serving"), against the run's database (an SQLite file here, the real PostgreSQL server
in CI's second pass), a Redis of the test's own and one files directory. What a clerk or a citizen would
notice if a server kept something to itself: a login that only one server knows, a rate limit that is
twice as generous, two dossiers with one code or a gap, a lobby screen that never shows the new intake,
a scan that only one server can open.
"""
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
import sqlalchemy as sa

from conftest import PINNED_NOW
from gunicorn_server import free_port, gunicorn, wait_until

from onestop import seed, tokens
from onestop.extensions import db
from onestop.models import User

SECRET_KEY = "two-servers-test-key-of-at-least-32-bytes"  # one key for both: a cookie signed by one is read by the other
PUBLIC_LIMIT = 5
FEED_CACHE_SECONDS = 1


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A Redis server of this test's own on a free port, without persistence; stopped at the end."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("ONESTOP_STRICT_SKIPS"):  # CI installs it (.ci/run): missing there is a failure
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path_factory.mktemp("redis"))], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def answers():
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")

    wait_until(answers, "redis-server", process, 10)
    yield f"redis://127.0.0.1:{port}/0"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def servers(database_url, redis_url, tmp_path_factory):
    """Two gunicorn servers on one database, one Redis and one files directory, started once for this module."""
    files = tmp_path_factory.mktemp("files")  # on two machines: a network share or the S3 store (FILES_URL=s3://…)
    settings = {"FLASK_NOW": PINNED_NOW.isoformat(), "FLASK_RATELIMIT_STORAGE_URI": redis_url,
                "FLASK_PUBLIC_RATE_LIMIT": f"{PUBLIC_LIMIT} per hour",
                "FLASK_DISPLAY_FEED_CACHE_SECONDS": str(FEED_CACHE_SECONDS),
                "FLASK_TRUSTED_PROXIES": "1",  # as behind the README's nginx
                "FLASK_FILES_URL": str(files)}
    with ExitStack() as both:
        yield [both.enter_context(gunicorn(database_url, SECRET_KEY, workers=2, **settings))[0] for _server in range(2)]


@pytest.fixture
def two_servers(servers, demo):
    """The two servers' base URLs, on the demo data (each test's own: `demo` empties the tables first)."""
    return servers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _browser():
    """A browser of its own: cookies kept, redirects shown rather than followed."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect)


def _call(opener, url, *, data=None, headers=None, method=None):
    """Status, headers and body of one request (errors included)."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def _bearer(demo, username="clerk") -> dict:
    with demo.app_context():
        token = tokens.issue(db.session.scalar(sa.select(User).filter_by(username=username)))
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _intake(url, headers, name) -> str:
    body = json.dumps({"procedure_code": "1.004837", "applicant": {"name": name}, "channel": "direct"}).encode()
    status, _headers, answer = _call(urllib.request.build_opener(), f"{url}/api/v1/dossiers", data=body,
                                     headers={**headers, "Content-Type": "application/json"}, method="POST")
    assert status == 201, answer
    return json.loads(answer)["code"]


def _received_today(url, agency_code) -> int:
    status, _headers, body = _call(urllib.request.build_opener(), f"{url}/display/{agency_code}/feed.json")
    assert status == 200
    return json.loads(body)["figures"]["received_today"]


def test_a_login_made_on_one_server_opens_the_desk_on_the_other(two_servers):
    a, b = two_servers
    browser = _browser()
    status, _headers, page = _call(browser, f"{b}/desk/")
    assert status == 302  # not logged in anywhere yet: to the login page
    _status, _headers, page = _call(browser, f"{a}/auth/login")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)[1].decode()
    form = urllib.parse.urlencode({"username": "clerk", "password": seed.DEMO_PASSWORD, "csrf_token": token})
    status, headers, _page = _call(browser, f"{a}/auth/login", data=form.encode(), method="POST",
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 302 and "/auth/login" not in headers["Location"]
    for server in (b, a, b, b):  # both workers of B, too: the session lives in the shared database
        status, _headers, page = _call(browser, f"{server}/desk/")
        assert status == 200 and "Đăng xuất".encode() in page
    _status, _headers, page = _call(browser, f"{b}/desk/")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)[1].decode()
    status, _headers, _page = _call(browser, f"{b}/auth/logout", data=urllib.parse.urlencode(
        {"csrf_token": token}).encode(), method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 302
    for server in (a, a, b):  # logged out on B is logged out on A
        assert _call(browser, f"{server}/desk/")[0] == 302


def test_the_public_rate_limit_counts_requests_to_both_servers_together(two_servers, demo):
    a, b = two_servers
    code = _intake(a, _bearer(demo), "Nguyễn Văn An")
    opener = urllib.request.build_opener()

    def lookup(server, phone):  # each phone's address, as the reverse proxy passes it on
        return _call(opener, f"{server}/api/v1/public/dossiers/{code}", headers={"X-Forwarded-For": phone})[0]

    answers = [lookup((a, b)[n % 2], "203.0.113.7") for n in range(PUBLIC_LIMIT + 3)]
    # The limit, not twice it (nor four times, one count per worker): Redis holds one count for all.
    assert answers == [200] * PUBLIC_LIMIT + [429] * 3
    # Another phone behind the same proxy has its own count.
    assert [lookup(server, "198.51.100.20") for server in (b, a)] == [200, 200]


def test_intakes_spread_over_both_servers_get_gapless_unique_codes(two_servers, demo):
    servers = two_servers
    headers = _bearer(demo)
    count = 16
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda n: _intake(servers[n % 2], headers, f"Trần Thị {n}"), range(count)))
    assert len(set(made)) == count
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in made)
    assert numbers == list(range(numbers[0], numbers[0] + count))
    assert {code.rsplit("-", 1)[0] for code in made} == {made[0].rsplit("-", 1)[0]}


def test_the_lobby_feed_shows_a_change_made_on_one_server_on_both_within_its_cache_time(two_servers, demo):
    a, b = two_servers
    with demo.app_context():
        agency_code = seed.home_agency().code
    headers = _bearer(demo)
    before = {server: [_received_today(server, agency_code) for _ in range(4)] for server in (a, b)}  # warm every worker
    assert {count for counts in before.values() for count in counts} == {before[a][0]}
    _intake(a, headers, "Lê Văn Cường")
    # Each worker keeps the feed's data for FEED_CACHE_SECONDS at most; after that every answer, on either
    # server, comes from the database (a stale feed would need a shared cache to be invalidated: it has none).
    time.sleep(FEED_CACHE_SECONDS + 0.3)
    for server in (a, b):
        assert [_received_today(server, agency_code) for _ in range(4)] == [before[a][0] + 1] * 4


def _multipart(fields: dict, file_name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_scan_uploaded_to_one_server_is_read_from_the_other(two_servers, demo):
    from test_files import pdf

    a, b = two_servers
    headers = _bearer(demo)
    code = _intake(a, headers, "Phạm Thị Dung")
    scan = pdf(pages=2)
    body, kind = _multipart({"kind": "component", "title": "Tờ khai"}, "to-khai.pdf", scan)
    opener = urllib.request.build_opener()
    status, _headers, answer = _call(opener, f"{a}/api/v1/dossiers/{code}/files", data=body, method="POST",
                                     headers={**headers, "Content-Type": kind})
    assert status == 201, answer
    file_id = json.loads(answer)["id"]
    for _ in range(2):  # both workers of B
        status, _headers, listed = _call(opener, f"{b}/api/v1/dossiers/{code}/files", headers=headers)
        assert status == 200 and [item["id"] for item in json.loads(listed)["items"]] == [file_id]
        status, _headers, read = _call(opener, f"{b}/api/v1/dossiers/{code}/files/{file_id}", headers=headers)
        assert status == 200 and read == scan
