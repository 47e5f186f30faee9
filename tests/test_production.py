"""Serving as README says for production: gunicorn with gunicorn.conf.py on the run's database.

The run's database is PostgreSQL in CI's second pass, so this is the PostgreSQL deployment too.
"""
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import PINNED_NOW
from gunicorn_server import gunicorn

from onestop import calendars, codes, dossiers
from onestop.extensions import db
from onestop.models import Agency, Procedure

SECRET_KEY = "production-test-key-of-at-least-32-bytes"  # a served app refuses a shorter one


@pytest.fixture
def production(demo, database_url):
    with gunicorn(database_url, SECRET_KEY) as (url, process):
        yield url, process


def _workers(process) -> int:
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    return len(children)


def test_gunicorn_serves_pages_static_files_and_lookups_with_the_configured_workers(production, demo):
    url, process = production
    assert _workers(process) == 3
    with demo.app_context():
        procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == "2.000815"))
        home = db.session.scalar(sa.select(Agency).where(Agency.is_home.is_(True)))
        code = dossiers.receive(procedure, dossiers.Applicant("Nguyễn Văn An"), dossiers.Intake(), agency=home,
                                clerk=None, now=PINNED_NOW, calendar=calendars.current()).code
        db.session.commit()
    with urllib.request.urlopen(f"{url}/auth/login", timeout=10) as page:
        assert "Đăng nhập" in page.read().decode()
    with urllib.request.urlopen(f"{url}/static/css/app.css", timeout=10) as css:
        tag = css.headers["ETag"]
        assert css.status == 200 and tag and css.read()
    # The old desk PCs keep the stylesheet and only ask whether it changed.
    again = urllib.request.Request(f"{url}/static/css/app.css", headers={"If-None-Match": tag})
    with pytest.raises(urllib.error.HTTPError) as unchanged:
        urllib.request.urlopen(again, timeout=10)
    unchanged.value.close()
    assert unchanged.value.code == 304
    with urllib.request.urlopen(f"{url}/api/v1/public/dossiers/{code}", timeout=10) as lookup:
        assert lookup.status == 200 and b"Nguy" not in lookup.read()  # no name without the QR token
    token = codes.lookup_token(code, SECRET_KEY)
    with urllib.request.urlopen(f"{url}/tra-cuu/{code}?t={token}", timeout=10) as phone:
        assert "Nguyễn V. A." in phone.read().decode()

