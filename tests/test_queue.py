"""Queue numbers (issue 20): tickets per line and day, calling by counter, the lobby feed, the spoken call, figures."""
import http.cookiejar
import json
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
import wave
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from conftest import PINNED_NOW
from gunicorn_server import gunicorn

from onestop import seed, tokens
from onestop.clock import VN
from onestop.errors import WorkflowError
from onestop.extensions import db
from onestop.models import Field, QueueTicket, TicketStatus, User
from onestop.queue import tickets
from onestop.queue.words import call_phrase, say

ARTIFACTS = __import__("conftest").ARTIFACTS
HOME = seed.DEMO_HOME[0]
MORNING = datetime(2026, 3, 5, 8, 0, tzinfo=VN)


@pytest.mark.parametrize("number, words", [
    (0, "không"), (1, "một"), (5, "năm"), (10, "mười"), (11, "mười một"), (14, "mười bốn"), (15, "mười lăm"),
    (20, "hai mươi"), (21, "hai mươi mốt"), (24, "hai mươi bốn"), (25, "hai mươi lăm"), (55, "năm mươi lăm"),
    (100, "một trăm"), (101, "một trăm linh một"), (105, "một trăm linh năm"), (110, "một trăm mười"),
    (115, "một trăm mười lăm"), (121, "một trăm hai mươi mốt"), (999, "chín trăm chín mươi chín"),
    (1000, "một nghìn"), (1005, "một nghìn không trăm linh năm"),
])
def test_numbers_are_said_in_vietnamese(number, words):
    assert say(number) == words


def test_the_call_phrase_names_the_letter_and_the_counter():
    assert call_phrase("A015", 2) == "Mời số A mười lăm đến quầy số hai"
    assert call_phrase("B121", 1, spoken=True) == "Mời số bê một trăm hai mươi mốt đến quầy số một"


@pytest.fixture
def queue(demo):
    """The demo commune's lines A and B and counters 1 and 2, as `seed demo` sets them up."""
    with demo.app_context():
        seed.load_demo_queue(seed.home_agency())
        db.session.commit()
    return demo


def _home():
    return seed.home_agency()


def test_seed_demo_sets_up_two_lines_and_two_counters(queue):
    with queue.app_context():
        lines = {line.letter: line for line in tickets.services(_home())}
        assert sorted(lines) == ["A", "B"] and lines["A"].name == "Hộ tịch – Chứng thực"
        assert [(c.number, c.letters) for c in tickets.counters_of(_home())] == [(1, ["A", "B"]), (2, ["A", "B"])]
        assert lines["A"].field_ids and lines["B"].field_ids and not set(lines["A"].field_ids) & set(lines["B"].field_ids)


def test_numbers_follow_each_other_per_line_and_restart_at_local_midnight(queue):
    with queue.app_context():
        a, b = (tickets.service_by_letter(_home(), letter) for letter in "AB")
        taken = [tickets.take(a, MORNING).number, tickets.take(a, MORNING).number, tickets.take(b, MORNING).number]
        late = tickets.take(a, datetime(2026, 3, 5, 23, 59, tzinfo=VN))
        next_day = tickets.take(a, datetime(2026, 3, 6, 0, 0, tzinfo=VN))  # 17:00 UTC: the VN day, not UTC's
        db.session.commit()
        assert taken == ["A001", "A002", "B001"]
        assert (late.number, next_day.number) == ("A003", "A001")
        assert tickets.ahead(late) == 2 and tickets.ahead(next_day) == 0


def test_calling_takes_the_oldest_waiting_then_409_when_nobody_waits(queue):
    with queue.app_context():
        a, b = (tickets.service_by_letter(_home(), letter) for letter in "AB")
        first = tickets.take(b, MORNING)
        second = tickets.take(a, MORNING + timedelta(minutes=1))
        counter = tickets.counter_by_number(_home(), 2)
        called = tickets.call_next(counter, MORNING + timedelta(minutes=5))
        assert (called.number, called.counter_number, called.status) == ("B001", 2, TicketStatus.CALLED)
        again = tickets.call_next(counter, MORNING + timedelta(minutes=9))
        assert again.id == second.id
        db.session.refresh(first)
        assert first.finished_at == MORNING + timedelta(minutes=9)  # its service ended with the next call
        tickets.skip(again, MORNING + timedelta(minutes=12))
        with pytest.raises(WorkflowError):
            tickets.call_next(counter, MORNING + timedelta(minutes=13))
        db.session.commit()
        figures = {line.letter: line for line in tickets.figures(_home(), MORNING.date(), MORNING.date())}
        assert figures["B"].tickets == 1 and figures["B"].wait_median == 5.0 and figures["B"].service_median == 4.0
        assert figures["A"].no_shows == 1 and figures["A"].wait_median == 8.0 and figures["A"].service_median is None


@pytest.fixture
def bearer(queue):
    def bearer(username):
        with queue.app_context():
            token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == username)))
            db.session.commit()
        return {"Authorization": f"Bearer {token}"}
    return bearer


def test_api_gives_a_ticket_and_calls_it_and_the_feed_carries_the_call(queue, bearer):
    client = queue.test_client()
    answer = client.post(f"/api/v1/public/queue/{HOME}/tickets", json={"service": "a"})
    assert answer.status_code == 201, answer.text
    assert answer.json["number"] == "A001" and answer.json["ahead"] == 0 and answer.json["service"] == "A"
    assert client.post(f"/api/v1/public/queue/{HOME}/tickets", json={"service": "Z"}).status_code == 404
    assert client.post(f"/api/v1/public/queue/{HOME}/tickets", json={}).status_code == 422
    second = client.post(f"/api/v1/public/queue/{HOME}/tickets", json={"service": "A"}).json
    assert (second["number"], second["ahead"]) == ("A002", 1)
    assert client.post("/api/v1/queue/call", json={"counter": 2}).status_code == 401
    called = client.post("/api/v1/queue/call", json={"counter": 2}, headers=bearer("clerk"))
    assert called.status_code == 200 and called.json["number"] == "A001" and called.json["counter"] == 2
    client.post("/api/v1/queue/call", json={"counter": 1}, headers=bearer("clerk"))
    empty = client.post("/api/v1/queue/call", json={"counter": 1}, headers=bearer("clerk"))
    assert empty.status_code == 409
    feed = client.get(f"/display/{HOME}/feed.json").json
    assert [(call["number"], call["counter"]) for call in feed["calls"]][:2] in (
        [("A002", 1), ("A001", 2)], [("A001", 2), ("A002", 1)])
    spec = client.get("/api/v1/openapi.json").json
    assert "/api/v1/public/queue/{agency_code}/tickets" in spec["paths"] and "/api/v1/queue/call" in spec["paths"]


def test_the_public_ticket_endpoint_is_rate_limited(database_url):
    from conftest import make_app
    app = make_app(database_url, RATELIMIT_ENABLED=True, PUBLIC_RATE_LIMIT="3 per minute")
    with app.app_context():
        home, _partners = seed.load_demo_agencies()
        seed.load_catalogue()
        seed.load_demo_queue(home)
        db.session.commit()
    try:
        client = app.test_client()
        statuses = [client.post(f"/api/v1/public/queue/{HOME}/tickets", json={"service": "A"}).status_code
                    for _ in range(4)]
        assert statuses == [201, 201, 201, 429]
        assert client.post(f"/kiosk/{HOME}/queue", data={"service": "A"}).status_code == 429
    finally:
        from conftest import _empty_tables
        _empty_tables(app)


def test_two_counters_calling_together_never_share_a_ticket(live_server, bearer):
    """Real HTTP, real database (SQLite's write lock or PostgreSQL's SKIP LOCKED): every ticket is called once."""
    with live_server.app_context():
        a, b = (tickets.service_by_letter(_home(), letter) for letter in "AB")
        for index in range(24):
            tickets.take(a if index % 2 else b, MORNING)
        db.session.commit()
    url = f"{live_server.config['LIVE_URL']}/api/v1/queue/call"
    headers = {**bearer("clerk"), "Content-Type": "application/json"}

    def call(counter):
        request = urllib.request.Request(url, json.dumps({"counter": counter}).encode(), headers, method="POST")
        try:
            with urllib.request.urlopen(request) as response:
                return json.load(response)["number"]
        except urllib.error.HTTPError as error:
            assert error.code == 409
            return None

    with ThreadPoolExecutor(4) as pool:
        numbers = [number for number in pool.map(call, [1, 2] * 15) if number]
    assert len(numbers) == 24 and len(set(numbers)) == 24
    with live_server.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QueueTicket).where(
            QueueTicket.status == TicketStatus.WAITING)) == 0


def test_kiosks_taking_tickets_together_get_gapless_numbers(live_server):
    with live_server.app_context():
        seed.load_demo_queue(_home())
        db.session.commit()
    url = f"{live_server.config['LIVE_URL']}/api/v1/public/queue/{HOME}/tickets"

    def take(_):
        request = urllib.request.Request(url, b'{"service": "A"}', {"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request) as response:
            return json.load(response)["number"]

    with ThreadPoolExecutor(4) as pool:
        numbers = sorted(pool.map(take, range(20)))
    assert numbers == [f"A{index:03d}" for index in range(1, 21)]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_screens_asking_for_a_new_call_at_once_all_get_the_whole_wav(queue, tmp_path):
    """The lobby's <audio> and a second screen ask for the same new call together: every answer is the sound."""
    from onestop.queue import speech

    queue.config["QUEUE_SPEECH_DIR"] = str(tmp_path)

    def make(_):
        with queue.app_context():
            return speech.wav("A015", 2).read_bytes()

    with ThreadPoolExecutor(6) as pool:
        sounds = list(pool.map(make, range(6)))
    assert len(set(sounds)) == 1 and len(sounds[0]) > 20000  # one whole WAV, six times
    assert [path.name for path in tmp_path.iterdir() if path.suffix == ".part"] == []  # no leftovers


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_call_is_spoken_as_a_wav(queue, tmp_path):
    queue.config["QUEUE_SPEECH_DIR"] = str(tmp_path)
    client = queue.test_client()
    assert client.get(f"/queue/{HOME}/speech/A015-2.wav").status_code == 404  # no such call today
    with queue.app_context():
        line = tickets.service_by_letter(_home(), "A")
        for _ in range(15):
            tickets.take(line, MORNING)
        db.session.commit()
        counter = tickets.counter_by_number(_home(), 2)
        for _ in range(15):
            tickets.call_next(counter, MORNING)
        db.session.commit()
    answer = client.get(f"/queue/{HOME}/speech/A015-2.wav")
    assert answer.status_code == 200 and answer.mimetype == "audio/wav"
    data = answer.data
    answer.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "queue-call-A015-2.wav").write_bytes(data)
    with wave.open(str(ARTIFACTS / "queue-call-A015-2.wav")) as sound:
        frames = sound.readframes(sound.getnframes())
        duration = sound.getnframes() / sound.getframerate()
        width = sound.getsampwidth()
    samples = [int.from_bytes(frames[i:i + width], "little", signed=True) for i in range(0, len(frames), width)]
    loud = sum(1 for sample in samples if abs(sample) > 1000)
    print(f"spoken call: {duration:.2f} s, {loud / len(samples):.0%} of samples above 1000")
    assert 1.5 < duration < 8
    assert loud > len(samples) // 10  # not silence


def test_the_reports_page_has_the_queue_block(queue, client, login):
    with queue.app_context():
        line = tickets.service_by_letter(_home(), "B")
        tickets.take(line, MORNING)
        tickets.call_next(tickets.counter_by_number(_home(), 1), MORNING + timedelta(minutes=7, seconds=30))
        db.session.commit()
    login("leader")
    page = client.get("/reports/").text
    assert "Xếp hàng lấy số thứ tự" in page
    block = page[page.index('id="queue-figures"'):]
    assert "05/03/2026" in block and "B – " in block and "7,5" in block


def test_an_admin_sets_up_lines_and_counters_and_bad_input_writes_nothing(queue, client, login):
    login("admin")
    assert "Xếp hàng: dịch vụ và quầy" in client.get("/queue/admin").text
    with queue.app_context():
        land = db.session.scalar(sa.select(Field).where(Field.name == "Đất đai"))
    saved = client.post("/queue/admin", data={"service-letter": "c", "service-name": "Đất đai",
                                              "service-fields": [str(land.id)]}, follow_redirects=True)
    assert "Đã lưu dịch vụ C." in saved.text
    refused = client.post("/queue/admin", data={"counter-number": "3", "counter-name": "", "counter-letters": []},
                          follow_redirects=True)
    assert "Chọn ít nhất một dịch vụ." in refused.text
    assert "Đã lưu quầy" in client.post("/queue/admin", data={"counter-number": "3", "counter-name": "Quầy đất đai",
                                                              "counter-letters": ["C"]}, follow_redirects=True).text
    assert "Chữ cái là một chữ in hoa" in client.post("/queue/admin", data={
        "service-letter": "7", "service-name": "Sai"}, follow_redirects=True).text
    with queue.app_context():
        assert [line.letter for line in tickets.services(_home())] == ["A", "B", "C"]
        assert tickets.service_by_letter(_home(), "C").field_ids == [land.id]
        assert tickets.counter_by_number(_home(), 3).letters == ["C"]


def test_the_fields_a_line_serves_are_offered_in_vietnamese_order(queue, client, login):
    with queue.app_context():
        db.session.add_all([Field(name="Giáo dục"), Field(name="Dân tộc")])
        db.session.commit()
    login("admin")
    page = client.get("/queue/admin").text
    places = [page.index(f">{name}</option>") for name in ("Dân tộc", "Đất đai", "Giáo dục")]
    assert places == sorted(places)  # Python's (and plain SQL's) order puts Đất đai after Giáo dục

def test_a_clerk_calls_recalls_and_marks_a_no_show_at_the_desk(queue, client, login):
    with queue.app_context():
        for _ in range(2):
            tickets.take(tickets.service_by_letter(_home(), "A"), MORNING)
        db.session.commit()
    login("admin")
    assert client.get("/queue/desk").status_code == 403  # the admin does not serve a counter
    client.post("/auth/logout")
    login("clerk")
    assert "Chọn quầy của bạn trước." in client.post("/queue/desk/call", follow_redirects=True).text
    client.post("/queue/desk/counter", data={"counter": "1"})
    assert "Đã gọi số A001." in client.post("/queue/desk/call", follow_redirects=True).text
    client.post("/queue/desk/recall")
    client.post("/queue/desk/skip")
    page = client.post("/queue/desk/call", follow_redirects=True).text
    assert "Đã gọi số A002." in page
    assert "Không còn ai chờ ở quầy số 1." in client.post("/queue/desk/call", follow_redirects=True).text
    with queue.app_context():
        first = db.session.scalar(sa.select(QueueTicket).where(QueueTicket.number == "A001"))
        assert first.status == TicketStatus.NO_SHOW and first.counter_number == 1


def test_a_restart_of_the_server_loses_no_ticket_and_keeps_the_numbering(queue, database_url):
    """Issue 20 item 7: tickets taken on one gunicorn, the server stopped, a new one started on the same database.

    The waiting tickets, their order and the people ahead live in the database, and so does the day's series:
    a server that numbered in memory would give A001 again after the restart.
    """
    def browser():
        return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def take_api(url, letter):
        request = urllib.request.Request(f"{url}/api/v1/public/queue/{HOME}/tickets", json.dumps(
            {"service": letter}).encode(), {"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 201
            answer = json.load(response)
            return answer["number"], answer["ahead"]

    def page(opener, url, data=None):
        body = None if data is None else urllib.parse.urlencode(data).encode()
        with opener.open(url, body, timeout=10) as response:
            return response.geturl(), response.read().decode()

    def csrf(html):
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def ahead_on_phone(phone, url):
        return re.search(r'id="ahead">([^<]*)<', page(phone, url)[1]).group(1)

    secret = "queue-restart-test-key-of-at-least-32-bytes"
    served = dict(workers=1, FLASK_NOW=PINNED_NOW.isoformat(), FLASK_RATELIMIT_ENABLED="false")
    with gunicorn(database_url, secret, **served) as (url, first):
        taken = [take_api(url, "A"), take_api(url, "B"), take_api(url, "A")]
        kiosk = browser()
        _, form = page(kiosk, f"{url}/kiosk/{HOME}/queue")
        ticket_url, ticket = page(kiosk, f"{url}/kiosk/{HOME}/queue", {"csrf_token": csrf(form), "service": "A"})
        assert "A003" in ticket
        assert "Số người chờ trước: 2" in ticket  # A001 and A002 before it
        token = urllib.parse.urlparse(ticket_url).path.rsplit("/", 1)[1]
        phone_url = f"{url}/queue/{HOME}/t/{token}"
        assert ahead_on_phone(browser(), phone_url) == "Số người chờ trước: 2"
    assert taken == [("A001", 0), ("B001", 0), ("A002", 1)]

    with gunicorn(database_url, secret, **served) as (url, _second):  # a new process: only the database carries over
        assert first.poll() is not None  # the first server is gone
        phone = browser()
        phone_url = f"{url}/queue/{HOME}/t/{token}"
        assert ahead_on_phone(phone, phone_url) == "Số người chờ trước: 2"  # unchanged by the restart
        clerk = browser()
        _, login = page(clerk, f"{url}/auth/login")
        landed, _ = page(clerk, f"{url}/auth/login", {"csrf_token": csrf(login), "username": "clerk",
                                                     "password": seed.DEMO_PASSWORD})
        assert "/auth/login" not in landed
        _, desk = page(clerk, f"{url}/queue/desk")
        _, desk = page(clerk, f"{url}/queue/desk/counter", {"csrf_token": csrf(desk), "counter": "1"})
        assert "Gọi số tiếp" in desk
        _, called = page(clerk, f"{url}/queue/desk/call", {"csrf_token": csrf(desk)})
        assert "Đã gọi số A001." in called  # the oldest ticket, taken before the restart
        assert ahead_on_phone(phone, phone_url) == "Số người chờ trước: 1"
        # The day's numbering goes on from the database: no number given twice, none skipped.
        assert take_api(url, "A") == ("A004", 2) and take_api(url, "B") == ("B002", 1)
        _, called = page(clerk, f"{url}/queue/desk/call", {"csrf_token": csrf(desk)})
        assert "Đã gọi số B001." in called
    with queue.app_context():
        numbers = db.session.scalars(sa.select(QueueTicket.number).order_by(QueueTicket.id)).all()
        assert numbers == ["A001", "B001", "A002", "A003", "A004", "B002"]
