"""The citizens' kiosk: lookup by code, the procedure guide, the survey, comments, limits and privacy."""
import json
import logging
import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from conftest import enrol_kiosk, make_app
from onestop import calendars, codes, dossiers, settings
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import Agency, Comment, DossierStatus, Leg, Procedure, Survey, User

KIOSK = "/kiosk/000.13.31.H57"
# Personal data seeded on purpose: none of it may reach a public page or answer.
PERSON = dict(name="Trần Thị Bích Ngọc", id_number="046199001234", phone="0905123987",
              email="bichngoc.tran@example.vn", address="Số 12 kiệt 5 đường Hàn Mặc Tử")
MASKED = "Trần T. B. N."
RECIPIENT = "Lê Văn Nhận"


@pytest.fixture
def client(app, demo):
    """The kiosk's own browser, enrolled with the admin's link (issue 16); tests/test_kiosk_enrolment.py has the others."""
    client = app.test_client()
    assert client.get(enrol_kiosk(app)).status_code == 200
    return client


@pytest.fixture
def make_dossier(app, demo):
    """Receive a dossier from PERSON at the pinned time and put it in `status`; returns its code."""
    def make_dossier(status=DossierStatus.RECEIVED, procedure_code="1.004837", agency_code=None, when=None):
        with app.app_context():
            procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == procedure_code))
            clerk = db.session.scalar(sa.select(User).where(User.username == "clerk"))
            agency = clerk.agency if agency_code is None else db.session.scalar(
                sa.select(Agency).where(Agency.code == agency_code))
            dossier = dossiers.receive(procedure, dossiers.Applicant(**PERSON), dossiers.Intake(), agency=agency,
                                       clerk=clerk, now=when or datetime(2026, 3, 5, 9, 0, tzinfo=VN),
                                       calendar=calendars.current())
            dossier.status = status
            if status == DossierStatus.RETURNED:
                dossier.returned_at, dossier.returned_to = datetime(2026, 3, 5, 10, 0, tzinfo=VN), RECIPIENT
            db.session.commit()
            return dossier.code
    return make_dossier


def surveys_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Survey.id)))


def links(page: str) -> list[str]:
    return re.findall(r'\s(?:href|action|src)="([^"]*)"', page)


# Lookup


def test_home_offers_the_four_services_and_no_way_out(client, demo):
    page = client.get(f"{KIOSK}/").text
    for label in ("Tra cứu hồ sơ", "Hướng dẫn thủ tục", "Đánh giá sự hài lòng", "Góp ý"):
        assert label in page
    assert "UBND xã Quảng Thọ" in page
    assert "Đăng nhập" not in page and "/auth/" not in page


@pytest.mark.parametrize("typed", [
    "000.13.31.H57-260305-0001",                     # the full code, as the barcode gun types it
    "260305-0001",                                   # the short form on the keypad
    "2603050001",                                    # the short form without its dash
    " 260305 – 0001 ",                               # spaces and a typographic dash
    "http://192.168.1.10/tra-cuu/000.13.31.H57-260305-0001?t=abc",  # the receipt's QR code
])
def test_a_dossier_is_found_by_any_form_of_its_code(client, make_dossier, typed):
    make_dossier(DossierStatus.PROCESSING)
    response = client.get(f"{KIOSK}/lookup", query_string={"code": typed})
    assert response.status_code == 200
    page = response.text
    assert "000.13.31.H57-260305-0001" in page
    assert "Hồ sơ đang được giải quyết." in page
    assert "Đăng ký giám hộ" in page and MASKED in page
    assert "Thứ Năm, 05/03/2026" in page and "09:00" in page       # received
    assert "Thứ Ba, 10/03/2026" in page                            # promised: 3 working days later
    assert "UBND xã Quảng Thọ" in page


def test_a_ready_result_invites_the_citizen_to_the_desk_and_to_the_survey(client, make_dossier):
    code = make_dossier(DossierStatus.RESULT_READY)
    page = client.get(f"{KIOSK}/lookup", query_string={"code": code}).text
    assert "Hồ sơ đã có kết quả." in page
    assert "Mời ông/bà đến quầy nhận kết quả" in page
    assert f'href="{KIOSK}/survey/{code}"' in page


def test_a_paused_dossier_shows_no_due_date(client, make_dossier):
    code = make_dossier(DossierStatus.AWAITING_SUPPLEMENT)
    page = client.get(f"{KIOSK}/lookup", query_string={"code": code}).text
    assert "Hồ sơ cần bổ sung giấy tờ." in page and "Tạm dừng, chờ bổ sung giấy tờ" in page
    assert "10/03/2026" not in page


def test_a_dossier_at_a_partner_agency_says_which_one_holds_it(app, client, make_dossier):
    code = make_dossier(DossierStatus.AT_PARTNER)
    with app.app_context():
        dossier = dossiers.find_by_code(code)
        land_office = db.session.scalar(sa.select(Agency).where(Agency.code == "000.00.31.H57"))
        db.session.add(Leg(dossier=dossier, partner=land_office, sent_at=dossier.received_at,
                           due_at=dossier.due_at))
        db.session.commit()
    page = client.get(f"{KIOSK}/lookup", query_string={"code": code}).text
    assert "Chi nhánh Văn phòng Đăng ký đất đai thành phố Huế tại Quảng Thọ" in page


def test_an_unknown_code_gets_a_friendly_message_and_the_keypad_again(client, demo):
    response = client.get(f"{KIOSK}/lookup", query_string={"code": "260305-0099"})
    assert response.status_code == 404
    assert "Chưa tìm thấy hồ sơ có mã này." in response.text
    assert 'value="260305-0099"' in response.text and 'data-keys-for="code"' in response.text


def test_another_agencys_dossier_is_not_shown_at_this_kiosk(app, client, make_dossier):
    with app.app_context():
        db.session.add(Agency(code="000.15.31.H57", name="UBND xã Quảng Phước"))
        db.session.commit()
    code = make_dossier(agency_code="000.15.31.H57")
    assert client.get(f"{KIOSK}/lookup", query_string={"code": code}).status_code == 404
    assert client.get(f"/kiosk/000.15.31.H57/lookup", query_string={"code": "260305-0001"}).status_code == 200


def test_an_unknown_or_external_agency_has_no_kiosk(client, demo):
    for agency_code in ("000.99.99.H57", "000.14.31.H57"):  # the commune police are outside the system
        response = client.get(f"/kiosk/{agency_code}/")
        assert response.status_code == 404
        assert "Không tìm thấy" in response.text and "k-top" in response.text


def test_lookups_are_logged_without_personal_data(client, make_dossier, caplog):
    code = make_dossier(DossierStatus.PROCESSING)
    with caplog.at_level(logging.INFO, logger="onestop.lookups"):
        client.get(f"{KIOSK}/lookup", query_string={"code": "260305-0001"})
        client.get(f"{KIOSK}/lookup", query_string={"code": PERSON["phone"]})  # a phone typed in by mistake
    lines = [record.getMessage() for record in caplog.records if record.name == "onestop.lookups"]
    assert len(lines) == 2
    assert code in lines[0] and "found=yes" in lines[0] and "000.13.31.H57" in lines[0]
    assert "found=no" in lines[1]
    for value in PERSON.values():
        assert all(value not in line for line in lines), value


@pytest.mark.parametrize("status, text, advice", [
    (DossierStatus.PROCESSING, "Hồ sơ đang được giải quyết.", "Ông/bà chưa cần làm gì thêm. Mời quay lại theo ngày hẹn trả."),
    (DossierStatus.AWAITING_SUPPLEMENT, "Hồ sơ cần bổ sung giấy tờ.", "Mời ông/bà liên hệ Bộ phận Một cửa để bổ sung giấy tờ."),
    (DossierStatus.RETURNED, "Hồ sơ đã trả kết quả.", ""),  # nothing left to do: no advice, not a blank line
])
def test_the_lookup_says_where_the_dossier_is_and_what_to_do(client, make_dossier, status, text, advice):
    code = make_dossier(status)
    answer = client.get(f"/api/v1/public/dossiers/{code}").json
    assert (answer["status_text"], answer["advice"]) == (text, advice)
    english = client.get(f"/api/v1/public/dossiers/{code}?lang=en").json
    assert english["status_text"] not in ("", text) and bool(english["advice"]) == bool(advice)


def test_the_status_lookup_reads_its_one_row_outside_a_transaction_on_postgresql(app, client, make_dossier):
    """Anyone may repeat it as often as the rate limit allows; on PostgreSQL a transaction would cost two round
    trips more than the statement (BEGIN and the pool's ROLLBACK): BENCHMARKS.md, the public lookup rows."""
    code = make_dossier(DossierStatus.PROCESSING)
    seen = []

    def capture(connection, _cursor, statement, _parameters, _context, _many):
        seen.append((statement.split()[0], connection.get_execution_options().get("isolation_level")))

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", capture)
        try:
            answer = client.get(f"/api/v1/public/dossiers/{code}")
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", capture)
    assert answer.status_code == 200 and answer.json["status"] == "processing"
    on_postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    assert seen == ([("SELECT", "AUTOCOMMIT")] if on_postgresql else [("BEGIN", None), ("SELECT", None)])


# Idle time


def test_the_idle_time_comes_from_settings_and_the_config_wins(app, client, demo):
    assert 'data-idle-seconds="90"' in client.get(f"{KIOSK}/lookup").text
    with app.app_context():
        settings.put("kiosk_idle_seconds", 90)
        db.session.commit()
    assert 'data-idle-seconds="90"' in client.get(f"{KIOSK}/lookup").text
    app.config["KIOSK_IDLE_SECONDS"] = 5
    assert 'data-idle-seconds="5"' in client.get(f"{KIOSK}/lookup").text


# The procedure guide


def test_the_guide_lists_fields_and_their_procedures(app, client, demo):
    page = client.get(f"{KIOSK}/procedures").text
    assert "Hộ tịch" in page and "Chứng thực" in page
    with app.app_context():
        field_id = db.session.scalar(sa.select(Procedure.field_id).where(Procedure.code == "1.001193"))
    page = client.get(f"{KIOSK}/procedures", query_string={"field": field_id}).text
    assert "Đăng ký khai sinh" in page and "Chứng thực chữ ký" not in page


def test_the_guide_search_needs_no_accents(client, demo):
    page = client.get(f"{KIOSK}/procedures", query_string={"q": "KHAI SINH"}).text
    assert "Đăng ký khai sinh" in page and f'href="{KIOSK}/procedures/1.001193?q=KHAI+SINH"' in page
    page = client.get(f"{KIOSK}/procedures", query_string={"q": "xyzw"}).text
    assert "Chưa tìm thấy thủ tục nào." in page


def test_a_procedure_page_says_what_to_bring_how_long_and_where(app, client, demo):
    with app.app_context():
        settings.put("public_base_url", "http://192.168.1.10/")
        db.session.commit()
        procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == "2.000815"))
        documents, fee = procedure.documents, procedure.fee
    page = client.get(f"{KIOSK}/procedures/2.000815").text
    assert "Chứng thực bản sao từ bản chính" in page and "Trong ngày" in page
    assert documents and all(document in page for document in documents)
    assert fee.split(",")[0] in page
    assert "Bộ phận Tiếp nhận và Trả kết quả, UBND xã Quảng Thọ" in page
    assert "Nộp trực tuyến" in page
    # The QR carries the page's own address on the LAN, so a phone can take the guide along.
    assert codes.qr_svg(f"http://192.168.1.10{KIOSK}/procedures/2.000815") in page


def test_a_procedure_no_longer_in_force_is_not_offered(app, client, demo):
    with app.app_context():
        procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == "1.001193"))
        procedure.active_to = date(2025, 12, 31)
        db.session.commit()
    assert client.get(f"{KIOSK}/procedures/1.001193").status_code == 404
    assert "Đăng ký khai sinh" not in client.get(f"{KIOSK}/procedures", query_string={"q": "khai sinh"}).text


# Survey and comments


def test_the_survey_starts_with_nothing_chosen(client, make_dossier):
    code = make_dossier(DossierStatus.RESULT_READY)
    response = client.get(f"{KIOSK}/survey", query_string={"code": "260305-0001"})
    assert response.status_code == 302 and response.location.endswith(f"{KIOSK}/survey/{code}")
    page = client.get(response.location).text
    assert "Rất hài lòng" in page and "Hài lòng" in page and "Không hài lòng" in page
    assert "checked" not in page
    assert MASKED in page


def test_a_survey_is_saved_once_and_a_second_one_is_refused_kindly(app, client, make_dossier):
    code = make_dossier(DossierStatus.RETURNED)
    answers = {"overall": "unsatisfied", "publicity": "2", "attitude": "0", "reasons": ["0", "3"],
               "comment": "Chờ lâu quá"}
    response = client.post(f"{KIOSK}/survey/{code}", data=answers)
    assert response.status_code == 302 and "/thanks" in response.location
    assert "Cảm ơn ông/bà đã đánh giá!" in client.get(response.location).text
    with app.app_context():
        survey = db.session.scalar(sa.select(Survey))
        assert (survey.overall, survey.channel, survey.answers) == ("unsatisfied", "kiosk",
                                                                    {"publicity": 2, "attitude": 0})
        assert survey.comment == "Phải chờ đợi lâu; Thái độ cán bộ chưa tốt\nChờ lâu quá"

    again = client.post(f"{KIOSK}/survey/{code}", data={"overall": "very_satisfied"})
    assert again.status_code == 409 and "Hồ sơ này đã được đánh giá. Xin cảm ơn ông/bà!" in again.text
    assert 'name="overall"' not in again.text
    assert "Hồ sơ này đã được đánh giá" in client.get(f"{KIOSK}/lookup", query_string={"code": code}).text
    assert surveys_count(app) == 1


def test_a_survey_without_the_overall_answer_asks_for_it(app, client, make_dossier):
    code = make_dossier(DossierStatus.RESULT_READY)
    response = client.post(f"{KIOSK}/survey/{code}", data={"publicity": "1"})
    assert response.status_code == 200
    assert "Vui lòng chọn một mức: Rất hài lòng, Hài lòng hoặc Không hài lòng." in response.text
    assert surveys_count(app) == 0


def test_a_dossier_without_its_result_cannot_be_surveyed_yet(app, client, make_dossier):
    code = make_dossier(DossierStatus.PROCESSING)
    page = client.get(f"{KIOSK}/survey/{code}").text
    assert "chưa có kết quả" in page and 'name="overall"' not in page
    assert client.post(f"{KIOSK}/survey/{code}", data={"overall": "satisfied"}).status_code == 409
    assert surveys_count(app) == 0


def test_a_general_comment_is_saved_and_an_empty_one_refused(app, client, demo):
    refused = client.post(f"{KIOSK}/comment", data={"text": "  ", "contact": ""})
    assert refused.status_code == 200 and "Vui lòng nhập nội dung góp ý." in refused.text
    response = client.post(f"{KIOSK}/comment", data={"text": "Nên có thêm ghế chờ", "contact": "0905111222"})
    assert response.status_code == 302 and "Cảm ơn ông/bà đã góp ý!" in client.get(response.location).text
    with app.app_context():
        comment = db.session.scalar(sa.select(Comment))
        assert (comment.text, comment.contact, comment.agency.code) == ("Nên có thêm ghế chờ", "0905111222",
                                                                        "000.13.31.H57")


def test_kiosk_forms_carry_a_csrf_token_and_refuse_a_post_without_it(database_url, make_dossier):
    code = make_dossier(DossierStatus.RESULT_READY)
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    client.get(enrol_kiosk(app))
    for url in (f"{KIOSK}/survey/{code}", f"{KIOSK}/comment"):
        assert 'name="csrf_token"' in client.get(url).text
    refused = client.post(f"{KIOSK}/comment", data={"text": "Góp ý"})
    assert refused.status_code == 400 and "Màn hình đã mở quá lâu" in refused.text
    assert f'href="{KIOSK}/"' in refused.text and "/auth/" not in refused.text  # a way back home
    assert client.post(f"{KIOSK}/survey/{code}", data={"overall": "satisfied"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 0
    with app.app_context():  # once the session above has given its connection back
        db.engine.dispose()


# Limits


@pytest.fixture
def limited_client(database_url, demo):
    """A client of an app whose public limit is two lookups (RATELIMIT_ENABLED is off in the other tests)."""
    app = make_app(database_url, RATELIMIT_ENABLED=True, PUBLIC_RATE_LIMIT="2 per hour")
    client = app.test_client()
    client.get(enrol_kiosk(app))  # the enrolment link is not a lookup: it costs nothing of the budget
    yield client
    with app.app_context():
        db.engine.dispose()


def test_too_many_lookups_get_a_please_wait_screen(limited_client, make_dossier):
    code = make_dossier(DossierStatus.PROCESSING)
    for _ in range(3):  # the keypad screen itself costs nothing
        assert limited_client.get(f"{KIOSK}/lookup").status_code == 200
    assert limited_client.get(f"{KIOSK}/lookup", query_string={"code": code}).status_code == 200
    assert limited_client.get(f"{KIOSK}/survey/{code}").status_code == 200
    response = limited_client.get(f"{KIOSK}/lookup", query_string={"code": code})
    assert response.status_code == 429
    assert "Vui lòng chờ một chút" in response.text
    assert all(link.startswith((f"{KIOSK}/", "/static/kiosk/", "data:")) for link in links(response.text))


def test_the_public_api_and_phone_page_are_rate_limited_too(limited_client, make_dossier):
    code = make_dossier(DossierStatus.PROCESSING)
    statuses = [limited_client.get(f"/api/v1/public/dossiers/{code}").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert limited_client.get(f"/api/v1/public/dossiers/{code}").json["error"]["code"] == "too_many_requests"
    statuses = [limited_client.get(f"/tra-cuu/{code}").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


# Privacy and staying inside the kiosk


def readable(response) -> str:
    """The answer as text, JSON without \\u escapes (else a name in it would go unnoticed)."""
    return json.dumps(response.json, ensure_ascii=False) if response.is_json else response.text


def public_answers(app, client, code) -> dict[str, str]:
    """Every kiosk page and public answer that concerns the dossier, by name."""
    token = codes.lookup_token(code, app.config["SECRET_KEY"])
    answers = {url: readable(client.get(url)) for url in (
        f"{KIOSK}/", f"{KIOSK}/lookup", f"{KIOSK}/lookup?code={code}", f"{KIOSK}/lookup?code=260305-0001",
        f"{KIOSK}/survey/{code}", f"{KIOSK}/procedures?q=giam+ho", f"{KIOSK}/procedures/1.004837",
        f"{KIOSK}/comment", f"{KIOSK}/thanks", f"/tra-cuu/{code}", f"/tra-cuu/{code}?t={token}",
        f"/api/v1/public/dossiers/{code}", f"/api/v1/public/dossiers/{code}?t={token}")}
    survey = client.post(f"/api/v1/public/dossiers/{code}/survey?t={token}", json={"overall": "satisfied"})
    answers["POST survey"] = readable(survey)
    answers["kiosk survey again"] = client.get(f"{KIOSK}/survey/{code}").text
    return answers


def test_no_public_page_or_answer_contains_personal_data(app, client, make_dossier):
    code = make_dossier(DossierStatus.RETURNED)
    answers = public_answers(app, client, code)
    assert MASKED in answers[f"{KIOSK}/lookup?code={code}"]  # the pages do show the dossier
    assert MASKED in answers[f"/api/v1/public/dossiers/{code}?t={token_of(app, code)}"]
    for where, text in answers.items():
        for secret in (*PERSON.values(), "Bích Ngọc", RECIPIENT):
            assert secret not in text, (where, secret)


def token_of(app, code):
    return codes.lookup_token(code, app.config["SECRET_KEY"])


def test_the_phone_page_shows_the_kiosk_view_with_the_token_and_only_status_and_dates_without(
        app, client, make_dossier):
    code = make_dossier(DossierStatus.RESULT_READY)
    full = client.get(f"/tra-cuu/{code}?t={token_of(app, code)}").text
    for shown in ("Hồ sơ đã có kết quả.", "Mời ông/bà đến quầy nhận kết quả.", MASKED, "Đăng ký giám hộ",
                  "UBND xã Quảng Thọ", "09:00 05/03/2026", "09:00 10/03/2026"):
        assert shown in full, shown
    bare = client.get(f"/tra-cuu/{code}?t=wrong").text
    assert "Hồ sơ đã có kết quả." in bare and "09:00 05/03/2026" in bare and "09:00 10/03/2026" in bare
    assert MASKED not in bare and "Đăng ký giám hộ" not in bare and "UBND xã Quảng Thọ" not in bare


def test_no_link_leads_out_of_the_kiosk(app, client, make_dossier):
    code = make_dossier(DossierStatus.RESULT_READY)
    pages = [f"{KIOSK}/", f"{KIOSK}/lookup", f"{KIOSK}/lookup?code={code}", f"{KIOSK}/lookup?code=1",
             f"{KIOSK}/survey", f"{KIOSK}/survey/{code}", f"{KIOSK}/procedures", f"{KIOSK}/procedures?q=sinh",
             f"{KIOSK}/procedures/1.001193", f"{KIOSK}/comment", f"{KIOSK}/thanks", f"{KIOSK}/nowhere"]
    for url in pages:
        found = links(client.get(url).text)
        assert found, url
        outside = [link for link in found if not link.startswith((f"{KIOSK}/", "/static/kiosk/", "data:"))]
        assert outside == [], url
