"""The workflow on the desk pages: the actions panel, one POST per step, the inboxes and Form 05."""
import re

import pytest
import sqlalchemy as sa

from conftest import make_app
from lifecycle import build, people
from onestop.extensions import db
from onestop.models import Dossier, DossierStatus, Event


def make(app, state: str) -> str:
    with app.app_context():
        code = build(state).code
        db.session.commit()
        return code


def load(app, code: str):
    with app.app_context():  # a fresh context: only what was committed
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == code))
        return dossier.status, dossier.holder_user.username if dossier.holder_user else None, len(dossier.events)


def panel(page: str) -> str:
    return page.split('id="actions"')[1].split("</section>")[0]


def test_scanning_a_folder_held_by_someone_else_offers_to_receive_it_first(app, client, login):
    code = make(app, "received")
    login("officer")
    page = client.get(f"/desk/scan?code={code}", follow_redirects=True).text
    buttons = re.findall(r'<button type="submit"[^>]*>([^<]+)</button>', panel(page))
    assert buttons[0] == "Nhận hồ sơ từ Lê Thị Thu"
    assert "Giao hồ sơ cho" not in panel(page) and "Từ chối giải quyết" not in panel(page)
    client.post(f"/desk/dossiers/{code}/actions/hand_over", data={"to_user": "officer"})
    assert load(app, code)[:2] == (DossierStatus.PROCESSING, "officer")


def test_the_holder_is_offered_only_the_steps_valid_now(app, client, login):
    code = make(app, "processing")
    login("officer")
    actions = set(re.findall(r'data-action="(\w+)"', panel(client.get(f"/desk/dossiers/{code}").text)))
    assert actions == {"hand_over", "request_supplement", "send_to_partner", "submit_for_approval"}


def test_a_leader_sees_refusal_and_apology_but_no_approval_before_submission(app, client, login):
    code = make(app, "processing")
    login("leader")
    actions = set(re.findall(r'data-action="(\w+)"', panel(client.get(f"/desk/dossiers/{code}").text)))
    # Now is Thu 05/03 09:00, past the due 08:00: a late apology is still offered (issue 14: the desk must be
    # able to give an overdue citizen a new date), and the 2025 regime lets a leader stop the dossier.
    assert actions == {"hand_over", "refuse", "apologize", "stop"}


def test_a_refused_step_says_why_and_saves_nothing(app, client, login):
    code = make(app, "processing")
    before = load(app, code)
    login("officer2")
    response = client.post(f"/desk/dossiers/{code}/actions/submit_for_approval", follow_redirects=True)
    assert "Chỉ người đang giữ hồ sơ mới được trình lãnh đạo phê duyệt." in response.text
    assert load(app, code) == before


def test_bad_input_gets_a_vietnamese_message_and_saves_nothing(app, client, login):
    code = make(app, "processing")
    before = load(app, code)
    login("officer")
    response = client.post(f"/desk/dossiers/{code}/actions/request_supplement", data={"reason": "", "items": ""},
                           follow_redirects=True)
    assert "Cần ghi lý do yêu cầu bổ sung." in response.text and "Cần liệt kê giấy tờ cần bổ sung." in response.text
    response = client.post(f"/desk/dossiers/{code}/actions/hand_over", data={"to_user": "nobody"},
                           follow_redirects=True)
    assert "Không tìm thấy cán bộ có tên đăng nhập này." in response.text
    assert load(app, code) == before


def test_an_unknown_step_or_another_agencys_dossier_is_not_found(app, client, login):
    code = make(app, "processing")
    login("officer")
    assert client.post(f"/desk/dossiers/{code}/actions/delete").status_code == 404
    login("partner")  # no leg to the land office: the dossier is not theirs to see
    assert client.post(f"/desk/dossiers/{code}/actions/hand_over", data={"to_user": "partner"}).status_code == 404


def test_the_panel_carries_a_csrf_token_and_a_post_without_it_is_refused(database_url, demo):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    code = make(app, "processing")
    client = app.test_client()
    page = client.get("/auth/login").text
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
    token = re.search(r'value="([^"]+)"', tag).group(1)
    client.post("/auth/login", data={"username": "officer", "password": "demo", "csrf_token": token})
    forms = panel(client.get(f"/desk/dossiers/{code}").text).split("<form")[1:]
    assert forms and all('name="csrf_token"' in form for form in forms)
    response = client.post(f"/desk/dossiers/{code}/actions/submit_for_approval")
    assert response.status_code == 400 and load(app, code)[0] == DossierStatus.PROCESSING
    with app.app_context():
        db.engine.dispose()


def test_a_result_is_marked_ready_then_returned_from_the_panel(app, client, login):
    code = make(app, "approved")
    login("officer")
    client.post(f"/desk/dossiers/{code}/actions/mark_ready")
    assert load(app, code)[:2] == (DossierStatus.RESULT_READY, None)
    login("clerk")
    page = client.get(f"/desk/dossiers/{code}").text
    assert "Xác nhận đã trả kết quả" in panel(page)
    client.post(f"/desk/dossiers/{code}/actions/return_result", data={"recipient": "Phạm Văn Dũng"})
    with app.app_context():
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == code))
        assert dossier.status == DossierStatus.RETURNED and dossier.returned_to == "Phạm Văn Dũng"
        assert dossier.timeliness is not None


def test_refusal_prints_form_03_with_its_reason(app, client, login):
    code = make(app, "processing")
    login("leader")
    client.post(f"/desk/dossiers/{code}/actions/refuse", data={"reason": "Người yêu cầu không đủ điều kiện giám hộ"})
    assert load(app, code)[0] == DossierStatus.REFUSED
    page = client.get(f"/desk/dossiers/{code}").text
    assert "In phiếu từ chối (mẫu 03)" in page
    slip = client.get(f"/desk/dossiers/{code}/refusal").text
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in slip
    assert "Người yêu cầu không đủ điều kiện giám hộ" in slip
    assert slip.index("CHỦ TỊCH") < slip.index("Nguyễn Văn Minh")  # signed by the refusing leader


def test_the_clerk_records_a_withdrawal_with_its_reason(app, client, login):
    code = make(app, "awaiting_supplement")
    login("clerk")
    client.post(f"/desk/dossiers/{code}/actions/withdraw", data={"reason": "Công dân không bổ sung được giấy tờ"})
    with app.app_context():
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == code))
        assert dossier.status == DossierStatus.WITHDRAWN and dossier.completed_at is not None
        assert dossier.events[-1].data["reason"] == "Công dân không bổ sung được giấy tờ"


def test_form_05_has_a_pair_of_rows_per_hand_over_with_times_and_results(app, client, login):
    code = make(app, "returned")
    login("clerk")
    slip = client.get(f"/desk/dossiers/{code}/control").text
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in slip
    rows = slip.split('<tbody class="handover"')[1:]
    assert [re.search(r'data-action="(\w+)"', "x" + row).group(1) for row in rows] == [
        "hand_over", "submit_for_approval", "approve", "mark_ready"]
    first = rows[0]
    assert "1. Giao: Bộ phận Tiếp nhận và Trả kết quả (Lê Thị Thu)" in first and "2. Nhận: Trần Văn Hùng" in first
    assert "08 giờ 20 phút, ngày 02/03/2026" in first and "Trước hạn" in first
    assert "2. Nhận: Lãnh đạo UBND xã Quảng Thọ" in rows[1]
    assert "2. Nhận: Bộ phận Tiếp nhận và Trả kết quả" in rows[3]


@pytest.mark.parametrize(("username", "sections"), [
    ("officer", ["mine", "due-today", "overdue", "supplement", "my-legs"]),
    ("leader", ["approval", "agency-overdue", "legs-overdue", "mine", "due-today", "overdue", "supplement",
                "my-legs"]),
    ("clerk", ["ready", "external", "mine", "due-today", "overdue", "supplement", "my-legs"]),
    ("partner", ["incoming", "mine", "due-today", "overdue", "supplement", "my-legs"]),
])
def test_each_role_has_its_inbox_sections_with_counts(client, login, username, sections):
    login(username)
    page = client.get("/desk/inbox").text
    assert re.findall(r'<section id="([\w-]+)"', page) == sections
    assert page.count("<b>0</b>") == len(sections)


def test_the_officers_inbox_sorts_by_due_time_and_marks_the_overdue_in_red(app, client, login):
    with app.app_context():
        users = people()
        late = build("processing").code  # due Thu 05/03 08:00, now 09:00
        from lifecycle import receive
        from onestop import workflow
        from datetime import datetime
        from onestop.clock import VN
        later = receive(at=datetime(2026, 3, 5, 8, 30, tzinfo=VN), name="Lê Văn Tám")
        workflow.hand_over(later, users["clerk"], to_user=users["officer"], now=datetime(2026, 3, 5, 8, 40, tzinfo=VN))
        paused = build("awaiting_supplement").code
        db.session.commit()
        later = later.code
    login("officer")
    page = client.get("/desk/inbox").text
    mine = page.split('id="mine"')[1].split("</section>")[0]
    assert mine.index(late) < mine.index(later) and paused not in mine
    overdue = page.split('id="overdue"')[1].split("</section>")[0]
    assert late in overdue and later not in overdue and 'class="overdue"' in overdue
    assert paused in page.split('id="supplement"')[1].split("</section>")[0]
    assert re.search(r'href="#overdue" class="alert">Quá hạn <b>1</b>', page)


def test_the_leaders_inbox_lists_what_waits_for_approval(app, client, login):
    code = make(app, "awaiting_approval")
    login("leader")
    page = client.get("/desk/inbox").text
    assert code in page.split('id="approval"')[1].split("</section>")[0]


def test_the_desks_inbox_lists_results_to_return(app, client, login):
    code = make(app, "result_ready")
    login("clerk")
    assert code in client.get("/desk/inbox").text.split('id="ready"')[1].split("</section>")[0]


def test_every_step_writes_exactly_one_event(app, client, login):
    code = make(app, "received")
    login("clerk")
    client.post(f"/desk/dossiers/{code}/actions/hand_over", data={"to_user": "officer"})
    with app.app_context():
        events = db.session.scalars(sa.select(Event).join(Dossier).where(Dossier.code == code)
                                    .order_by(Event.id)).all()
        assert [event.action for event in events] == ["receive", "hand_over"]
        assert events[1].actor.username == "clerk" and events[1].from_agency.code == "000.13.31.H57"
