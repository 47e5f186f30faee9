"""JSON API v1 (DESIGN.md §6): tokens and roles, the catalogue, appointments, intake and the dossier list."""
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from onestop import calendars, collation, dossiers, tokens
from onestop.clock import VN
from onestop.errors import WorkflowError
from onestop.extensions import db
from onestop.models import Agency, ApiToken, Dossier, DossierStatus, Event, Leg, Procedure, User

HOME = "000.13.31.H57"


@pytest.fixture
def bearer(demo):
    """Return a function that issues a token for a demo user and gives the request headers."""
    def bearer(username="clerk"):
        with demo.app_context():
            user = db.session.scalar(sa.select(User).filter_by(username=username))
            token = tokens.issue(user)
            db.session.commit()
        return {"Authorization": f"Bearer {token}"}
    return bearer


@pytest.fixture
def receive_many(demo):
    """Return a function that receives dossiers at the demo commune, one an hour back from `start`."""
    def receive_many(count, start=datetime(2026, 3, 4, 16, 0, tzinfo=VN), procedure_code="1.004837"):
        with demo.app_context():
            procedure = db.session.scalar(sa.select(Procedure).filter_by(code=procedure_code))
            clerk = db.session.scalar(sa.select(User).filter_by(username="clerk"))
            made = [dossiers.receive(procedure, dossiers.Applicant(name=f"Nguyễn Văn {n}"), dossiers.Intake(),
                                     agency=clerk.agency, clerk=clerk, now=start - timedelta(hours=n),
                                     calendar=calendars.current()).code for n in range(count)]
            db.session.commit()
        return made
    return receive_many


def _set_status(app, code, status):
    with app.app_context():
        dossier = db.session.scalar(sa.select(Dossier).filter_by(code=code))
        dossier.status = status
        if status not in (DossierStatus.RECEIVED, DossierStatus.PROCESSING):
            dossier.completed_at = dossier.received_at + timedelta(hours=1)
        db.session.commit()


def _count(app, model):
    with app.app_context():  # a fresh context: only what was committed
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _assert_error(response, status, code):
    assert response.status_code == status, response.text
    assert response.mimetype == "application/json"
    assert set(response.json) == {"error"}
    assert code is None or response.json["error"]["code"] == code
    assert response.json["error"]["message"].strip()
    return response.json["error"]


INTAKE = {
    "procedure_code": "1.004837",
    "applicant": {"name": "  Phạm Văn Dũng ", "id_number": "046 0123 45678", "phone": "0912 345 678",
                  "email": "dung@example.vn", "address": "Thôn Phước Yên, xã Quảng Thọ",
                  "date_of_birth": "1990-05-17", "sex": "male"},
    "channel": "direct", "quantity": 2, "note": "Nộp thay cho con",
    "documents": ["Tờ khai đăng ký giám hộ theo mẫu", {"name": "Văn bản cử người giám hộ", "kind": "copy", "count": 2}],
}


# Who may call

def test_a_token_from_the_command_line_reads_the_agencies(client, runner, demo):
    result = runner.invoke(args=["users", "token", "clerk"])
    assert result.exit_code == 0, result.output
    response = client.get("/api/v1/agencies", headers={"Authorization": f"Bearer {result.output.strip()}"})
    assert response.status_code == 200
    body = response.json
    assert (body["page"], body["pages"], body["total"]) == (1, 1, 4)
    agencies = {item["code"]: item for item in body["items"]}
    # The demo commune after the 2025 reform: the province is its parent, no district in between.
    assert agencies[HOME] == {"code": HOME, "name": "UBND xã Quảng Thọ", "level": "commune",
                              "parent": "000.00.00.H57", "external": False}
    assert agencies["000.00.00.H57"]["level"] == "province"
    assert "district" not in {item["level"] for item in body["items"]}
    assert agencies["000.14.31.H57"]["external"] is True


def test_an_agency_lists_its_parent_by_code(client, demo, bearer):
    with demo.app_context():
        home = db.session.scalar(sa.select(Agency).filter_by(code=HOME))
        home.parent = db.session.scalar(sa.select(Agency).filter_by(code="000.00.31.H57"))
        db.session.commit()
    items = client.get("/api/v1/agencies", headers=bearer("officer")).json["items"]
    assert {item["code"]: item["parent"] for item in items}[HOME] == "000.00.31.H57"


def test_every_endpoint_answers_401_without_credentials(app, client, demo):
    urls = app.url_map.bind("localhost")
    rules = [rule for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("api.") and not rule.endpoint.startswith("api.public_")]
    assert len(rules) >= 7
    for rule in rules:
        method = next(verb for verb in ("GET", "POST", "DELETE") if verb in rule.methods)
        response = client.open(urls.build(rule.endpoint, dict.fromkeys(rule.arguments, "1"), method=method),
                               method=method, json={} if method == "POST" else None)
        error = _assert_error(response, 401, "unauthorized")
        assert "đăng nhập" in error["message"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_or_revoked_token_is_refused(client, demo, bearer):
    headers = bearer("clerk")
    assert client.get("/api/v1/agencies", headers=headers).status_code == 200
    for wrong in ({"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic Y2xlcms6ZGVtbw=="},
                  {"Authorization": "Bearer"}):
        error = _assert_error(client.get("/api/v1/agencies", headers=wrong), 401, "unauthorized")
        assert "không hợp lệ" in error["message"]
    with demo.app_context():
        for row in db.session.scalars(sa.select(ApiToken)):
            tokens.revoke(row)
        db.session.commit()
    _assert_error(client.get("/api/v1/agencies", headers=headers), 401, "unauthorized")


def test_roles_are_those_of_the_pages(client, bearer):
    admin, officer, leader = bearer("admin"), bearer("officer"), bearer("leader")
    assert client.get("/api/v1/procedures?q=khai", headers=admin).status_code == 200
    error = _assert_error(client.get("/api/v1/dossiers", headers=admin), 403, "forbidden")
    assert "không có quyền" in error["message"]
    _assert_error(client.post("/api/v1/dossiers", headers=officer, json=INTAKE), 403, "forbidden")
    _assert_error(client.post("/api/v1/dossiers", headers=leader, json=INTAKE), 403, "forbidden")
    assert client.get("/api/v1/dossiers", headers=officer).status_code == 200
    assert client.get("/api/v1/dossiers", headers=leader).status_code == 200


def test_the_staff_pages_may_use_their_login_session(client, login):
    login("clerk")
    response = client.get("/api/v1/procedures", query_string={"q": "khai sinh"})
    assert response.status_code == 200
    assert "1.001193" in [item["code"] for item in response.json["items"]]
    assert client.post("/api/v1/dossiers", json=INTAKE).status_code == 201


def test_a_change_made_with_the_session_needs_the_pages_csrf_token(database_url, demo):
    from conftest import make_app

    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/auth/login").text)[1]
    assert client.post("/auth/login", data={"username": "clerk", "password": "demo", "csrf_token": token}
                       ).status_code == 302
    assert client.get("/api/v1/procedures/1.001193").status_code == 200  # reading needs no token
    error = _assert_error(client.post("/api/v1/dossiers", json=INTAKE), 400, "csrf_failed")
    assert "CSRF" in error["message"]
    assert _count(app, Dossier) == 0
    assert client.post("/api/v1/dossiers", json=INTAKE, headers={"X-CSRFToken": token}).status_code == 201
    with app.app_context():
        db.engine.dispose()


# The catalogue

@pytest.mark.parametrize("typed", ["khai sinh", "Khai Sinh", "KHAI SINH", "đăng ký khai sinh", "1.001193"])
def test_procedures_are_found_without_accents_in_any_case_or_by_code(client, bearer, typed):
    response = client.get("/api/v1/procedures", query_string={"q": typed}, headers=bearer())
    assert response.status_code == 200
    found = {item["code"]: item for item in response.json["items"]}
    assert found["1.001193"]["name"] == "Đăng ký khai sinh"
    assert found["1.001193"]["field"] == "Hộ tịch"
    assert "1.000656" not in found  # Đăng ký khai tử
    assert response.json["total"] == len(found)


def test_the_whole_catalogue_is_paged_and_counted(client, demo, bearer):
    body = client.get("/api/v1/procedures", headers=bearer()).json
    total = _count(demo, Procedure)
    assert (body["total"], body["page"], body["pages"]) == (total, 1, 1)
    # the intake picker's list: grouped by field, fields and names in Vietnamese order (see test_collation.py)
    assert body["items"] == collation.sorted_vi(collation.sorted_vi(body["items"], key=lambda item: item["name"]),
                                                key=lambda item: item["field"])
    assert client.get("/api/v1/procedures?q=zzz", headers=bearer()).json == {"items": [], "page": 1, "pages": 0,
                                                                             "total": 0}


def test_a_procedure_shows_its_deadline_documents_and_route(client, bearer):
    headers = bearer("leader")
    guardianship = client.get("/api/v1/procedures/1.004837", headers=headers).json
    assert (guardianship["deadline"]["value"], guardianship["deadline"]["unit"]) == (3.0, "working_days")
    assert guardianship["documents"][0] == "Tờ khai đăng ký giám hộ theo mẫu"
    assert guardianship["approval_required"] is True and guardianship["route"] == []
    birth = client.get("/api/v1/procedures/1.001193", headers=headers).json
    assert birth["deadline"] == {"value": None, "unit": "same_day", "label": "Trong ngày"}
    land = client.get("/api/v1/procedures/XA.DD.02", headers=headers).json
    assert land["route"] == [{"agency_code": "000.00.31.H57", "share": 20.0,
                              "agency_name": "Chi nhánh Văn phòng Đăng ký đất đai thành phố Huế tại Quảng Thọ"}]


def test_a_deadline_label_reads_as_on_the_receipt(client, bearer):
    deadline = client.get("/api/v1/procedures/1.004837", headers=bearer()).json["deadline"]
    assert deadline["label"] == "3 ngày làm việc"


def test_an_unknown_procedure_is_404(client, bearer):
    error = _assert_error(client.get("/api/v1/procedures/9.999999", headers=bearer()), 404, "not_found")
    assert "9.999999" in error["message"]
    _assert_error(client.get("/api/v1/procedures/9.999999/appointment", headers=bearer()), 404, "not_found")


@pytest.mark.parametrize("code, received_at, echoed, due_at", [
    ("1.001193", "2025-03-12T15:20:00+07:00", "2025-03-12T15:20:00+07:00", "2025-03-13T17:00:00+07:00"),  # cut-off
    ("1.001193", "2025-03-12T10:00:00+07:00", "2025-03-12T10:00:00+07:00", "2025-03-12T17:00:00+07:00"),
    ("1.004837", "2025-01-07T10:00:00+07:00", "2025-01-07T10:00:00+07:00", "2025-01-10T10:00:00+07:00"),
    ("1.004837", "2025-01-07T10:00", "2025-01-07T10:00:00+07:00", "2025-01-10T10:00:00+07:00"),  # Vietnam time
    ("1.004837", "2025-01-07T03:00:00Z", "2025-01-07T10:00:00+07:00", "2025-01-10T10:00:00+07:00"),
])
def test_the_appointment_preview(client, bearer, code, received_at, echoed, due_at):
    response = client.get(f"/api/v1/procedures/{code}/appointment", query_string={"received_at": received_at},
                          headers=bearer())
    assert response.status_code == 200
    assert response.json == {"received_at": echoed, "due_at": due_at}


def test_zero_working_days_is_a_same_day_deadline_in_the_api(app, client, bearer):
    # Issue 15: a procedure stored with 0 working days (an old row) reads and counts as same day,
    # and "after 15:00" (Law on Civil Status art. 5(3)) leaves 15:00:00 itself on the same day.
    headers = bearer()
    with app.app_context():
        db.session.scalar(sa.select(Procedure).filter_by(code="1.004837")).deadline_value = 0
        db.session.commit()
    assert client.get("/api/v1/procedures/1.004837", headers=headers).json["deadline"]["unit"] == "same_day"
    for received, due in [("2025-03-12T15:00:00+07:00", "2025-03-12T17:00:00+07:00"),
                          ("2025-03-12T15:01:00+07:00", "2025-03-13T17:00:00+07:00")]:
        response = client.get("/api/v1/procedures/1.004837/appointment", query_string={"received_at": received},
                              headers=headers)
        assert response.json["due_at"] == due


def test_the_appointment_defaults_to_now_and_survives_an_unencoded_plus(client, bearer):
    headers = bearer()
    now = client.get("/api/v1/procedures/1.004837/appointment", headers=headers).json
    assert now == {"received_at": "2026-03-05T09:00:00+07:00", "due_at": "2026-03-10T09:00:00+07:00"}
    raw = client.get("/api/v1/procedures/1.001193/appointment?received_at=2025-03-12T15:20:00+07:00", headers=headers)
    assert raw.json["due_at"] == "2025-03-13T17:00:00+07:00"
    error = _assert_error(client.get("/api/v1/procedures/1.001193/appointment?received_at=12/03/2025 15:20",
                                     headers=headers), 422, "invalid_input")
    assert list(error["fields"]) == ["received_at"] and "ISO 8601" in error["message"]


# Intake and reading back

def test_a_received_dossier_reads_back_the_same(client, bearer):
    headers = bearer("clerk")
    created = client.post("/api/v1/dossiers", json=INTAKE, headers=headers)
    assert created.status_code == 201, created.text
    dossier = created.json
    assert re.fullmatch(rf"{re.escape(HOME)}-260305-\d{{4}}", dossier["code"])
    assert created.headers["Location"].endswith(f"/api/v1/dossiers/{dossier['code']}")
    assert dossier["procedure"] == {"code": "1.004837", "name": "Đăng ký giám hộ"}
    assert dossier["agency"] == HOME
    assert dossier["applicant"] == {"name": "Phạm Văn Dũng", "id_number": "046012345678", "phone": "0912345678",
                                    "email": "dung@example.vn", "address": "Thôn Phước Yên, xã Quảng Thọ",
                                    "is_organisation": False, "date_of_birth": "1990-05-17", "sex": "male"}
    assert (dossier["channel"], dossier["quantity"], dossier["note"]) == ("direct", 2, "Nộp thay cho con")
    assert dossier["documents"] == [{"name": "Tờ khai đăng ký giám hộ theo mẫu", "kind": "original", "count": 1},
                                    {"name": "Văn bản cử người giám hộ", "kind": "copy", "count": 2}]
    assert (dossier["status"], dossier["status_number"], dossier["status_label"]) == ("received", 2, "Đã tiếp nhận")
    assert dossier["received_at"] == "2026-03-05T09:00:00+07:00"
    assert dossier["due_at"] == dossier["promised_at"] == "2026-03-10T09:00:00+07:00"
    assert dossier["completed_at"] is dossier["returned_at"] is dossier["timeliness"] is None
    assert dossier["events"] == [{"at": "2026-03-05T09:00:00+07:00", "action": "receive", "actor": "clerk",
                                  "note": ""}]
    assert dossier["legs"] == []
    for reader in ("clerk", "officer", "leader"):
        read = client.get(f"/api/v1/dossiers/{dossier['code']}", headers=bearer(reader))
        assert read.status_code == 200 and read.json == dossier


def test_a_dossier_shows_its_legs(client, demo, bearer, receive_many):
    [code] = receive_many(1, procedure_code="XA.DD.02")
    with demo.app_context():
        dossier = db.session.scalar(sa.select(Dossier).filter_by(code=code))
        partner = db.session.scalar(sa.select(Agency).filter_by(code="000.00.31.H57"))
        sent = datetime(2026, 3, 5, 8, 0, tzinfo=VN)
        db.session.add(Leg(dossier=dossier, partner=partner, sent_at=sent, due_at=sent + timedelta(days=14)))
        db.session.commit()
    legs = client.get(f"/api/v1/dossiers/{code}", headers=bearer()).json["legs"]
    assert legs == [{"partner_code": "000.00.31.H57", "sent_at": "2026-03-05T08:00:00+07:00",
                     "due_at": "2026-03-19T08:00:00+07:00", "returned_at": None}]


def test_an_invalid_intake_says_what_is_wrong_in_vietnamese_and_writes_nothing(app, client, bearer):
    wrong = {**INTAKE, "channel": "fax", "quantity": 0, "documents": ["Tờ khai", {"name": "", "kind": "scan"}],
             "colour": "red",
             "applicant": {"name": "   ", "id_number": "12345", "phone": "0123", "email": "không phải thư"}}
    error = _assert_error(client.post("/api/v1/dossiers", json=wrong, headers=bearer()), 422, "invalid_input")
    assert set(error["fields"]) == {"channel", "quantity", "documents.1.name", "documents.1.kind", "colour",
                                    "applicant.name", "applicant.id_number", "applicant.phone", "applicant.email"}
    for words in ("Cần nhập họ tên người nộp hồ sơ.", "Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số.",
                  "Số điện thoại không hợp lệ", "Địa chỉ thư điện tử không hợp lệ.", "Số bộ hồ sơ phải từ 1 đến 99.",
                  "Hình thức nộp phải là một trong: direct, online, postal.", "Cần ghi tên giấy tờ.",
                  "Loại bản phải là một trong", "Trường “colour” không được hỗ trợ."):
        assert words in error["message"], words
    assert _count(app, Dossier) == 0 and _count(app, Event) == 0


@pytest.mark.parametrize("body, field, words", [
    ({"applicant": {"name": "Trần Thị Bình"}}, "procedure_code", "Cần chọn thủ tục hành chính."),
    ({"procedure_code": "9.999999", "applicant": {"name": "Trần Thị Bình"}}, "procedure_code", "9.999999"),
    ({"procedure_code": "1.001193"}, "applicant", "Thiếu người nộp hồ sơ."),
    ({"procedure_code": "1.001193", "applicant": "Trần Thị Bình"}, "applicant", "“applicant” phải là một đối tượng"),
    ({"procedure_code": "1.001193", "applicant": {"name": "Bình"}, "quantity": "2"}, "quantity", "số bộ hồ sơ"),
    (["1.001193"], "_", "đối tượng JSON"),
])
def test_each_invalid_intake_names_its_field(app, client, bearer, body, field, words):
    error = _assert_error(client.post("/api/v1/dossiers", json=body, headers=bearer()), 422, "invalid_input")
    assert field in error["fields"] and words in error["message"]
    assert _count(app, Dossier) == 0


def test_a_body_that_is_not_json_is_400(client, bearer):
    response = client.post("/api/v1/dossiers", data='{"procedure_code": ', headers=bearer(),
                           content_type="application/json")
    assert "JSON" in _assert_error(response, 400, "invalid_json")["message"]


def test_a_rule_refusing_the_intake_answers_409_and_keeps_nothing(app, client, bearer, monkeypatch):
    real_receive = dossiers.receive

    def receive_then_refuse(*args, **kwargs):
        real_receive(*args, **kwargs)  # the dossier, its event and its numbers are in the session
        raise WorkflowError("Thủ tục này đã ngừng áp dụng.")

    monkeypatch.setattr(dossiers, "receive", receive_then_refuse)
    error = _assert_error(client.post("/api/v1/dossiers", json=INTAKE, headers=bearer()), 409, "conflict")
    assert error["message"] == "Thủ tục này đã ngừng áp dụng."
    assert _count(app, Dossier) == 0 and _count(app, Event) == 0


def test_an_unsupported_method_answers_in_the_same_shape(client, bearer):
    response = client.delete("/api/v1/agencies", headers=bearer())
    assert "DELETE" in _assert_error(response, 405, "method_not_allowed")["message"]
    _assert_error(client.get("/api/v1/nothing-here", headers=bearer()), 404, None)  # errors.py answers it


def test_another_agency_cannot_read_the_communes_dossier(client, bearer, receive_many):
    [code] = receive_many(1)
    partner = bearer("partner")
    error = _assert_error(client.get(f"/api/v1/dossiers/{code}", headers=partner), 404, "not_found")
    assert code in error["message"]
    assert client.get("/api/v1/dossiers", headers=partner).json["total"] == 0
    assert client.get(f"/api/v1/dossiers/{code}", headers=bearer("clerk")).status_code == 200
    assert client.get("/api/v1/dossiers", headers=bearer("clerk")).json["total"] == 1


# The list

def test_the_list_is_newest_first_fifty_a_page(client, bearer, receive_many):
    codes = receive_many(55)  # one an hour back from 04/03/2026 16:00
    headers = bearer("leader")
    first = client.get("/api/v1/dossiers", headers=headers).json
    assert (first["page"], first["pages"], first["total"], len(first["items"])) == (1, 2, 55, 50)
    received = [item["received_at"] for item in first["items"]]
    assert received == sorted(received, reverse=True)
    second = client.get("/api/v1/dossiers?page=2", headers=headers).json
    assert [item["code"] for item in first["items"] + second["items"]] == codes
    assert client.get("/api/v1/dossiers?page=3", headers=headers).json["items"] == []


def test_the_list_filters_by_status_overdue_and_day_of_receipt(demo, client, bearer, receive_many):
    codes = receive_many(30)  # 04/03 16:00 back to 03/03 11:00; 3 working days: due 09/03 and later
    older = receive_many(2, start=datetime(2026, 2, 24, 9, 0, tzinfo=VN))  # due 27/02 and 26/02: overdue
    _set_status(demo, codes[0], DossierStatus.RETURNED)
    _set_status(demo, older[0], DossierStatus.RETURNED)
    headers = bearer("clerk")

    def listed(**query):
        response = client.get("/api/v1/dossiers", query_string=query, headers=headers)
        assert response.status_code == 200, response.text
        return [item["code"] for item in response.json["items"]]

    assert listed(status="returned") == [codes[0], older[0]]
    assert listed(overdue="true") == [older[1]]
    assert len(listed(overdue="false")) == 31
    assert listed(received_from="2026-02-01", received_to="2026-02-28") == older
    assert listed(received_from="2026-03-04") == [code for code in codes if code.split("-")[1] == "260304"]
    assert listed(status="received", received_to="2026-02-24") == [older[1]]


@pytest.mark.parametrize("query, field, words", [
    ({"status": "lost"}, "status", "Trạng thái phải là một trong: received"),
    ({"overdue": "maybe"}, "overdue", "lọc quá hạn"),
    ({"received_from": "12/03/2025"}, "received_from", "yyyy-mm-dd"),
    ({"received_from": "2026-03-05", "received_to": "2026-03-01"}, "received_to", "không sớm hơn"),
    ({"page": "0"}, "page", "Số trang phải từ 1 đến 1.000.000."),
    ({"page": "two"}, "page", "số trang"),
])
def test_a_bad_filter_is_422_naming_the_field(client, bearer, query, field, words):
    error = _assert_error(client.get("/api/v1/dossiers", query_string=query, headers=bearer()), 422, "invalid_input")
    assert list(error["fields"]) == [field] and words in error["message"]


def test_a_page_of_the_list_costs_the_same_queries_whatever_its_length(demo, client, bearer, receive_many):
    receive_many(55)
    headers = bearer("clerk")
    client.get("/api/v1/agencies", headers=headers)  # the token's first use is noted (then once a minute at most)
    statements = []

    def count(connection, cursor, statement, *args):
        statements.append(statement)

    with demo.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        full = client.get("/api/v1/dossiers", headers=headers).json["items"]
        full_cost = len(statements)
        short = client.get("/api/v1/dossiers?page=2", headers=headers).json["items"]
        short_cost = len(statements) - full_cost
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(full) == 50 and len(short) == 5
    assert full_cost == short_cost <= 8


# The document

def _operations(document):
    for path, item in document["paths"].items():
        for method in item:
            if method != "parameters":
                yield path, method.upper()


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_openapi_document_lists_every_endpoint(app, client):
    response = client.get("/api/v1/openapi.json")  # public, like any API description
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.") and document["info"]["title"]
    documented = set(_operations(document))
    served = {(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == served
    assert {("/api/v1/dossiers", "POST"), ("/api/v1/dossiers/{code}", "GET"),
            ("/api/v1/procedures/{code}/appointment", "GET")} <= documented
    for path, method in documented:
        operation = document["paths"][path][method.lower()]
        assert {"200", "201", "204"} & set(operation["responses"]), (path, method)
        if operation.get("security") != []:  # staff endpoints
            assert {"401", "403"} <= set(operation["responses"]), (path, method)
    for ref in set(_refs(document)):
        section, name = ref.removeprefix("#/components/").split("/")
        assert name in document["components"][section], ref
    assert set(document["components"]["securitySchemes"]) == {"bearerAuth", "staffSession"}
    error = document["components"]["schemas"]["ErrorBody"]["properties"]
    assert {"code", "message"} <= set(error)


def test_the_openapi_document_is_valid_openapi_3(client):
    from openapi_spec_validator import validate

    validate(client.get("/api/v1/openapi.json").json)  # raises on any schema error
