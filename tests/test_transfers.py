"""Inter-agency legs: their deadlines, who returns them, a leg that runs late, and where they show up."""
from datetime import datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from lifecycle import LAND_OFFICE, POLICE, build, people, receive
from onestop import calendars, dossiers, handovers, supplements, transfers, workflow
from onestop.clock import VN
from onestop.errors import WorkflowError
from onestop.extensions import db
from onestop.models import Dossier, DossierStatus, Leg


def at(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=VN)


def processing(procedure_code="1.004837", received="02/03/2026 08:00"):
    users = people()
    dossier = receive(procedure_code, at=at(received))
    workflow.hand_over(dossier, users["clerk"], to_user=users["officer"], now=at(received).replace(minute=30))
    return dossier, users


@pytest.mark.parametrize(("share", "sent", "due"), [
    (2, "02/03/2026 09:00", "04/03/2026 09:00"),
    (Decimal("0.5"), "02/03/2026 09:00", "02/03/2026 15:00"),  # 4 h: 09:00–11:30 and 13:30–15:00
    (1, "06/03/2026 16:00", "09/03/2026 16:00"),                 # over the weekend
    # Sent on the Hùng Kings day off (observed Mon 27/04): counting starts Tue 07:00; Tue, Wed, then 30/04
    # and 01/05 are off too, so the third day is Mon 04/05, used up at 17:00.
    (3, "27/04/2026 08:00", "04/05/2026 17:00"),
])
def test_a_legs_due_date_is_its_share_of_working_time_from_sending(session, demo, share, sent, due):
    dossier, users = processing()
    transfers.send_to_partner(dossier, users["officer"], agency_code=LAND_OFFICE, share=share, now=at(sent),
                              calendar=calendars.current())
    leg = dossier.legs[0]
    assert leg.due_at == at(due) == transfers.leg_due_at(leg, calendars.current())
    assert (leg.sent_at, leg.sent_by, leg.partner.code) == (at(sent), users["officer"], LAND_OFFICE)
    assert dossier.status == DossierStatus.AT_PARTNER and dossier.holder_user is None
    assert dossier.holder_agency.code == LAND_OFFICE


def test_the_procedures_route_gives_the_partner_and_its_share(session, demo):
    dossier, users = processing("XA.DD.02", received="02/03/2026 08:00")  # land office: 20 of 30 working days
    partners = transfers.partner_choices(dossier)
    assert (partners[0][0].code, partners[0][1]) == (LAND_OFFICE, Decimal("20"))
    event = transfers.send_to_partner(dossier, users["officer"], agency_code=LAND_OFFICE, now=at("02/03/2026 09:00"),
                                      calendar=calendars.current())
    assert dossier.legs[0].share_value == Decimal("20")
    assert dossier.legs[0].due_at == at("30/03/2026 09:00")
    assert "hạn trả lại: 09:00 30/03/2026" in event.note


def test_a_partner_off_the_route_needs_a_share_and_nothing_is_sent_without_one(session, demo):
    dossier, users = processing()
    with pytest.raises(WorkflowError, match="cần ghi thời hạn giải quyết của cơ quan phối hợp") as refused:
        transfers.send_to_partner(dossier, users["officer"], agency_code=LAND_OFFICE, now=at("02/03/2026 09:00"),
                                  calendar=calendars.current())
    assert refused.value.field == "share"
    assert dossier.legs == [] and dossier.status == DossierStatus.PROCESSING


@pytest.mark.parametrize(("code", "message"), [("000.99.99.H57", "Không tìm thấy cơ quan"),
                                               ("000.13.31.H57", "chính cơ quan tiếp nhận")])
def test_sending_to_an_unknown_agency_or_to_itself_is_refused(session, demo, code, message):
    dossier, users = processing()
    with pytest.raises(WorkflowError, match=message):
        transfers.send_to_partner(dossier, users["officer"], agency_code=code, share=1, now=at("02/03/2026 09:00"),
                                  calendar=calendars.current())
    assert dossier.legs == []


def test_a_leg_that_runs_late_is_judged_late_against_its_own_deadline(session, demo):
    dossier, users = processing("XA.DD.02")  # the dossier itself has 30 working days
    calendar = calendars.current()
    transfers.send_to_partner(dossier, users["officer"], agency_code=LAND_OFFICE, share=2, now=at("02/03/2026 09:00"),
                              calendar=calendar)
    assert dossier.legs[0].due_at == at("04/03/2026 09:00")
    event = transfers.partner_returned(dossier, users["partner"], note="Đã đo đạc", now=at("06/03/2026 10:00"))
    assert event.timeliness.value == "late" and event.step_due_at == at("04/03/2026 09:00")
    assert (event.from_user, event.to_user) == (users["partner"], users["officer"])
    assert dossier.legs[0].returned_at == at("06/03/2026 10:00")
    assert dossier.status == DossierStatus.PROCESSING and dossier.holder_user == users["officer"]
    # The dossier's own deadline is still far away: the sending step was early.
    rows = handovers.control_rows(dossier)
    assert [(row["action"], row["timeliness"].value) for row in rows] == [
        ("hand_over", "early"), ("send_to_partner", "early"), ("partner_returned", "late")]
    assert rows[2]["giver"] == "Chi nhánh Văn phòng Đăng ký đất đai thành phố Huế tại Quảng Thọ (Hoàng Thị Lan)"


def test_an_external_partners_return_is_recorded_by_the_desk(session, demo):
    dossier, users = processing()
    transfers.send_to_partner(dossier, users["officer"], agency_code=POLICE, share=1, now=at("02/03/2026 09:00"),
                              calendar=calendars.current())
    with pytest.raises(WorkflowError, match="không dùng hệ thống"):
        transfers.partner_returned(dossier, users["officer2"], now=at("02/03/2026 15:00"))
    event = transfers.partner_returned(dossier, users["clerk"], now=at("02/03/2026 15:00"))
    assert event.from_user is None and event.from_agency.code == POLICE and event.timeliness.value == "early"
    assert dossier.holder_user == users["officer"]  # back to the sender, not to the clerk who scanned it


def test_a_dossier_can_go_to_several_partners_one_after_the_other(session, demo):
    dossier, users = processing()
    calendar = calendars.current()
    transfers.send_to_partner(dossier, users["officer"], agency_code=POLICE, share=1, now=at("02/03/2026 09:00"),
                              calendar=calendar)
    with pytest.raises(WorkflowError, match="Đang liên thông"):  # one open leg at a time
        transfers.send_to_partner(dossier, users["officer"], agency_code=LAND_OFFICE, share=1,
                                  now=at("02/03/2026 09:30"), calendar=calendar)
    transfers.partner_returned(dossier, users["officer"], now=at("02/03/2026 14:00"))
    transfers.send_to_partner(dossier, users["officer"], agency_code=LAND_OFFICE, share=1, now=at("02/03/2026 14:30"),
                              calendar=calendar)
    assert [leg.partner.code for leg in dossier.legs] == [POLICE, LAND_OFFICE]
    assert [agency.code for agency in handovers.co_operating_agencies(dossier)] == [POLICE, LAND_OFFICE]


def test_a_partner_user_sees_the_leg_in_the_inbox_and_returns_it_there(app, client, login):
    with app.app_context():
        dossier = build("at_partner")  # sent Mon 02/03 with one working day: due Tue 03/03, late by now
        code, sent_by = dossier.code, dossier.legs[0].sent_by.username
        db.session.commit()
    login("partner")
    inbox = client.get("/desk/inbox").text
    incoming = inbox.split('id="incoming"')[1].split("</section>")[0]
    assert code in incoming and 'class="overdue"' in incoming and "quá hạn" in incoming
    assert client.get(f"/desk/dossiers/{code}").status_code == 200  # read-only while the leg is open (issue 17)
    response = client.post(f"/desk/dossiers/{code}/actions/partner_returned",
                           data={"note": "Đã xác nhận ranh giới", "back": "inbox"})
    assert response.status_code == 302 and response.location.endswith("/desk/inbox")
    with app.app_context():
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == code))
        assert dossier.status == DossierStatus.PROCESSING and dossier.holder_user.username == sent_by
        assert dossier.events[-1].timeliness.value == "late" and "Đã xác nhận ranh giới" in dossier.events[-1].note
    assert code not in client.get("/desk/inbox").text.split('id="incoming"')[1].split("</section>")[0]
    assert client.get(f"/desk/dossiers/{code}").status_code == 404  # the leg is closed: no more


def test_another_partner_agency_cannot_return_the_leg(app, client, login):
    with app.app_context():
        code = build("at_partner").code
        db.session.commit()
    login("officer")  # the sender may not record an on-install partner's return
    response = client.post(f"/desk/dossiers/{code}/actions/partner_returned", follow_redirects=True)
    assert "Chỉ cán bộ của Chi nhánh Văn phòng Đăng ký đất đai" in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(Leg.returned_at)) is None


def test_the_dossier_page_says_where_the_dossier_is_and_the_step_deadline(app, client, login):
    with app.app_context():
        code = build("at_partner").code
        db.session.commit()
    login("officer")
    page = client.get(f"/desk/dossiers/{code}").text
    assert "Đang ở Chi nhánh Văn phòng Đăng ký đất đai thành phố Huế tại Quảng Thọ, hạn bước: 08:40 03/03/2026" in page
    assert "quá hạn" in page  # now is Thu 05/03


def test_the_leaders_inbox_flags_overdue_legs(app, client, login):
    with app.app_context():
        late = build("at_partner").code
        db.session.commit()
    login("leader")
    page = client.get("/desk/inbox").text
    section = page.split('id="legs-overdue"')[1].split("</section>")[0]
    assert late in section and "(1)" in section


def test_the_dossier_page_lists_each_step_once_with_legs_and_a_pause(app, client, login):
    """The page loads the history, the pause and the legs in one joined query: no row may come twice."""
    with app.app_context():
        dossier, users = processing()
        calendar, officer = calendars.current(), users["officer"]
        supplements.request_supplement(dossier, officer, reason="Thiếu tờ khai", items=["Tờ khai"],
                                       now=at("02/03/2026 08:40"), calendar=calendar)
        supplements.resume(dossier, officer, now=at("02/03/2026 08:50"), calendar=calendar)
        for partner, day, returner in ((POLICE, "02", officer), (LAND_OFFICE, "03", users["partner"])):
            transfers.send_to_partner(dossier, officer, agency_code=partner, share=1,
                                      now=at(f"{day}/03/2026 09:00"), calendar=calendar)
            transfers.partner_returned(dossier, returner, now=at(f"{day}/03/2026 14:00"))
        code, steps = dossier.code, len(dossier.events)
        db.session.commit()
    login("officer")
    page = client.get(f"/desk/dossiers/{code}").text
    timeline = page.split('class="timeline"')[1].split("</ol>")[0]
    assert timeline.count("<li>") == steps == 8
    assert timeline.count("Thiếu tờ khai") == 1
    with app.app_context():
        loaded = dossiers.find_by_code(code, history=True)
        assert [leg.partner.code for leg in loaded.legs] == [POLICE, LAND_OFFICE] and len(loaded.pauses) == 1
        assert [event.id for event in loaded.events] == sorted(event.id for event in loaded.events)
