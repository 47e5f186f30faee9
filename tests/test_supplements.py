"""Supplement pauses (Form 02) and the apology (Form 04): the arithmetic and the rules of domain.md §3."""
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from lifecycle import build, people, receive
from onestop import calendars, seed, supplements, workflow
from onestop.clock import VN
from onestop.errors import WorkflowError
from onestop.extensions import db
from onestop.models import Agency, Dossier, DossierStatus, Event, Timeliness


def at(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=VN)


def test_the_worked_example_of_domain_md_moves_due_at_by_exactly_the_paused_working_time(session, demo):
    users, calendar = people(), calendars.current()
    dossier = receive(at=at("03/03/2025 08:00"))  # Mon, 3 working days
    assert dossier.due_at == at("06/03/2025 08:00")
    workflow.hand_over(dossier, users["clerk"], to_user=users["officer"], now=at("03/03/2025 08:30"))
    supplements.request_supplement(dossier, users["officer"], reason="Thiếu văn bản cử người giám hộ",
                                   items=["Văn bản cử người giám hộ"], now=at("04/03/2025 08:00"))
    assert dossier.is_paused and dossier.pauses[0].started_at == at("04/03/2025 08:00")

    event = supplements.resume(dossier, users["clerk"], now=at("10/03/2025 09:00"), calendar=calendar)
    assert dossier.due_at == at("12/03/2025 09:00") and dossier.promised_at == dossier.due_at
    assert dossier.pauses[0].ended_at == at("10/03/2025 09:00")
    # Tue 7 h + Wed, Thu, Fri 8 h each + Mon 07:00–09:00 = 33 working hours.
    assert "lùi thêm 33 giờ làm việc, từ 08:00 06/03/2025 sang 09:00 12/03/2025" in event.note
    assert event.data["moved_seconds"] == 33 * 3600
    assert (event.from_status, event.to_status) == ("awaiting_supplement", "processing")
    assert dossier.holder_user == users["officer"]  # the officer who asked carries on


def test_a_second_supplement_request_is_refused(session, demo):
    users = people()
    dossier = build("supplemented")
    with pytest.raises(WorkflowError, match="chỉ được yêu cầu bổ sung một lần"):
        supplements.request_supplement(dossier, users["officer"], reason="Lại thiếu", items=["Giấy tờ khác"],
                                       now=at("03/03/2026 10:00"))
    assert len(dossier.pauses) == 1 and dossier.status == DossierStatus.PROCESSING


@pytest.mark.parametrize(("reason", "items", "message"), [
    ("", ["Giấy khai sinh"], "Cần ghi lý do yêu cầu bổ sung."),
    ("Thiếu giấy tờ", ["", "  "], "Cần liệt kê ít nhất một giấy tờ"),
])
def test_a_supplement_request_needs_a_reason_and_the_list_of_documents(session, demo, reason, items, message):
    users = people()
    dossier = build("processing")
    with pytest.raises(WorkflowError, match=message):
        supplements.request_supplement(dossier, users["officer"], reason=reason, items=items,
                                       now=at("03/03/2026 10:00"))
    assert dossier.pauses == [] and dossier.status == DossierStatus.PROCESSING


def test_a_promise_set_by_an_apology_stays_when_the_pause_ends(session, demo):
    users, calendar = people(), calendars.current()
    dossier = build("apologized")
    promise = dossier.promised_at
    supplements.request_supplement(dossier, users["officer"], reason="Thiếu", items=["Giấy tờ"],
                                   now=at("03/03/2026 08:00"))
    supplements.resume(dossier, users["officer"], now=at("04/03/2026 08:00"), calendar=calendar)
    assert dossier.due_at == at("06/03/2026 08:00")  # one working day of pause
    assert dossier.promised_at == promise


def test_the_paused_dossier_page_says_it_waits_instead_of_a_due_date_and_prints_form_02(app, client, login):
    with app.app_context():
        code = build("awaiting_supplement").code
        db.session.commit()
    login("clerk")
    page = client.get(f"/desk/dossiers/{code}").text
    assert "tạm dừng chờ bổ sung" in page and "In phiếu yêu cầu bổ sung (mẫu 02)" in page
    assert "Đã nhận bổ sung — tiếp tục xử lý" in page  # the clerk may resume
    slip = client.get(f"/desk/dossiers/{code}/supplement").text
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in slip
    assert "Văn bản cử người giám hộ" in slip and "Thiếu giấy tờ" in slip and "NGƯỜI HƯỚNG DẪN" in slip
    assert 'css/print.css' in slip and "<script>" not in slip


def test_form_02_is_not_found_for_a_dossier_never_paused(app, client, login):
    with app.app_context():
        code = build("processing").code
        db.session.commit()
    login("clerk")
    assert client.get(f"/desk/dossiers/{code}/supplement").status_code == 404


# Apology (Form 04)

def test_an_apology_moves_the_promise_not_the_legal_deadline(session, demo):
    users, calendar = people(), calendars.current()
    dossier = build("processing")
    due, new = dossier.due_at, at("09/03/2026 17:00")
    event = supplements.apologize(dossier, users["leader"], reason="Chờ kết quả xác minh", new_promised_at=new,
                                  now=at("03/03/2026 10:00"), calendar=calendar)
    assert dossier.promised_at == new and dossier.due_at == due
    assert event.data["warning"] == ""  # a day and a half left: no warning
    assert "Hẹn trả chuyển từ 08:00 05/03/2026 sang 17:00 09/03/2026" in event.public_note


def test_an_apology_with_less_than_a_working_day_left_warns_but_is_recorded(session, demo):
    users = people()
    dossier = build("processing")  # due Thu 05/03 08:00; Wed 10:00 leaves 1.5 + 3.5 + 1 = 6 working hours
    event = supplements.apologize(dossier, users["leader"], reason="Chờ kết quả xác minh",
                                  new_promised_at=at("09/03/2026 17:00"), now=at("04/03/2026 10:00"),
                                  calendar=calendars.current())
    assert "chỉ còn 6 giờ làm việc" in event.data["warning"]
    assert dossier.promised_at == at("09/03/2026 17:00")


def test_an_apology_after_the_deadline_is_accepted_and_marked_late(session, demo):
    # Issue 14: the desk must be able to give an overdue citizen a new date; the apology says it is late.
    users = people()
    dossier = build("processing")
    event = supplements.apologize(dossier, users["leader"], reason="Muộn", new_promised_at=at("09/03/2026 17:00"),
                                  now=at("05/03/2026 08:01"), calendar=calendars.current())
    assert dossier.promised_at == at("09/03/2026 17:00") and dossier.due_at == at("05/03/2026 08:00")
    assert event.data["late"] is True and event.timeliness == Timeliness.ON_TIME  # same day: judged on time
    late = supplements.apologize(build("processing"), users["leader"], reason="Muộn",
                                 new_promised_at=at("10/03/2026 09:00"), now=at("06/03/2026 10:00"),
                                 calendar=calendars.current())
    assert late.data["late"] is True and late.timeliness == Timeliness.LATE and "quá hạn" in late.note


@pytest.mark.parametrize("new", ["08/03/2026 10:00", "09/03/2026 12:00", "09/03/2026 18:00", "30/04/2026 09:00"])
def test_the_new_promise_must_be_a_working_moment(session, demo, new):
    # Sunday; the lunch break; the evening; a public holiday (30/04): none is a time the desk can hand back.
    users = people()
    dossier = build("processing")
    with pytest.raises(WorkflowError, match="không phải thời gian làm việc") as refused:
        supplements.apologize(dossier, users["leader"], reason="Chờ", new_promised_at=at(new),
                              now=at("03/03/2026 10:00"), calendar=calendars.current())
    assert refused.value.field == "new_promised_at" and not supplements.has_apologized(dossier)


def test_only_one_apology_per_dossier(session, demo):
    users = people()
    dossier = build("apologized")
    promise = dossier.promised_at
    with pytest.raises(WorkflowError, match="mỗi cơ quan chỉ được hẹn lại một lần"):
        supplements.apologize(dossier, users["leader"], reason="Lần nữa", new_promised_at=promise + timedelta(days=3),
                              now=at("03/03/2026 10:00"), calendar=calendars.current())
    assert dossier.promised_at == promise


def test_each_agency_at_fault_apologises_once(session, demo):
    # Issue 14: once per agency at fault: the partner holding the dossier may apologise for its own delay.
    users = people()
    land_office = db.session.scalar(sa.select(Agency).where(Agency.code == "000.00.31.H57"))
    partner_leader = seed.ensure_user("landlead", "Ngô Văn Tài", ["leader"], land_office, "demo")
    dossier = build("at_partner")
    calendar = calendars.current()
    supplements.apologize(dossier, users["leader"], reason="Chờ kết quả đo đạc", new_promised_at=at("09/03/2026 08:00"),
                          now=at("03/03/2026 10:00"), calendar=calendar)
    event = supplements.apologize(dossier, partner_leader, reason="Chậm đo đạc", new_promised_at=at("10/03/2026 08:00"),
                                  now=at("03/03/2026 11:00"), calendar=calendar)
    assert event.data["agency_name"] == land_office.name and dossier.promised_at == at("10/03/2026 08:00")
    for leader in (users["leader"], partner_leader):
        with pytest.raises(WorkflowError, match="mỗi cơ quan chỉ được hẹn lại một lần"):
            supplements.apologize(dossier, leader, reason="Lần nữa", new_promised_at=at("11/03/2026 08:00"),
                                  now=at("03/03/2026 14:00"), calendar=calendar)
    assert dossier.promised_at == at("10/03/2026 08:00")


@pytest.mark.parametrize("new", ["05/03/2026 08:00", "04/03/2026 17:00"])
def test_the_new_promise_must_be_later_than_the_current_one(session, demo, new):
    users = people()
    dossier = build("processing")
    with pytest.raises(WorkflowError, match="phải sau ngày hẹn hiện tại") as refused:
        supplements.apologize(dossier, users["leader"], reason="Chờ", new_promised_at=at(new),
                              now=at("03/03/2026 10:00"), calendar=calendars.current())
    assert refused.value.field == "new_promised_at"
    assert dossier.promised_at == at("05/03/2026 08:00") and not supplements.has_apologized(dossier)


def test_the_leader_apologises_from_the_dossier_page_sees_the_warning_and_prints_form_04(app, client, login):
    with app.app_context():
        code = receive(at=at("04/03/2026 08:00")).code  # due Mon 09/03 08:00; now Thu 05/03 09:00
        db.session.commit()
    login("leader")
    response = client.post(f"/desk/dossiers/{code}/actions/apologize", follow_redirects=True,
                           data={"reason": "Chờ ý kiến cơ quan cấp trên", "new_promised_at": "2026-03-12T17:00"})
    assert "Đã ghi nhận “Xin lỗi, hẹn lại ngày trả”" in response.text
    assert "flash-warning" not in response.text  # two working days left
    with app.app_context():
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == code))
        assert dossier.promised_at == at("12/03/2026 17:00") and dossier.due_at == at("09/03/2026 08:00")
    slip = client.get(f"/desk/dossiers/{code}/apology").text
    # Received in 2026: Form 04 of Circular 03/2025, an apology that asks the citizen for an extension.
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in slip and "Chờ ý kiến cơ quan cấp trên" in slip
    assert "Mẫu số 04" in slip and "đề nghị ông (bà) đồng ý gia hạn" in slip
    assert "17 giờ 00 phút, ngày 12/03/2026" in slip and "08 giờ 00 phút, ngày 09/03/2026" in slip


def test_an_apology_with_an_unreadable_date_saves_nothing(app, client, login):
    with app.app_context():
        code = receive(at=at("04/03/2026 08:00")).code
        db.session.commit()
    login("leader")
    response = client.post(f"/desk/dossiers/{code}/actions/apologize", follow_redirects=True,
                           data={"reason": "Chờ", "new_promised_at": "mai"})
    assert "Cần chọn ngày giờ hẹn trả mới" in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Event.id)).where(Event.action == "apologize")) == 0


def test_resuming_adds_the_supplied_papers_to_the_documents_and_says_so(session, demo):
    from lifecycle import build

    dossier = build("supplemented")  # asked for "Văn bản cử người giám hộ", then resumed
    assert {"name": "Văn bản cử người giám hộ", "kind": "original", "count": 1} in dossier.documents
    resumed = [event for event in dossier.events if event.action == "resume"][-1]
    assert "Giấy tờ đã bổ sung: Văn bản cử người giám hộ." in resumed.note
