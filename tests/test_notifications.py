"""Issue 19: the citizen hears by e-mail, SMS and Zalo when the dossier moves; real SMTP and HTTP servers on 127.0.0.1."""
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from conftest import PINNED_NOW, _empty_tables, make_app
from notify_servers import HttpStub, SmtpServer
from onestop import tokens
from onestop.extensions import db
from onestop.models import MessageStatus, OutboxMessage, User

ID_NUMBER = "046012345678"
APPLICANT = {"name": "Phạm Văn Dũng", "id_number": ID_NUMBER, "phone": "0912345678", "email": "dung@example.vn"}
LIFE = [  # the dossier's life through the API, by whom
    ("clerk", {"action": "hand_over", "to_user": "officer"}),
    ("officer", {"action": "request_supplement", "reason": "Thiếu giấy tờ", "items": ["Văn bản cử người giám hộ"]}),
    ("clerk", {"action": "resume"}),
    ("leader", {"action": "apologize", "reason": "Chờ xác minh", "new_promised_at": "2026-03-13T16:00:00+07:00"}),
    ("officer", {"action": "submit_for_approval"}),
    ("leader", {"action": "approve"}),
    ("officer", {"action": "mark_ready"}),
    ("clerk", {"action": "return_result", "recipient": "Phạm Văn Dũng"}),
]
# What the citizen hears, in order: hand-over, submission and approval are the agency's own business.
HEARD = ["received", "supplement", "resumed", "apology", "result_ready", "returned"]
SUBJECTS = ["đã được tiếp nhận", "cần bổ sung giấy tờ", "đã được tiếp tục giải quyết", "Thư xin lỗi",
            "đã có kết quả", "đã trả kết quả"]


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def sms():
    with HttpStub() as stub:
        yield stub


@pytest.fixture
def zalo():
    with HttpStub(answer={"error": 0, "message": "Success", "data": {"msg_id": "zns-1"}}) as stub:
        yield stub


def channel_settings(smtp, sms, zalo):
    return dict(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_DEFAULT_SENDER="motcua@quangtho.gov.vn",
                SMS_GATEWAY_URL=sms.url, SMS_GATEWAY_KEY="sms-key", ZALO_ZNS_TOKEN="zns-token",
                ZALO_ZNS_TEMPLATE_ID="246810", ZALO_ZNS_API_URL=zalo.url, NOTIFICATIONS_TIMEOUT=2)


@pytest.fixture
def app(database_url, smtp, sms, zalo):
    app = make_app(database_url, **channel_settings(smtp, sms, zalo))
    yield app
    _empty_tables(app)


@pytest.fixture
def bearer(app, demo):
    def bearer(username):
        with app.app_context():
            token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == username)))
            db.session.commit()
        return {"Authorization": f"Bearer {token}"}
    return bearer


def receive(client, bearer, notify, **applicant):
    response = client.post("/api/v1/dossiers", headers=bearer("clerk"), json={
        "procedure_code": "1.004837", "applicant": {**APPLICANT, **applicant}, "notify": notify})
    assert response.status_code == 201, response.text
    return response.json["code"]


def live(client, bearer, code):
    for username, step in LIFE:
        response = client.post(f"/api/v1/dossiers/{code}/actions", json=step, headers=bearer(username))
        assert response.status_code == 200, response.text


def outbox(app, **where):
    with app.app_context():
        return [(row.kind, str(row.channel), str(row.status), row.attempts, row.answer) for row in db.session.scalars(
            sa.select(OutboxMessage).filter_by(**where).order_by(OutboxMessage.id))]


def send(runner):
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def link_in(text):
    return re.search(r"http://127\.0\.0\.1:5000(/tra-cuu/\S+\?t=[\w-]+)", text).group(1)


def test_a_life_with_consent_to_email_and_sms_sends_each_step_once_with_code_and_a_working_link(
        app, client, runner, bearer, smtp, sms, zalo):
    code = receive(client, bearer, ["email", "sms"])
    live(client, bearer, code)
    assert smtp.messages == [] and sms.received == []  # nothing leaves during the requests
    assert "đã gửi: 12" in send(runner)

    assert [message["Subject"] for message in smtp.messages] == [
        f"Hồ sơ {code} {words}" if not words.startswith("Thư") else
        f"Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}" for words in SUBJECTS]
    texts = [request["json"]["text"] for request in sms.received]
    assert len(texts) == len(HEARD) and zalo.received == []
    for request in sms.received:
        assert request["json"]["to"] == "0912345678"
        assert request["headers"]["authorization"] == "Bearer sms-key"
    for message in smtp.messages:
        assert message["To"] == "dung@example.vn" and message["From"] == "motcua@quangtho.gov.vn"
        texts.append(message.get_body(("plain",)).get_content())
        assert code in message.get_body(("html",)).get_content()
    for text in texts:
        assert code in text and ID_NUMBER not in text
        page = client.get(link_in(text))  # the link opens the full lookup: the token is right
        assert page.status_code == 200 and "Phạm V. D." in page.text
    assert "Hen moi 16:00 13/03/2026" in texts[3]  # the apology's new date
    assert "Văn bản cử người giám hộ" in texts[len(HEARD) + 1]  # the e-mail says what is missing
    assert {status for *_, status, _, _ in outbox(app)} == {"sent"}
    assert "đã gửi: 0" in send(runner)  # a second run sends nothing again
    assert len(smtp.messages) == len(HEARD) and len(sms.received) == len(HEARD)


def test_with_consent_withdrawn_from_the_lookup_page_nothing_is_sent(app, client, runner, bearer, smtp, sms):
    code = receive(client, bearer, ["email", "sms"])
    with app.app_context():
        link = link_in(db.session.scalar(sa.select(OutboxMessage.body).where(OutboxMessage.channel == "sms")))
    page = client.get(link)
    assert "Ngừng nhận thông báo" in page.text
    token = urlsplit(link).query.removeprefix("t=")
    assert client.post(f"/tra-cuu/{code}/ngung-thong-bao", data={"t": "wrong"}).status_code == 404
    stopped = client.post(f"/tra-cuu/{code}/ngung-thong-bao", data={"t": token}, follow_redirects=True)
    assert "Ông/bà đã ngừng nhận thông báo về hồ sơ này." in stopped.text
    live(client, bearer, code)
    send(runner)
    assert smtp.messages == [] and sms.received == []
    assert {status for _, _, status, _, _ in outbox(app)} == {"cancelled"}


def test_without_consent_nothing_is_queued(app, client, runner, bearer, smtp, sms):
    code = receive(client, bearer, [])
    live(client, bearer, code)
    assert outbox(app) == []
    send(runner)
    assert smtp.messages == [] and sms.received == []


def test_zalo_gets_the_template_and_its_parameters(app, client, runner, bearer, zalo):
    code = receive(client, bearer, ["zalo"])
    send(runner)
    (request,) = zalo.received
    assert request["headers"]["access_token"] == "zns-token"
    sent = request["json"]
    assert sent["phone"] == "84912345678" and sent["template_id"] == "246810"
    assert sent["template_data"]["code"] == code and sent["template_data"]["status"] == "Đã tiếp nhận"
    assert sent["template_data"]["date"] == "09:00 10/03/2026"
    assert client.get(link_in(sent["template_data"]["link"])).status_code == 200


def test_zalo_refusing_with_an_error_code_leaves_the_message_for_retry(app, client, runner, bearer, zalo):
    zalo.answer = {"error": -124, "message": "Access token is invalid"}
    receive(client, bearer, ["zalo"])
    send(runner)
    ((kind, channel, status, attempts, answer),) = outbox(app)
    assert (status, attempts) == ("pending", 1) and "Access token is invalid" in answer


@pytest.mark.parametrize("mode", ["fail", "slow"])
def test_a_gateway_answering_500_or_timing_out_leaves_the_sms_pending_and_it_goes_later(
        app, client, runner, bearer, sms, mode):
    app.config["NOTIFICATIONS_TIMEOUT"] = 0.5
    sms.mode, sms.delay = mode, 1.5
    receive(client, bearer, ["sms"])
    assert "chờ gửi lại: 1" in send(runner)
    ((_, _, status, attempts, answer),) = outbox(app)
    assert (status, attempts) == ("pending", 1)
    assert ("HTTP 500" if mode == "fail" else "timed out") in answer
    sms.mode = "ok"
    send(runner)  # the back-off has not passed yet: no second try
    assert len(sms.received) == 1
    app.config["NOW"] = (PINNED_NOW + timedelta(minutes=2)).isoformat()
    assert "đã gửi: 1" in send(runner)
    assert len(sms.received) == 2 and outbox(app)[0][2] == "sent"


def test_after_the_last_try_a_message_is_failed_and_an_admin_can_queue_it_again(app, client, runner, bearer, smtp):
    app.config.update(MAIL_PORT=1, NOTIFICATIONS_MAX_ATTEMPTS=3)  # nothing listens on port 1
    receive(client, bearer, ["email"])
    for minutes in (0, 2, 5):
        app.config["NOW"] = (PINNED_NOW + timedelta(minutes=minutes)).isoformat()
        send(runner)
    ((_, _, status, attempts, answer),) = outbox(app)
    assert (status, attempts) == ("failed", 3) and "SMTP" in answer
    client.post("/auth/login", data={"username": "admin", "password": "demo"})
    page = client.get("/notifications/outbox?status=failed")
    assert "Gửi lỗi (1)" in page.text and "dung@example.vn" in page.text and "SMTP" in page.text
    with app.app_context():
        message_id = db.session.scalar(sa.select(OutboxMessage.id))
    client.post(f"/notifications/outbox/{message_id}/retry")
    app.config["MAIL_PORT"] = smtp.port
    send(runner)
    assert outbox(app)[0][2] == "sent" and len(smtp.messages) == 1


def test_the_outbox_page_is_for_admins_only(client, login):
    login("clerk")
    assert client.get("/notifications/outbox").status_code == 403


def test_the_api_refuses_a_channel_that_is_off_or_has_no_address(database_url, demo, smtp, sms, zalo, bearer, client):
    response = client.post("/api/v1/dossiers", headers=bearer("clerk"), json={
        "procedure_code": "1.004837", "applicant": {"name": "Lê Thị Hoa", "phone": "0912345678"}, "notify": ["email"]})
    assert response.status_code == 422
    assert response.json["error"]["message"] == "Cần thư điện tử của người nộp để gửi thông báo qua Thư điện tử."
    response = client.post("/api/v1/dossiers", headers=bearer("clerk"), json={
        "procedure_code": "1.004837", "applicant": {"name": "Lê Thị Hoa"}, "notify": ["fax"]})
    assert response.status_code == 422 and "sms, zalo, email" in str(response.json["error"])
    off = make_app(database_url).test_client()  # no provider configured: every channel is off
    response = off.post("/api/v1/dossiers", headers=bearer("clerk"), json={
        "procedure_code": "1.004837", "applicant": {"name": "Lê Thị Hoa", "phone": "0912345678"}, "notify": ["sms"]})
    assert response.status_code == 422 and "SMS chưa được cấu hình" in response.json["error"]["message"]
    with make_app(database_url).app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_the_intake_form_offers_only_configured_channels_and_records_the_consent(database_url, demo, smtp, client, login):
    login("clerk")
    page = client.get("/desk/receive")
    assert 'value="sms"' in page.text and 'value="zalo"' in page.text and 'value="email"' in page.text
    response = client.post("/desk/receive", data={"procedure_code": "1.004837", "applicant_name": "Lê Thị Hoa",
                                                   "phone": "0912345678", "quantity": 1, "channel": "direct",
                                                   "result_delivery": "desk", "notify": ["sms", "email"]})
    assert "Cần địa chỉ thư điện tử để gửi thông báo qua thư." in response.text  # and nothing was received
    response = client.post("/desk/receive", data={"procedure_code": "1.004837", "applicant_name": "Lê Thị Hoa",
                                                   "phone": "0912345678", "quantity": 1, "channel": "direct",
                                                   "result_delivery": "desk", "notify": ["sms"], "no_documents": "y"})
    assert response.status_code == 302
    with demo.app_context():
        assert [(row.kind, str(row.channel)) for row in db.session.scalars(sa.select(OutboxMessage))] == [
            ("received", "sms")]
    off = make_app(database_url).test_client()
    off.post("/auth/login", data={"username": "clerk", "password": "demo"})
    assert 'name="notify"' not in off.get("/desk/receive").text


def test_a_refusal_tells_the_reason_and_a_stop_is_heard_as_soon_as_the_workflow_writes_it(
        app, client, runner, bearer, smtp, sms):
    refused = receive(client, bearer, ["email"])
    response = client.post(f"/api/v1/dossiers/{refused}/actions", headers=bearer("leader"),
                           json={"action": "refuse", "reason": "Không thuộc thẩm quyền của xã"})
    assert response.status_code == 200, response.text
    stopped = receive(client, bearer, ["sms"])
    with app.app_context():  # the 2025 regime's `stop` step (DESIGN.md §4) writes its event through history.record
        from onestop import history
        from onestop.models import Dossier, DossierStatus
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == stopped))
        history.record(dossier, "stop", PINNED_NOW, to_status=DossierStatus.REFUSED,
                       data={"reason": "Người nộp đã mất"})
        db.session.commit()
    send(runner)
    refusal = smtp.messages[-1]
    assert refusal["Subject"] == f"Hồ sơ {refused} không được giải quyết"
    assert "Lý do: Không thuộc thẩm quyền của xã" in refusal.get_body(("plain",)).get_content()
    assert sms.received[-1]["json"]["text"].startswith(f"HS {stopped} da dung giai quyet")


def test_the_lookup_without_the_token_offers_no_stop_button(app, client, bearer):
    code = receive(client, bearer, ["sms"])
    page = client.get(f"/tra-cuu/{code}")
    assert page.status_code == 200 and "Ngừng nhận thông báo" not in page.text


def test_run_keeps_sending_cycle_after_cycle(app, client, runner, bearer, sms):
    receive(client, bearer, ["sms"])
    result = runner.invoke(args=["notifications", "run", "--interval", "0", "--cycles", "2"])
    assert result.exit_code == 0, result.output
    assert len(sms.received) == 1 and outbox(app)[0][2] == "sent"
