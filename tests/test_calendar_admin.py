"""The admin calendar and settings pages, and `flask calendar show`."""
import html
import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from onestop import calendars, dossiers, settings
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import CalendarOverride, Dossier, Procedure, User

REASON = "Nghỉ bù theo thông báo của UBND tỉnh"
GOOD_SETTINGS = {
    "session1_start": "07:00", "session1_end": "11:30", "session2_start": "13:30", "session2_end": "17:00",
    "session3_start": "", "session3_end": "", "same_day_cutoff": "15:00", "place_name": "Quảng Thọ",
    "parent_body": "UBND HUYỆN QUẢNG ĐIỀN", "leader_name": "Nguyễn Văn Minh", "leader_title": "CHỦ TỊCH",
    "contact_phone": "0234 3551 234", "public_base_url": "https://motcua.quangtho.vn/",
    "kiosk_idle_seconds": "90", "display_poll_seconds": "5",
}


def receive(app) -> str:
    """A 3-working-day dossier received Thu 05/03/2026 09:00, due Tue 10/03/2026 09:00."""
    with app.app_context():
        procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == "1.004837"))
        clerk = db.session.scalar(sa.select(User).where(User.username == "clerk"))
        dossier = dossiers.receive(procedure, dossiers.Applicant(name="Trần Thị Bình"), dossiers.Intake(),
                                   agency=clerk.agency, clerk=clerk, now=datetime(2026, 3, 5, 9, 0, tzinfo=VN),
                                   calendar=calendars.current())
        db.session.commit()
        return dossier.code


def stored(app, code):
    """The dossier's due date and event actions, and the override days, as committed."""
    with app.app_context():  # a fresh context: sees only what was committed
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == code))
        days = list(db.session.scalars(sa.select(CalendarOverride.day)))
        return dossier.due_at, [event.action for event in dossier.events], days


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.text))


def words(response) -> str:
    """What the page says, without its tags."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text)))


ADMIN_PAGES = [("get", "/admin/calendar"), ("get", "/admin/settings"), ("post", "/admin/settings"),
               ("post", "/admin/calendar/overrides"), ("post", "/admin/calendar/overrides/1/remove")]


@pytest.mark.parametrize(("method", "url"), ADMIN_PAGES)
def test_calendar_and_settings_are_for_admins_only(app, client, login, method, url):
    login("clerk")
    response = getattr(client, method)(url, data={"day": "09/03/2026", "kind": "off", "reason": REASON,
                                                  "action": "save"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CalendarOverride.id))) == 0


def test_year_view_shows_days_off_make_up_days_and_today(client, login):
    login("admin")
    response = client.get("/admin/calendar?year=2026")
    page = text(response)
    assert "Lịch làm việc năm 2026" in page
    assert re.search(r'<td class="holiday" data-day="17/02/2026" title="Tết Nguyên đán Bính Ngọ[^"]*">17<span class="mark">L', page)
    assert re.search(r'<td class="makeup" data-day="22/08/2026" title="Làm bù cho thứ Hai 31/08/2026[^"]*">22'
                     r'<span class="mark">B', page)
    assert re.search(r'<td class=" today" data-day="05/03/2026" aria-current="date">5</td>', page)
    assert "L 17/02/2026 Tết Nguyên đán Bính Ngọ" in words(response)  # the list below the grids
    assert 'href="/admin/calendar?year=2025"' in page and 'href="/admin/calendar?year=2027"' in page


def test_year_view_of_2019_has_the_swapped_days(client, login):
    login("admin")
    page = words(client.get("/admin/calendar?year=2019"))
    assert "29/04/2019 Nghỉ thay cho thứ Bảy 04/05/2019" in page
    assert "04/05/2019 Làm bù cho thứ Hai 29/04/2019" in page
    assert client.get("/admin/calendar?year=1200").status_code == 404


@pytest.mark.parametrize(("data", "message"), [
    ({"day": "31/02/2026", "kind": "off", "reason": REASON}, "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy"),
    ({"day": "mai", "kind": "off", "reason": REASON}, "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy"),
    ({"day": "", "kind": "off", "reason": REASON}, "Cần nhập ngày điều chỉnh."),
    ({"day": "09/03/2026", "kind": "off", "reason": "  "}, "Cần ghi lý do điều chỉnh lịch."),
    ({"day": "08/03/2026", "kind": "off", "reason": REASON}, "Ngày 08/03/2026 vốn đã là ngày nghỉ (Chủ nhật)."),
    ({"day": "09/03/2026", "kind": "workday", "reason": REASON}, "Ngày 09/03/2026 vốn đã là ngày làm việc."),
    ({"day": "09/03/2026", "kind": "nghi", "reason": REASON}, "Loại điều chỉnh phải là ngày nghỉ hoặc ngày làm việc."),
])
@pytest.mark.parametrize("action", ["preview", "save"])
def test_bad_override_says_why_and_saves_nothing(app, client, login, data, message, action):
    login("admin")
    code = receive(app)
    response = client.post("/admin/calendar/overrides", data={**data, "action": action})
    assert response.status_code == 200
    assert message in text(response)
    assert stored(app, code) == (datetime(2026, 3, 10, 9, 0, tzinfo=VN), ["receive"], [])


def test_preview_lists_the_moving_dossier_and_saves_nothing(app, client, login):
    login("admin")
    code = receive(app)
    response = client.post("/admin/calendar/overrides",
                           data={"day": "09/03/2026", "kind": "off", "reason": REASON, "action": "preview"})
    page = text(response)
    assert "Xem trước: Thêm ngày nghỉ 09/03/2026" in page
    assert "1 hồ sơ đang giải quyết sẽ đổi ngày hẹn trả" in page
    row = re.search(rf"{re.escape(code)}.*?</tr>", page).group(0)
    assert "09:00 10/03/2026" in row and "09:00 11/03/2026" in row and "+1 ngày làm việc" in row
    assert '<input type="hidden" name="day" value="09/03/2026">' in page  # "Lưu" posts the same values
    assert stored(app, code) == (datetime(2026, 3, 10, 9, 0, tzinfo=VN), ["receive"], [])


def test_saving_moves_the_dossier_and_removing_moves_it_back(app, client, login):
    login("admin")
    code = receive(app)
    response = client.post("/admin/calendar/overrides",
                           data={"day": "09/03/2026", "kind": "off", "reason": REASON, "action": "save"})
    assert response.status_code == 302 and response.location.endswith("/admin/calendar?year=2026")
    assert stored(app, code) == (datetime(2026, 3, 11, 9, 0, tzinfo=VN), ["receive", "reschedule"], [date(2026, 3, 9)])
    page = text(client.get(response.location))
    assert "Đã lưu ngày nghỉ 09/03/2026; 1 hồ sơ được đổi hẹn." in page
    assert re.search(rf'<td class="override-off" data-day="09/03/2026" title="Nghỉ theo điều chỉnh: {REASON}">9'
                     r'<span class="mark">N', page)
    with app.app_context():
        override_id = db.session.scalar(sa.select(CalendarOverride.id))
    url = f"/admin/calendar/overrides/{override_id}/remove"
    preview = text(client.post(url, data={"action": "preview"}))
    assert "Xem trước: Bỏ ngày nghỉ 09/03/2026" in preview and "09:00 11/03/2026" in preview
    assert stored(app, code)[2] == [date(2026, 3, 9)]
    assert client.post(url, data={"action": "save"}).status_code == 302
    assert stored(app, code) == (datetime(2026, 3, 10, 9, 0, tzinfo=VN), ["receive", "reschedule", "reschedule"], [])


def test_settings_page_shows_the_sessions_and_hours_per_day(client, login):
    login("admin")
    page = text(client.get("/admin/settings"))
    assert re.search(r'name="session1_start"[^>]*value="07:00"', page)
    assert re.search(r'name="session2_end"[^>]*value="17:00"', page)
    assert re.search(r'name="session3_start"[^>]*value=""', page)
    assert "Mỗi ngày làm việc: <b" in page and ">8 giờ</b>" in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"session2_start": "11:00"}, "Các buổi làm việc phải theo thứ tự thời gian và không chồng lên nhau."),
    ({"session1_start": "12:00"}, "Buổi làm việc 12:00–11:30 phải kết thúc sau khi bắt đầu."),
    ({"session1_end": "25:00"}, "Buổi 1: giờ phải có dạng HH:MM trong ngày (00:00–23:59)."),
    ({"session3_start": "18:00"}, "Buổi 3: cần cả giờ bắt đầu và giờ kết thúc."),
    ({"session1_start": "", "session1_end": "", "session2_start": "", "session2_end": ""},
     "Cần ít nhất một buổi làm việc."),
    ({"same_day_cutoff": "3 giờ"}, "Giờ chốt phải có dạng HH:MM, ví dụ 15:00."),
    ({"place_name": ""}, "Cần nhập địa danh."),
    ({"public_base_url": "motcua.quangtho.vn"}, "Địa chỉ phải bắt đầu bằng http:// hoặc https://"),
    ({"kiosk_idle_seconds": "abc"}, "Thời gian chờ của ki-ốt phải là số giây từ 10 đến 3600."),
    ({"display_poll_seconds": "0"}, "Chu kỳ cập nhật màn hình sảnh phải là số giây từ 2 đến 600."),
    ({"contact_phone": "gọi xã"}, "Số điện thoại chỉ gồm chữ số"),
])
def test_bad_settings_say_why_and_save_nothing(app, client, login, changes, message):
    login("admin")
    response = client.post("/admin/settings", data={**GOOD_SETTINGS, **changes, "action": "save"})
    assert response.status_code == 200
    assert message in text(response)
    with app.app_context():
        assert settings.get_all() == settings.DEFAULTS


def test_settings_without_new_hours_save_at_once(app, client, login):
    login("admin")
    response = client.post("/admin/settings", data={**GOOD_SETTINGS, "action": "preview"})
    assert response.status_code == 302
    with app.app_context():
        values = settings.get_all()
    assert values["public_base_url"] == "https://motcua.quangtho.vn"
    assert (values["kiosk_idle_seconds"], values["display_poll_seconds"]) == (90, 5)
    assert values["contact_phone"] == "0234 3551 234"


def test_new_hours_are_previewed_then_move_open_dossiers(app, client, login):
    login("admin")
    code = receive(app)
    data = {**GOOD_SETTINGS, "session1_start": "09:30"}
    page = text(client.post("/admin/settings", data={**data, "action": "preview"}))
    assert "Xem trước: giờ làm việc mới" in page and "Mỗi ngày làm việc sẽ là <b>5 giờ 30 phút</b>" in page
    assert code in page and "09:00 10/03/2026" in page and "17:00 09/03/2026" in page
    with app.app_context():
        assert settings.get("sessions") == [["07:00", "11:30"], ["13:30", "17:00"]]
    assert stored(app, code)[:2] == (datetime(2026, 3, 10, 9, 0, tzinfo=VN), ["receive"])
    assert client.post("/admin/settings", data={**data, "action": "save"}).status_code == 302
    with app.app_context():
        assert settings.get("sessions") == [["09:30", "11:30"], ["13:30", "17:00"]]
    assert stored(app, code)[:2] == (datetime(2026, 3, 9, 17, 0, tzinfo=VN), ["receive", "reschedule"])


def test_calendar_show_prints_days_off_and_make_up_days(app, runner, demo):
    result = runner.invoke(args=["calendar", "show", "2019"])
    assert result.exit_code == 0, result.output
    days_off, workdays = result.output.split("Ngày làm bù / làm việc cuối tuần năm 2019:")
    assert days_off.startswith("Ngày nghỉ năm 2019:")
    assert "05/02/2019  Tết Nguyên đán Kỷ Hợi" in days_off
    assert "15/04/2019  Giỗ Tổ Hùng Vương (nghỉ bù)" in days_off  # Hùng Kings day fell on a Sunday
    assert "29/04/2019  Nghỉ thay cho thứ Bảy 04/05/2019" in days_off
    assert workdays.split("\n")[1:3] == ["  05/01/2019  Làm bù cho thứ Hai 31/12/2018",
                                         "  04/05/2019  Làm bù cho thứ Hai 29/04/2019"]


def test_calendar_show_includes_the_admin_overrides(app, runner, demo):
    with app.app_context():
        db.session.add(CalendarOverride(day=date(2026, 3, 9), kind="off", reason=REASON))
        db.session.add(CalendarOverride(day=date(2026, 3, 14), kind="workday", reason="Làm bù ngày 09/03"))
        db.session.commit()
    days_off, workdays = runner.invoke(args=["calendar", "show", "2026"]).output.split("Ngày làm bù")
    assert f"09/03/2026  {REASON}" in days_off
    assert "14/03/2026  Làm bù ngày 09/03" in workdays
