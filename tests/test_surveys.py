"""Satisfaction surveys and comments: once per dossier, after the result; the public API that takes them."""
from datetime import datetime

import pytest
import schemathesis
import sqlalchemy as sa
from schemathesis.checks import response_schema_conformance
from sqlalchemy.exc import IntegrityError

from onestop import calendars, codes, dossiers, seed, surveys
from onestop.clock import VN
from onestop.errors import WorkflowError
from onestop.extensions import db
from onestop.models import Comment, Dossier, DossierStatus, Procedure, Survey, User

NOW = datetime(2026, 3, 5, 9, 0, tzinfo=VN)


def _receive(status=DossierStatus.RESULT_READY, name="Trần Thị Bích Ngọc") -> Dossier:
    procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == "1.004837"))
    clerk = db.session.scalar(sa.select(User).where(User.username == "clerk"))
    dossier = dossiers.receive(procedure, dossiers.Applicant(name=name), dossiers.Intake(), agency=clerk.agency,
                               clerk=clerk, now=NOW, calendar=calendars.current())
    dossier.status = status
    db.session.flush()
    return dossier


@pytest.fixture
def ready(session, demo):
    return _receive()


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# The domain


def test_a_survey_of_a_ready_dossier_is_kept_with_its_answers(session, ready):
    survey = surveys.submit(ready, "very_satisfied", {"publicity": 2, "attitude": 1, "feedback": 0},
                            "  Cán bộ nhiệt tình  ", "kiosk", NOW)
    db.session.commit()
    stored = db.session.scalar(sa.select(Survey))
    assert stored is survey
    assert (stored.overall, stored.channel, stored.comment) == ("very_satisfied", "kiosk", "Cán bộ nhiệt tình")
    assert stored.answers == {"publicity": 2, "attitude": 1, "feedback": 0}
    assert stored.created_at == NOW
    assert surveys.refusal(ready) == surveys.already_answered()


def test_a_returned_dossier_can_be_surveyed_and_criteria_may_be_skipped(session, demo):
    dossier = _receive(DossierStatus.RETURNED)
    survey = surveys.submit(dossier, "satisfied", {"attitude": 2}, "", "web", NOW)
    assert survey.answers == {"attitude": 2}


def test_a_second_survey_of_the_same_dossier_is_refused_kindly(session, ready):
    surveys.submit(ready, "satisfied", {}, "", "kiosk", NOW)
    db.session.commit()
    with pytest.raises(WorkflowError, match="đã được đánh giá"):
        surveys.submit(ready, "unsatisfied", {}, "Lần hai", "web", NOW)
    db.session.commit()
    assert count(Survey) == 1
    assert db.session.scalar(sa.select(Survey.overall)) == "satisfied"


@pytest.mark.parametrize("status", [DossierStatus.RECEIVED, DossierStatus.PROCESSING,
                                    DossierStatus.AWAITING_SUPPLEMENT, DossierStatus.REFUSED,
                                    DossierStatus.WITHDRAWN])
def test_no_survey_before_the_result_is_ready(session, demo, status):
    dossier = _receive(status)
    with pytest.raises(WorkflowError, match="chưa có kết quả"):
        surveys.submit(dossier, "satisfied", {}, "", "kiosk", NOW)
    assert count(Survey) == 0


@pytest.mark.parametrize(("overall", "answers", "channel", "field"), [
    ("", {}, "kiosk", "overall"),
    ("rat_hai_long", {}, "kiosk", "overall"),
    ("satisfied", {"publicity": 3}, "kiosk", "answers"),
    ("satisfied", {"attitude": -1}, "kiosk", "answers"),
    ("satisfied", {"feedback": True}, "kiosk", "answers"),
    ("satisfied", {"speed": 2}, "kiosk", "answers"),
    ("satisfied", {}, "phone", "channel"),
])
def test_invalid_answers_name_the_field_and_save_nothing(session, ready, overall, answers, channel, field):
    with pytest.raises(WorkflowError) as refused:
        surveys.submit(ready, overall, answers, "", channel, NOW)
    assert refused.value.field == field
    assert count(Survey) == 0


def test_a_comment_longer_than_the_limit_is_refused(session, ready):
    with pytest.raises(WorkflowError) as refused:
        surveys.submit(ready, "unsatisfied", {}, "x" * (surveys.TEXT_LIMIT + 1), "kiosk", NOW)
    assert refused.value.field == "comment"


def test_submit_leaves_the_commit_to_the_caller(session, ready):
    surveys.submit(ready, "satisfied", {}, "", "kiosk", NOW)
    db.session.rollback()
    assert count(Survey) == 0


def test_the_database_itself_refuses_two_surveys_of_one_dossier(session, ready):
    db.session.add(Survey(dossier=ready, overall="satisfied", channel="kiosk"))
    db.session.commit()
    db.session.add(Survey(dossier=ready, overall="unsatisfied", channel="web"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_general_comment_is_kept_for_the_agency(session, demo):
    home = seed.home_agency()
    surveys.add_comment(home, "  Nên có thêm ghế chờ.  ", "0905 000 111", NOW)
    db.session.commit()
    comment = db.session.scalar(sa.select(Comment))
    assert (comment.agency, comment.text, comment.contact, comment.created_at) == (
        home, "Nên có thêm ghế chờ.", "0905 000 111", NOW)


def test_an_empty_general_comment_is_refused(session, demo):
    with pytest.raises(WorkflowError, match="nội dung góp ý") as refused:
        surveys.add_comment(seed.home_agency(), "   ", "", NOW)
    assert refused.value.field == "text"
    assert count(Comment) == 0


# The public API (DESIGN.md §6)


@pytest.fixture
def api_dossier(app, demo):
    """A dossier whose result is ready, its code and the token of its receipt's QR link."""
    with app.app_context():
        code = _receive().code
        db.session.commit()
    return code, codes.lookup_token(code, app.config["SECRET_KEY"])


def survey_url(code, token=None):
    return f"/api/v1/public/dossiers/{code}/survey" + (f"?t={token}" if token else "")


def test_the_web_survey_is_created_once_with_channel_web_by_default(app, client, api_dossier):
    code, token = api_dossier
    response = client.post(survey_url(code, token), json={
        "overall": "very_satisfied", "answers": {"publicity": 2, "attitude": 2, "feedback": 1}, "comment": "Tốt"})
    assert response.status_code == 201, response.json
    assert response.json == {"code": code, "overall": "very_satisfied", "channel": "web", "comment": "Tốt",
                             "answers": {"publicity": 2, "attitude": 2, "feedback": 1},
                             "created_at": "2026-03-05T09:00:00+07:00"}
    again = client.post(survey_url(code, token), json={"overall": "unsatisfied"})
    assert again.status_code == 409
    assert again.json["error"]["code"] == "conflict" and "đã được đánh giá" in again.json["error"]["message"]
    with app.app_context():
        assert db.session.scalar(sa.select(Survey.channel)) == "web"
        assert count(Survey) == 1


def test_the_kiosk_channel_is_accepted_but_not_the_desk(app, client, api_dossier):
    code, token = api_dossier
    refused = client.post(survey_url(code, token), json={"overall": "satisfied", "channel": "desk"})
    assert refused.status_code == 422 and "channel" in refused.json["error"]["fields"]
    assert client.post(survey_url(code, token), json={"overall": "satisfied", "channel": "kiosk"}).status_code == 201
    with app.app_context():
        assert db.session.scalar(sa.select(Survey.channel)) == "kiosk"


def test_a_dossier_without_its_result_cannot_be_surveyed_by_api(app, client, demo):
    with app.app_context():
        code = _receive(DossierStatus.PROCESSING).code
        db.session.commit()
    token = codes.lookup_token(code, app.config["SECRET_KEY"])
    response = client.post(survey_url(code, token), json={"overall": "satisfied"})
    assert response.status_code == 409
    assert "chưa có kết quả" in response.json["error"]["message"]


@pytest.mark.parametrize("body", [
    {}, {"overall": "rat_hai_long"}, {"overall": "satisfied", "answers": {"publicity": 5}},
    {"overall": "satisfied", "answers": {"speed": 1}}, {"overall": "satisfied", "comment": "x" * 1001},
    {"overall": "satisfied", "answers": {"attitude": "2"}},
])
def test_invalid_survey_input_is_422_in_vietnamese_and_saves_nothing(app, client, api_dossier, body):
    code, token = api_dossier
    response = client.post(survey_url(code, token), json=body)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_input" and response.json["error"]["message"]
    with app.app_context():
        assert count(Survey) == 0


def test_an_unknown_code_is_404(client, demo):
    response = client.post(survey_url("000.13.31.H57-260305-0099", "x"), json={"overall": "satisfied"})
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    assert client.get("/api/v1/public/dossiers/khong-phai-ma").status_code == 404


def test_a_survey_without_the_receipts_token_is_refused(app, client, api_dossier):
    code, token = api_dossier
    for url in (survey_url(code), survey_url(code, token[::-1])):
        response = client.post(url, json={"overall": "unsatisfied"})
        assert response.status_code == 403, url
    with app.app_context():
        assert count(Survey) == 0


def test_the_public_view_shows_more_only_with_the_token(client, api_dossier):
    code, token = api_dossier
    bare = client.get(f"/api/v1/public/dossiers/{code}").json
    assert bare["status"] == "result_ready" and bare["status_number"] == 9 and bare["details"] is False
    assert bare["advice"] == "Mời ông/bà đến quầy nhận kết quả."
    assert bare["received_at"] == "2026-03-05T09:00:00+07:00"
    assert not {"procedure", "applicant", "holder", "history"} & set(bare)
    english = client.get(f"/api/v1/public/dossiers/{code}?lang=en").json  # the session keeps the choice
    assert (english["status_text"], english["advice"]) == ("The result is ready.",
                                                           "Please come to the desk to collect your result.")
    client.get(f"/api/v1/public/dossiers/{code}?lang=vi")

    full = client.get(f"/api/v1/public/dossiers/{code}?t={token}").json
    assert full["details"] is True
    assert full["applicant"] == "Trần T. B. N."
    assert full["procedure"] == {"code": "1.004837", "name": "Đăng ký giám hộ"}
    assert full["holder"] == "UBND xã Quảng Thọ"
    assert (full["survey_open"], full["surveyed"]) == (True, False)


def test_public_endpoints_are_in_the_openapi_document_without_security(client, demo):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert paths["/api/v1/public/dossiers/{code}"]["get"]["security"] == []
    assert paths["/api/v1/public/dossiers/{code}/survey"]["post"]["security"] == []


def test_the_public_answers_match_their_documented_schema(app, api_dossier):
    """The lookup writes its JSON by hand (it is the hot path): the OpenAPI document must still describe it."""
    code, token = api_dossier
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)["/api/v1/public/dossiers/{code}"]["GET"]
    for query in ({}, {"t": token}):
        case = operation.Case(path_parameters={"code": code}, query=query)
        response = case.call()
        assert response.status_code == 200
        case.validate_response(response, checks=[response_schema_conformance])


def test_a_shared_link_with_extra_parameters_still_opens_the_details(client, api_dossier):
    """Chat apps append their own parameters to links passed on; the lookup ignores them."""
    code, token = api_dossier
    answer = client.get(f"/api/v1/public/dossiers/{code}?t={token}&zarsrc=30&utm_source=zalo").json
    assert answer["details"] is True and answer["applicant"] == "Trần T. B. N."
    page = client.get(f"/tra-cuu/{code}?t={token}&zarsrc=30")
    assert page.status_code == 200 and "Trần T. B. N." in page.text
