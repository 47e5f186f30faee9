"""Many clerks at once, and a power cut in the middle: codes stay unique and gap-free, nothing half-written.

The app runs as it does in production (gunicorn, two worker processes) on the run's database;
the whole server is killed with SIGKILL during a burst of intakes and started again.
"""
import json
import os
import signal
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from gunicorn_server import gunicorn
from onestop import tokens
from onestop.extensions import db
from onestop.models import Counter, Dossier, Event, User

CLIENTS, EACH = 16, 50
SETTINGS = {"FLASK_RATELIMIT_ENABLED": "false", "FLASK_NOW": "2026-03-05T09:00:00+07:00"}


class Server:
    """gunicorn (tests/gunicorn_server.py, two workers) on the test database; started again after a power cut."""

    def __init__(self, database_url, token):
        self.database_url, self.token = database_url, token

    def serving(self):
        return gunicorn(self.database_url, "crash-test-key-of-at-least-32-bytes", workers=2, **SETTINGS)

    def kill(self):
        """A power cut: every process of the server dies at once, mid-request."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def server(app, demo, database_url):
    with app.app_context():
        token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == "clerk")))
        db.session.commit()
    running = Server(database_url, token)
    with running.serving() as (running.url, running.process):
        yield running


def _intake(server, number):
    body = json.dumps({"procedure_code": "2.000815", "applicant": {"name": f"Người Nộp {number}"},
                       "channel": "direct", "quantity": 1}).encode()
    request = urllib.request.Request(f"{server.url}/api/v1/dossiers", data=body, method="POST", headers={
        "Authorization": f"Bearer {server.token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["code"]


def _burst(server, count, started=None):
    """`count` intakes from CLIENTS threads at once; `started` is set once an eighth are answered."""
    answered = []

    def one(number):
        try:
            code = _intake(server, number)
        except OSError:  # refused, reset or cut off: the server died under this request
            return
        answered.append(code)
        if started is not None and len(answered) > count // 8:
            started.set()

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(one, range(count)))
    return answered


def _numbers(app):
    with app.app_context():
        codes = list(db.session.scalars(sa.select(Dossier.code)))
        counter = db.session.scalar(sa.select(sa.func.max(Counter.last_number)).where(Counter.key.like("code:%")))
        without_event = db.session.scalar(
            sa.select(sa.func.count(Dossier.id)).where(~sa.exists().where(
                Event.dossier_id == Dossier.id, Event.action == "receive")))
    return sorted(int(code.rsplit("-", 1)[1]) for code in codes), counter, without_event


def test_sixteen_clients_at_once_get_unique_codes_without_gaps(app, server):
    answered = _burst(server, CLIENTS * EACH)
    numbers, counter, without_event = _numbers(app)
    assert len(answered) == CLIENTS * EACH == len(set(answered))
    assert numbers == list(range(1, CLIENTS * EACH + 1))
    assert counter == CLIENTS * EACH and without_event == 0


def test_a_power_cut_mid_burst_leaves_nothing_half_written(app, server):
    started = threading.Event()
    burst = threading.Thread(target=_burst, args=(server, CLIENTS * EACH, started))
    burst.start()
    assert started.wait(120), "the burst never got going"
    server.kill()
    burst.join()
    numbers, counter, without_event = _numbers(app)
    assert 0 < len(numbers) < CLIENTS * EACH  # the cut really came mid-burst
    assert numbers == list(range(1, len(numbers) + 1)) and counter == len(numbers)
    assert without_event == 0  # every saved dossier has its receive event
    with server.serving() as (server.url, server.process):  # started again: the numbering goes on
        more = _burst(server, CLIENTS * 2)
    numbers_after, counter_after, without_event = _numbers(app)
    assert len(more) == CLIENTS * 2
    assert numbers_after == list(range(1, len(numbers) + CLIENTS * 2 + 1)) and counter_after == numbers_after[-1]
    assert without_event == 0
