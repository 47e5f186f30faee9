"""The reception desk: intake, the scan box, search and the desk lists (returning results: test_desk_actions)."""
import html
import json
import re
from datetime import datetime

import sqlalchemy as sa

from onestop import calendars, dossiers
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import Dossier, DossierStatus, Procedure, User

GOOD = {
    "procedure_code": "1.004837", "applicant_name": "Phạm Văn Dũng", "id_number": "046012345678",
    "phone": "0912 345 678", "email": "dung@example.vn", "address": "Thôn Phước Yên", "channel": "direct",
    "quantity": "1", "result_delivery": "desk", "note": "",
    "doc_checked": ["0"], "doc_name_0": "Tờ khai đăng ký giám hộ theo mẫu", "doc_kind_0": "original", "doc_count_0": "1",
}


def count_dossiers(app):
    with app.app_context():  # a fresh context: sees only what was committed
        return db.session.scalar(sa.select(sa.func.count(Dossier.id)))


def receive(app, procedure_code="1.004837", name="Trần Thị Bình", now=datetime(2026, 3, 5, 9, 0, tzinfo=VN),
            status=None):
    with app.app_context():
        procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == procedure_code))
        clerk = db.session.scalar(sa.select(User).where(User.username == "clerk"))
        dossier = dossiers.receive(procedure, dossiers.Applicant(name=name, phone="0987654321"), dossiers.Intake(),
                                   agency=clerk.agency, clerk=clerk, now=now, calendar=calendars.current())
        if status:
            dossier.status = status
        db.session.commit()
        return dossier.code


def test_intake_saves_the_dossier_with_code_appointment_and_receive_event(app, client, login):
    login("clerk")
    response = client.post("/desk/receive", data=GOOD)
    assert response.status_code == 302
    with app.app_context():
        dossier = db.session.scalar(sa.select(Dossier))
        assert dossier.code == "000.13.31.H57-260305-0001"
        assert response.location.endswith(f"/desk/dossiers/{dossier.code}")
        # Thu 05/03/2026 09:00 + 3 working days → Tue 10/03/2026 09:00.
        assert dossier.due_at == datetime(2026, 3, 10, 9, 0, tzinfo=VN)
        assert dossier.promised_at == dossier.due_at
        assert dossier.applicant_phone == "0912345678"
        assert dossier.documents == [{"name": "Tờ khai đăng ký giám hộ theo mẫu", "kind": "original", "count": 1}]
        assert (dossier.book_number, dossier.ledger_number) == ("2026", 1)
        assert [event.action for event in dossier.events] == ["receive"]
    page = client.get(response.location).text
    assert "000.13.31.H57-260305-0001" in page and "09:00 10/03/2026" in page


def test_codes_restart_each_day_and_ledger_numbers_run_on(app, demo):
    first = receive(app, now=datetime(2026, 3, 5, 9, 0, tzinfo=VN))
    second = receive(app, now=datetime(2026, 3, 5, 16, 0, tzinfo=VN))
    next_day = receive(app, now=datetime(2026, 3, 6, 8, 0, tzinfo=VN))
    assert [first, second, next_day] == ["000.13.31.H57-260305-0001", "000.13.31.H57-260305-0002",
                                         "000.13.31.H57-260306-0001"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.max(Dossier.ledger_number))) == 3


def test_invalid_intake_shows_vietnamese_messages_keeps_input_and_saves_nothing(app, client, login):
    login("clerk")
    bad = {**GOOD, "applicant_name": "", "id_number": "12345", "phone": "0123", "email": "khong-hop-le",
           "quantity": "0"}
    response = client.post("/desk/receive", data=bad)
    assert response.status_code == 200
    page = response.text
    for message in ("Cần nhập họ tên người nộp hồ sơ.", "phải gồm đúng 12 chữ số", "Số điện thoại không hợp lệ",
                    "Địa chỉ thư điện tử không hợp lệ.", "Số bộ hồ sơ phải từ 1 đến 99."):
        assert message in page
    assert 'value="Thôn Phước Yên"' in page  # what the clerk typed is still there
    kept = json.loads(html.unescape(re.search(r'data-checked="([^"]*)"', page).group(1)))
    assert kept == [{"name": "Tờ khai đăng ký giám hộ theo mẫu", "kind": "original", "count": 1}]  # re-checked
    assert count_dossiers(app) == 0


def test_unknown_procedure_is_refused(app, client, login):
    login("clerk")
    response = client.post("/desk/receive", data={**GOOD, "procedure_code": "9.999999"})
    assert "Không tìm thấy thủ tục có mã này" in response.text
    assert count_dossiers(app) == 0


def test_landline_and_international_mobile_numbers_are_accepted(app, client, login):
    login("clerk")
    assert client.post("/desk/receive", data={**GOOD, "phone": "0234 3123 456"}).status_code == 302
    assert client.post("/desk/receive", data={**GOOD, "phone": "+84 912 345 678"}).status_code == 302
    assert count_dossiers(app) == 2


def test_scanning_a_code_opens_the_dossier(app, client, login):
    code = receive(app)
    login("clerk")
    response = client.get("/desk/scan", query_string={"code": f"  {code.lower()}\n"})
    assert response.status_code == 302 and response.location.endswith(f"/desk/dossiers/{code}")


def test_scanning_an_unknown_code_says_so_and_returns_to_the_page(app, client, login):
    login("clerk")
    response = client.get("/desk/scan", query_string={"code": "000.13.31.H57-260305-0042"},
                          headers={"Referer": "http://localhost/desk/search"})
    assert response.location == "http://localhost/desk/search"
    assert "Không tìm thấy hồ sơ có mã “000.13.31.H57-260305-0042”" in client.get("/desk/search").text


def test_search_finds_by_name_without_accents_phone_and_code(app, client, login):
    code = receive(app, name="Trần Thị Bình")
    receive(app, name="Lê Văn Tám")
    login("clerk")
    for query in ("tran thi binh", "Bình", "0987654321", code[-11:]):
        page = client.get("/desk/search", query_string={"q": query}).text
        assert code in page, query
        assert "Lê Văn Tám" not in page or query == "0987654321"


def test_desk_home_lists_today_due_overdue_and_ready(app, client, login):
    today = receive(app, name="Hôm Nay")
    late = receive(app, name="Quá Hạn", now=datetime(2026, 2, 23, 9, 0, tzinfo=VN))
    ready = receive(app, name="Chờ Trả", now=datetime(2026, 3, 2, 9, 0, tzinfo=VN), status=DossierStatus.RESULT_READY)
    login("clerk")
    page = client.get("/desk/").text
    sections = {name: page.split(f'id="{name}"')[1].split("</section>")[0] for name in ("received", "overdue", "ready")}
    assert today in sections["received"] and late not in sections["received"]
    assert late in sections["overdue"] and today not in sections["overdue"]
    assert ready in sections["ready"]


def test_another_agencys_dossier_is_not_found(app, client, login):
    code = receive(app)
    login("partner")  # a user of the land registration office
    assert client.get(f"/desk/dossiers/{code}").status_code == 404
