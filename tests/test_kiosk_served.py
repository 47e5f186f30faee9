"""Issue 16, item 2 against a served app: gunicorn with several workers, two agencies' kiosks and a stranger."""
import http.cookiejar
import urllib.error
import urllib.request

import pytest
import sqlalchemy as sa

from conftest import PINNED_NOW
from gunicorn_server import gunicorn

from onestop import calendars, clock, dossiers, kiosks, seed
from onestop.extensions import db
from onestop.models import Agency, DossierStatus, Kiosk, Procedure

SECRET_KEY = "kiosk-served-test-key-of-at-least-32-bytes"
NAME, MASKED = "Trần Thị Bích Ngọc", "Trần T. B. N."


@pytest.fixture
def served(demo, database_url):
    with gunicorn(database_url, SECRET_KEY, FLASK_NOW=PINNED_NOW.isoformat(),
                  FLASK_RATELIMIT_ENABLED="false") as (url, _process):
        yield url


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
