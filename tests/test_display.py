"""The lobby board's feed (ETag/304, figures, privacy) and the staff page of the leaders' weekly schedule."""
import json
import re
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
from conftest import PINNED_NOW, make_app

from onestop import agendas, board, calendars, dossiers, seed, settings
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import AgendaEntry, Agency, Dossier, DossierStatus, Procedure, Timeliness

HOME = seed.DEMO_HOME[0]
LAND_OFFICE = seed.DEMO_PARTNERS[0][0]
FEED = f"/display/{HOME}/feed.json"
BOARD = f"/display/{HOME}"


def at(day, hour=9, minute=0):
    """A local moment in March 2026 (the pinned now is Thu 05/03/2026 09:00)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=VN)


def receive(app, name="Trần Thị Bình", now=PINNED_NOW, agency_code=HOME, procedure_code="1.004837", **applicant):
    """Receive a dossier at an agency's desk, commit it and return its code."""
    with app.app_context():
        procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == procedure_code))
        agency = db.session.scalar(sa.select(Agency).where(Agency.code == agency_code))
        dossier = dossiers.receive(procedure, dossiers.Applicant(name=name, **applicant), dossiers.Intake(),
                                   agency=agency, clerk=None, now=now, calendar=calendars.current())
        db.session.commit()
        return dossier.code


def change(app, code, **values):
    """Set a dossier's columns as the workflow would, and commit."""
    with app.app_context():
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == code))
        for name, value in values.items():
            setattr(dossier, name, value)
        db.session.commit()


def mark_ready(app, code, when=PINNED_NOW, timeliness=Timeliness.EARLY):
    change(app, code, status=DossierStatus.RESULT_READY, completed_at=when, timeliness=timeliness)


def add_entry(app, day, content, start=None, agency_code=HOME, presiding="Ông Nguyễn Văn Minh", place=""):
    with app.app_context():
        agency = db.session.scalar(sa.select(Agency).where(Agency.code == agency_code))
        entry = agendas.add(agency, agendas.EntryData(day, start, content, presiding, place), author=None)
        db.session.commit()
        return entry.id


def entries(app):
    with app.app_context():  # a fresh context: sees only what was committed
        return [(e.held_on, e.start_time, e.content, e.presiding, e.place)
                for e in db.session.scalars(sa.select(AgendaEntry).order_by(AgendaEntry.id))]


# --- the feed: ETag and 304 -------------------------------------------------------------------------

def test_feed_answers_304_to_a_matching_etag_and_changes_it_when_a_result_is_ready_or_returned(app, client, demo):
    code = receive(app)
    first = client.get(FEED)
    assert first.status_code == 200 and first.json["ready"]["items"] == []
    unchanged = client.get(FEED, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.data == b""

    mark_ready(app, code)
    ready = client.get(FEED, headers={"If-None-Match": first.headers["ETag"]})
    assert ready.status_code == 200
    assert [item["code"] for item in ready.json["ready"]["items"]] == [code]
    assert ready.headers["ETag"] != first.headers["ETag"]
    assert client.get(FEED, headers={"If-None-Match": ready.headers["ETag"]}).status_code == 304

    change(app, code, status=DossierStatus.RETURNED, returned_at=at(5, 9, 0))
    returned = client.get(FEED, headers={"If-None-Match": ready.headers["ETag"]})
    assert returned.status_code == 200 and returned.json["ready"]["items"] == []
    assert returned.headers["ETag"] not in (first.headers["ETag"], ready.headers["ETag"])


def test_etag_stays_when_nothing_shown_on_the_board_changes(app, client, demo):
    code = receive(app)
    mark_ready(app, code)
    tag = client.get(FEED).headers["ETag"]
    change(app, code, applicant_phone="0912000111", note="Đã gọi điện báo")  # never shown on the board
    receive(app, agency_code=LAND_OFFICE)  # another agency's intake
    assert client.get(FEED, headers={"If-None-Match": tag}).status_code == 304
    add_entry(app, date(2026, 3, 6), "Họp giao ban")  # this week's schedule is on the board
    assert client.get(FEED, headers={"If-None-Match": tag}).status_code == 200


def test_unknown_and_external_agencies_have_no_board(client, demo):
    for code in ("000.99.99.H57", seed.DEMO_PARTNERS[1][0]):  # unknown; the commune police (external)
        assert client.get(f"/display/{code}").status_code == 404
        assert client.get(f"/display/{code}/feed.json").status_code == 404


def test_the_board_is_read_only(client, demo):
    assert client.post(FEED).status_code == 405
    assert client.post(BOARD).status_code == 405


# --- what the board shows ---------------------------------------------------------------------------

def test_ready_results_are_listed_newest_first_with_short_code_masked_name_and_since(app, client, demo):
    older = receive(app, name="Lê Văn Tám", now=at(2))
    newer = receive(app, name="Hoàng Thị Mai")
    waiting = receive(app, name="Đang Xử Lý")
    elsewhere = receive(app, name="Ngô Văn Khác", agency_code=LAND_OFFICE)
    mark_ready(app, older, at(3, 15, 40))
    mark_ready(app, newer, at(5, 8, 15))
    mark_ready(app, elsewhere, at(5, 8, 30))

    ready = client.get(FEED).json["ready"]
    assert ready["total"] == 2
    assert ready["items"] == [
        {"code": newer, "short_code": newer.removeprefix(f"{HOME}-"), "name": "Hoàng T. M.",
         "procedure": "Đăng ký giám hộ", "since": "08:15"},
        {"code": older, "short_code": older.removeprefix(f"{HOME}-"), "name": "Lê V. T.",
         "procedure": "Đăng ký giám hộ", "since": "03/03/2026"},
    ]
    assert waiting not in json.dumps(ready)


def test_figures_count_today_and_this_month_with_pinned_now(app, client, demo):
    # Received today (05/03): four; one of them already returned at 08:40.
    today = [receive(app, name=f"Hôm Nay {n}", now=at(5, 7, 30 + n)) for n in range(4)]
    change(app, today[0], status=DossierStatus.RETURNED, completed_at=at(5, 8), returned_at=at(5, 8, 40),
           timeliness=Timeliness.EARLY)
    # Returned today just after midnight (still the previous day in UTC) counts; late last night does not.
    early_bird = receive(app, now=at(2))
    change(app, early_bird, status=DossierStatus.RETURNED, completed_at=at(4, 16), returned_at=at(5, 0, 30),
           timeliness=Timeliness.EARLY)
    night_owl = receive(app, now=at(2))
    change(app, night_owl, status=DossierStatus.RETURNED, completed_at=at(3, 16), returned_at=at(4, 23, 30),
           timeliness=Timeliness.ON_TIME)
    late = receive(app, now=at(2))
    change(app, late, status=DossierStatus.REFUSED, completed_at=at(4, 10), timeliness=Timeliness.LATE)
    # Completed in February: not this month.
    february = receive(app, now=datetime(2026, 2, 20, 9, tzinfo=VN))
    change(app, february, status=DossierStatus.RETURNED, completed_at=datetime(2026, 2, 27, 9, tzinfo=VN),
           returned_at=at(5, 8, 50), timeliness=Timeliness.LATE)
    # Another agency's figures are its own.
    other = receive(app, agency_code=LAND_OFFICE)
    change(app, other, status=DossierStatus.RETURNED, completed_at=at(5, 8), returned_at=at(5, 8, 10),
           timeliness=Timeliness.LATE)

    figures = client.get(FEED).json["figures"]
    assert figures["received_today"] == 4
    assert figures["returned_today"] == 3  # today[0], early_bird, february's
    # Completed in March: today[0] early, early_bird early, night_owl on time, the refused one late → 3 of 4.
    assert (figures["completed_this_month"], figures["in_time_this_month"]) == (4, 3)
    assert figures["on_time_percent"] == 75
    assert figures["month"] == "03/2026"


def test_a_month_without_completed_dossiers_shows_no_percentage(client, demo):
    assert client.get(FEED).json["figures"]["on_time_percent"] is None


def test_the_board_shows_this_weeks_schedule_whole_day_items_first(app, client, demo):
    add_entry(app, date(2026, 3, 5), "Tiếp công dân định kỳ", time(8, 0), place="Phòng tiếp công dân")
    add_entry(app, date(2026, 3, 5), "Đi công tác tại huyện", None)
    add_entry(app, date(2026, 3, 2), "Họp giao ban đầu tuần", time(7, 30))
    add_entry(app, date(2026, 3, 8), "Trực Chủ nhật", time(7, 0))
    add_entry(app, date(2026, 3, 1), "Tuần trước", time(7, 0))
    add_entry(app, date(2026, 3, 9), "Tuần sau", time(7, 0))
    add_entry(app, date(2026, 3, 4), "Lịch của đơn vị khác", time(7, 0), agency_code=LAND_OFFICE)

    week = client.get(FEED).json["agenda"]
    assert week["title"] == "Lịch công tác tuần từ 02/03 đến 08/03/2026"
    assert [(e["day"], e["time"], e["content"], e["today"]) for e in week["entries"]] == [
        ("Thứ Hai 02/03", "07:30", "Họp giao ban đầu tuần", False),
        ("Thứ Năm 05/03", "Cả ngày", "Đi công tác tại huyện", True),
        ("Thứ Năm 05/03", "08:00", "Tiếp công dân định kỳ", True),
        ("Chủ nhật 08/03", "07:00", "Trực Chủ nhật", False),
    ]
    assert week["entries"][2]["place"] == "Phòng tiếp công dân"


def test_board_page_carries_its_data_and_the_feed_etag(app, client, demo):
    mark_ready(app, receive(app, name="Phan Văn Đức"))
    page = client.get(BOARD)
    assert page.status_code == 200
    assert "Hồ sơ đã có kết quả — mời nhận" in page.text and "Mất kết nối" in page.text
    assert "<script>" not in page.text  # no inline script: only JSON data blocks and display.js
    etag = re.search(r'data-etag="([^"]+)"', page.text)[1]
    assert client.get(FEED, headers={"If-None-Match": f'"{etag}"'}).status_code == 304
    assert "Phan V. Đ." in json.dumps(_json_blocks(page.text), ensure_ascii=False)


def test_poll_interval_is_the_setting_unless_the_config_pins_one(app, client, demo, database_url):
    assert 'data-poll-seconds="4"' in client.get(BOARD).text
    with app.app_context():
        settings.put("display_poll_seconds", 5)
        db.session.commit()
    assert 'data-poll-seconds="5"' in client.get(BOARD).text
    fast = make_app(database_url, DISPLAY_POLL_SECONDS=0.25)
    assert 'data-poll-seconds="0.25"' in fast.test_client().get(BOARD).text
    with fast.app_context():
        db.engine.dispose()



def test_screens_share_the_feed_for_a_few_seconds_then_see_the_new_result(demo, database_url, monkeypatch):
    shared = make_app(database_url, DISPLAY_FEED_CACHE_SECONDS=3)
    client, clock_seconds = shared.test_client(), [1000.0]
    monkeypatch.setattr(board, "monotonic", lambda: clock_seconds[0])
    first = client.get(FEED)
    code = receive(shared)
    mark_ready(shared, code)
    clock_seconds[0] += 2  # within the shared seconds: the screens still get what they have
    assert client.get(FEED, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    clock_seconds[0] += 1.5
    fresh = client.get(FEED, headers={"If-None-Match": first.headers["ETag"]})
    assert fresh.status_code == 200 and fresh.json["ready"]["items"][0]["code"] == code
    with shared.app_context():
        db.engine.dispose()

# --- privacy ----------------------------------------------------------------------------------------

PERSONAL = {"name": "Nguyễn Văn An", "id_number": "046012345678", "phone": "0912345678",
            "email": "an.nguyen@example.vn", "address": "Thôn Phước Yên, xã Quảng Thọ"}


def _json_blocks(html):
    return [json.loads(block) for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>',
                                                      html, re.S)]


def test_feed_and_board_show_nothing_personal_beyond_the_masked_name(app, client, demo):
    code = receive(app, **PERSONAL)
    mark_ready(app, code)
    feed = client.get(FEED)
    page = client.get(BOARD).text
    # Decoded as well as raw: JSON may escape Vietnamese letters as \uXXXX.
    texts = [feed.text, json.dumps(feed.json, ensure_ascii=False), page,
             json.dumps(_json_blocks(page), ensure_ascii=False)]
    assert "Nguyễn V. A." in texts[1] and "Nguyễn V. A." in texts[3]
    for text in texts:
        for value in (*PERSONAL.values(), "Văn An", "0912", "example.vn", "Phước Yên"):
            assert value not in text, value
    assert set(feed.json["ready"]["items"][0]) == {"code", "short_code", "name", "procedure", "since"}


def test_organisations_keep_their_name(app, client, demo):
    mark_ready(app, receive(app, name="Công ty TNHH Thuận Phát", is_organisation=True))
    assert client.get(FEED).json["ready"]["items"][0]["name"] == "Công ty TNHH Thuận Phát"


# --- the staff page of the weekly schedule ----------------------------------------------------------

GOOD_ENTRY = {"day": "06/03/2026", "start_time": "07:30", "content": "Họp giao ban UBND xã",
              "presiding": "Ông Nguyễn Văn Minh, Chủ tịch UBND xã", "place": "Phòng họp UBND xã"}


def test_anonymous_visitors_go_to_login(client, demo):
    for url in ("/admin/agenda/", "/admin/agenda/new"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.location
    assert client.post("/admin/agenda/new", data=GOOD_ENTRY).status_code == 302


@pytest.mark.parametrize("username", ["clerk", "leader", "admin"])
def test_desk_leaders_and_admins_may_keep_the_schedule(client, login, username):
    login(username)
    assert client.get("/admin/agenda/").status_code == 200
    assert client.get("/admin/agenda/new").status_code == 200


def test_a_specialist_may_not_edit_the_schedule(app, client, login):
    login("officer")
    assert client.get("/admin/agenda/").status_code == 403
    assert client.post("/admin/agenda/new", data=GOOD_ENTRY).status_code == 403
    assert entries(app) == []


def test_adding_an_entry_saves_it_for_the_users_agency_and_shows_it_in_its_week(app, client, login):
    login("leader")
    response = client.post("/admin/agenda/new", data=GOOD_ENTRY)
    assert response.status_code == 302 and response.location.endswith("/admin/agenda/?week=2026-03-06")
    assert entries(app) == [(date(2026, 3, 6), time(7, 30), "Họp giao ban UBND xã",
                             "Ông Nguyễn Văn Minh, Chủ tịch UBND xã", "Phòng họp UBND xã")]
    with app.app_context():
        entry = db.session.scalar(sa.select(AgendaEntry))
        assert (entry.agency.code, entry.created_by.username) == (HOME, "leader")
    week = client.get(response.location).text
    assert "Đã thêm lịch ngày 06/03/2026." in week
    assert "Thứ Sáu" in week and "Họp giao ban UBND xã" in week and "07:30" in week
    assert "Họp giao ban UBND xã" not in client.get("/admin/agenda/?week=09/03/2026").text


def test_time_may_be_left_blank_for_a_whole_day(app, client, login):
    login("clerk")
    client.post("/admin/agenda/new", data={**GOOD_ENTRY, "start_time": "", "place": ""})
    assert entries(app)[0][1:2] == (None,)
    assert "Cả ngày" in client.get("/admin/agenda/?week=2026-03-06").text


@pytest.mark.parametrize("field, value, message", [
    ("day", "", "Cần nhập ngày làm việc."),
    ("day", "31/02/2026", "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy, ví dụ 09/03/2026."),
    ("day", "06/03/1990", "Chỉ nhập được các ngày từ năm 2000 đến năm 2100."),
    ("start_time", "25:00", "Giờ phải có dạng HH:MM, ví dụ 07:30; để trống nếu làm cả ngày."),
    ("start_time", "sáng", "Giờ phải có dạng HH:MM, ví dụ 07:30; để trống nếu làm cả ngày."),
    ("content", "   ", "Cần nhập nội dung công việc."),
    ("content", "x" * 501, "Nội dung dài tối đa 500 ký tự."),
    ("presiding", "", "Cần ghi người chủ trì."),
    ("place", "x" * 201, "Địa điểm dài tối đa 200 ký tự."),
])
def test_bad_input_is_refused_in_vietnamese_and_saves_nothing(app, client, login, field, value, message):
    login("clerk")
    response = client.post("/admin/agenda/new", data={**GOOD_ENTRY, field: value})
    assert response.status_code == 200
    assert message in response.text
    assert entries(app) == []


def test_editing_an_entry_changes_it(app, client, login):
    entry_id = add_entry(app, date(2026, 3, 6), "Họp giao ban", time(7, 30))
    login("clerk")
    form = client.get(f"/admin/agenda/{entry_id}/edit").text
    assert 'value="06/03/2026"' in form and 'value="07:30"' in form and "Họp giao ban" in form
    response = client.post(f"/admin/agenda/{entry_id}/edit",
                           data={**GOOD_ENTRY, "day": "10/03/2026", "start_time": "14h00",
                                 "content": "Họp dời sang chiều"})
    assert response.status_code == 302 and response.location.endswith("week=2026-03-10")
    assert entries(app) == [(date(2026, 3, 10), time(14, 0), "Họp dời sang chiều",
                             GOOD_ENTRY["presiding"], GOOD_ENTRY["place"])]


def test_a_refused_edit_keeps_the_entry_as_it_was(app, client, login):
    entry_id = add_entry(app, date(2026, 3, 6), "Họp giao ban", time(7, 30))
    login("clerk")
    response = client.post(f"/admin/agenda/{entry_id}/edit", data={**GOOD_ENTRY, "day": "hôm qua"})
    assert response.status_code == 200 and "Ngày không hợp lệ" in response.text
    assert entries(app)[0][:3] == (date(2026, 3, 6), time(7, 30), "Họp giao ban")


def test_deleting_an_entry_takes_it_off_the_schedule(app, client, login):
    entry_id = add_entry(app, date(2026, 3, 6), "Họp giao ban", time(7, 30))
    login("leader")
    response = client.post(f"/admin/agenda/{entry_id}/delete")
    assert response.status_code == 302 and response.location.endswith("week=2026-03-06")
    assert entries(app) == []


def test_another_agencys_entries_cannot_be_seen_edited_or_deleted(app, client, login):
    entry_id = add_entry(app, date(2026, 3, 6), "Lịch của văn phòng đất đai", agency_code=LAND_OFFICE)
    login("clerk")
    assert "Lịch của văn phòng đất đai" not in client.get("/admin/agenda/?week=2026-03-06").text
    assert client.get(f"/admin/agenda/{entry_id}/edit").status_code == 404
    assert client.post(f"/admin/agenda/{entry_id}/edit", data=GOOD_ENTRY).status_code == 404
    assert client.post(f"/admin/agenda/{entry_id}/delete").status_code == 404
    assert entries(app)[0][2] == "Lịch của văn phòng đất đai"


def test_a_week_that_cannot_be_read_falls_back_to_this_week(client, login):
    login("clerk")
    page = client.get("/admin/agenda/?week=not-a-date").text
    assert "02/03/2026 – 08/03/2026" in page


def test_forms_carry_a_csrf_token_and_a_post_without_one_saves_nothing(database_url, demo):
    csrf_app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    page = client.get("/auth/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    client.post("/auth/login", data={"username": "clerk", "password": seed.DEMO_PASSWORD, "csrf_token": token})
    assert 'name="csrf_token"' in client.get("/admin/agenda/new").text
    assert client.post("/admin/agenda/new", data=GOOD_ENTRY).status_code == 400
    assert entries(csrf_app) == []
    entry_id = add_entry(csrf_app, date(2026, 3, 6), "Họp giao ban")
    week = client.get("/admin/agenda/?week=2026-03-06").text
    assert f'action="/admin/agenda/{entry_id}/delete"' in week and 'name="csrf_token"' in week
    assert client.post(f"/admin/agenda/{entry_id}/delete").status_code == 400
    assert len(entries(csrf_app)) == 1
    with csrf_app.app_context():
        db.engine.dispose()
