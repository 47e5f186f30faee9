"""Several clerks saving at the same instant get unique, consecutive dossier codes (DESIGN.md §3)."""
import http.cookiejar
import sqlite3
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from onestop.extensions import db
from onestop.models import Dossier, Event

CLERKS, EACH = 8, 5


def _clerk_session(base_url):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.open(f"{base_url}/auth/login", urllib.parse.urlencode({"username": "clerk", "password": "demo"}).encode())
    return opener


def _intake(opener, base_url, number):
    form = {"procedure_code": "2.000815", "applicant_name": f"Người Nộp {number}", "channel": "direct",
            "quantity": "1", "result_delivery": "desk", "no_documents": "y"}
    with opener.open(f"{base_url}/desk/receive", urllib.parse.urlencode(form).encode()) as response:
        return response.geturl()  # the redirect lands on the new dossier's page


def test_parallel_intake_gives_unique_consecutive_codes(live_server):
    base_url = live_server.config["LIVE_URL"]
    openers = [_clerk_session(base_url) for _ in range(CLERKS)]
    with ThreadPoolExecutor(CLERKS) as pool:
        pages = list(pool.map(lambda i: _intake(openers[i % CLERKS], base_url, i), range(CLERKS * EACH)))
    assert all("/desk/dossiers/" in page for page in pages)
    with live_server.app_context():
        codes = list(db.session.scalars(sa.select(Dossier.code)))
        ledger = sorted(db.session.scalars(sa.select(Dossier.ledger_number)))
        receive_events = db.session.scalar(sa.select(sa.func.count(Event.id)).where(Event.action == "receive"))
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, CLERKS * EACH + 1))  # no duplicate, no gap
    assert ledger == list(range(1, CLERKS * EACH + 1))
    assert receive_events == CLERKS * EACH


def _other_writer_can_start(database_url) -> bool:
    """Whether another connection can begin writing right now, without waiting at all."""
    url = sa.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        other = sqlite3.connect(url.database, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:  # "database is locked"
            return False
        finally:
            other.close()
    engine = sa.create_engine(url, connect_args={"options": "-c lock_timeout=100"})
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO setting (key, value) VALUES ('probe', '1')"))
            connection.execute(sa.text("DELETE FROM setting WHERE key = 'probe'"))
        return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def test_a_page_that_only_reads_does_not_hold_up_a_clerk_saving(app, demo, database_url):
    with app.test_request_context("/desk/", method="GET"):
        db.session.scalar(sa.select(sa.func.count(Dossier.id)))  # a lobby screen or kiosk, mid-read
        assert _other_writer_can_start(database_url)
        db.session.rollback()
    with app.test_request_context("/desk/receive", method="POST"):
        db.session.scalar(sa.select(sa.func.count(Dossier.id)))
        # On SQLite a request that may write holds the write lock from its first statement, so two
        # saves queue instead of one failing; PostgreSQL locks rows, not the database.
        assert _other_writer_can_start(database_url) is (sa.make_url(database_url).get_backend_name() != "sqlite")
        db.session.rollback()
