"""Issue 16, item 2 against a served app: gunicorn with several workers, two agencies' kiosks and a stranger."""
import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import PINNED_NOW

from onestop import calendars, clock, dossiers, kiosks, seed
from onestop.extensions import db
from onestop.models import Agency, DossierStatus, Kiosk, Procedure

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "kiosk-served-test-key-of-at-least-32-bytes"
NAME, MASKED = "Trần Thị Bích Ngọc", "Trần T. B. N."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(demo, database_url):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_SECRET_KEY": SECRET_KEY,
           "FLASK_NOW": PINNED_NOW.isoformat(), "FLASK_RATELIMIT_ENABLED": "false", "ONESTOP_BIND": f"127.0.0.1:{port}", "ONESTOP_WORKERS": "3",
           "ONESTOP_ACCESS_LOG": "/dev/null"}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                               env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/auth/login", timeout=5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("gunicorn did not start")
    yield url
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def _browser():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _get(opener, url) -> tuple[int, str]:
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def _link(demo, agency_code) -> str:
    with demo.app_context():
        agency = db.session.scalar(sa.select(Agency).where(Agency.code == agency_code))
        _kiosk, key = kiosks.enrol(agency, f"Kiosk {agency_code}", None, clock.now())
        db.session.commit()
        return f"/kiosk/{agency_code}/enroll?k={key}"


def test_a_served_kiosk_opens_details_only_while_enrolled_and_only_at_its_own_agency(served, demo):
    with demo.app_context():
        home = seed.home_agency()
        procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == "1.004837"))
        dossier = dossiers.receive(procedure, dossiers.Applicant(NAME), dossiers.Intake(), agency=home, clerk=None,
                                   now=PINNED_NOW, calendar=calendars.current())
        dossier.status = DossierStatus.RETURNED
        db.session.commit()
        home_code, home_id, code = home.code, home.id, dossier.code
    lookup = f"{served}/kiosk/{home_code}/lookup?code={code[-11:]}"
    lobby, land_kiosk, stranger = _browser(), _browser(), _browser()
    assert _get(lobby, served + _link(demo, home_code))[0] == 200
    assert _get(land_kiosk, served + _link(demo, "000.00.31.H57"))[0] == 200  # the other agency's own kiosk
    for _ in range(4):  # every worker knows the kiosk: the cookie is checked against the database
        assert MASKED in _get(lobby, lookup)[1]
    for browser in (stranger, land_kiosk):
        status, page = _get(browser, lookup)
        assert status == 200 and MASKED not in page and "Hồ sơ đã trả kết quả." in page
        assert _get(browser, f"{served}/kiosk/{home_code}/survey/{code}")[0] == 403

    with demo.app_context():
        kiosks.revoke(db.session.scalar(sa.select(Kiosk).where(Kiosk.agency_id == home_id)), clock.now())
        db.session.commit()
    for _ in range(4):  # at once, on every worker
        assert MASKED not in _get(lobby, lookup)[1]
    assert _get(lobby, f"{served}/kiosk/{home_code}/survey/{code}")[0] == 403
