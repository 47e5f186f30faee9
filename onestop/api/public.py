"""Public API, without a token and rate limited (DESIGN.md §6): a dossier's masked view and its survey.

The receipt's QR link carries a token (`?t=`, DESIGN.md §5). Without it the view has status and dates
only, as on the phone page, and a survey is refused: dossier codes follow each other day by day, so
anyone could otherwise answer, once and for good, in a citizen's place.
"""
from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from .. import clock, lookups, surveys
from ..extensions import db, limiter
from ..models import CRITERIA, Dossier, Overall, SurveyChannel
from .errors import ApiError
from .fields import InputSchema, LocalDateTime, Text, messages, moment
from .schemas import ProcedureRef
from .views import bp

_public_limit = limiter.limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"])


def _score(label):
    return fields.Integer(strict=True, validate=validate.Range(0, 2, error=_l(
        "Điểm của %(field)s phải là 0, 1 hoặc 2.", field=label)), error_messages=messages(label))


class TokenQuery(InputSchema):
    t = fields.String(load_default="", metadata={"description": "The token of the receipt's QR link"})


class AnswersInput(InputSchema):
    publicity = _score(_l("tiêu chí công khai thủ tục (publicity)"))
    attitude = _score(_l("tiêu chí thái độ cán bộ (attitude)"))
    feedback = _score(_l("tiêu chí tiếp thu, giải đáp ý kiến (feedback)"))


class SurveyInput(InputSchema):
    overall = fields.Enum(Overall, by_value=True, required=True, error_messages={
        **messages(_l("mức độ hài lòng chung (overall)")),
        "unknown": _l("Mức độ hài lòng (overall) phải là một trong: %(names)s.",
                      names=", ".join(item.value for item in Overall))})
    answers = fields.Nested(AnswersInput, load_default=dict, metadata={
        "description": "Criteria 6-8 of Circular 01/2018, each 0-2; a criterion left out was not answered"})
    comment = Text(_l("ý kiến (comment)"), limit=surveys.TEXT_LIMIT, load_default="")
    channel = fields.Enum(SurveyChannel, by_value=True, load_default=SurveyChannel.WEB,
                          validate=validate.OneOf([SurveyChannel.KIOSK, SurveyChannel.WEB], error=_l(
                              "Kênh đánh giá (channel) phải là kiosk hoặc web.")),
                          error_messages={**messages(_l("kênh đánh giá (channel)")),
                                          "unknown": _l("Kênh đánh giá (channel) phải là kiosk hoặc web.")})


class HistorySchema(Schema):
    at = LocalDateTime()
    note = fields.String()


class PublicDossierSchema(Schema):
    code = fields.String()
    status = fields.String()
    status_number = fields.Integer(metadata={"description": "National portal status number"})
    status_text = fields.String(metadata={"description": "The status in plain words"})
    advice = fields.String(metadata={"description": "What the citizen should do, e.g. collect the result"})
    received_at = LocalDateTime()
    promised_at = LocalDateTime(allow_none=True, metadata={"description": "None while paused for a supplement"})
    paused = fields.Boolean()
    returned_at = LocalDateTime(allow_none=True)
    details = fields.Boolean(metadata={"description": "Whether the token opened the fields below"})
    procedure = fields.Nested(ProcedureRef)
    applicant = fields.String(metadata={"description": "The name masked as `Nguyễn V. A.`"})
    holder = fields.String(metadata={"description": "The agency that has the dossier now"})
    history = fields.Nested(HistorySchema, many=True)
    survey_open = fields.Boolean()
    surveyed = fields.Boolean()


class SurveySchema(Schema):
    code = fields.Function(lambda survey: survey.dossier.code)
    overall = fields.Enum(Overall, by_value=True)
    answers = fields.Dict(keys=fields.String(validate=validate.OneOf(CRITERIA)), values=fields.Integer())
    comment = fields.String()
    channel = fields.Enum(SurveyChannel, by_value=True)
    created_at = LocalDateTime()


@bp.get("/public/dossiers/<code>")
@_public_limit
@bp.doc(security=[], parameters=[{"in": "query", "name": "t", "required": False, "schema": {"type": "string"},
                                  "description": "The token of the receipt's QR link"}])
@bp.response(200, PublicDossierSchema)
@bp.alt_response(404, response="NOT_FOUND")
def public_dossier(code):
    """A dossier as the public sees it: status and dates; with the token also procedure, masked name, holder.

    Other query parameters are ignored: a link passed on through a chat app often comes back with some.
    """
    view = lookups.lookup(code, request.args.get("t"), where="api")
    if view is None:
        raise ApiError(404, _("Không tìm thấy hồ sơ có mã “%(code)s”.", code=code[:40]))
    # Written out here rather than dumped through the schema, which costs more than the lookup itself
    # (BENCHMARKS.md); tests/test_surveys.py checks the answers against the schema.
    return jsonify(_as_json(view))


@bp.post("/public/dossiers/<code>/survey")
@_public_limit
@bp.doc(security=[])
@bp.arguments(TokenQuery(), location="query")
@bp.arguments(SurveyInput())
@bp.response(201, SurveySchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def public_survey(query, data, code):
    """Answer the satisfaction survey of a dossier whose result is ready or returned; once per dossier."""
    dossier = _dossier_or_404(code)
    if not lookups.token_opens_details(dossier, query["t"]):
        raise ApiError(403, _("Cần đường dẫn trong mã QR của giấy tiếp nhận (có tham số t) để đánh giá hồ sơ này."))
    survey = surveys.submit(dossier, data["overall"], data["answers"], data["comment"], data["channel"], clock.now())
    db.session.commit()
    return survey, 201


def _dossier_or_404(code: str) -> Dossier:
    dossier = lookups.find(code, agency=None, where="api")
    if dossier is None:
        raise ApiError(404, _("Không tìm thấy hồ sơ có mã “%(code)s”.", code=code[:40]))
    return dossier


def _as_json(view: lookups.PublicDossier) -> dict:
    """The view as PublicDossierSchema describes it; without the token the detail keys are left out, not null."""
    answer = dict(code=view.code, status=view.status.value, status_number=view.status_number,
                  status_text=view.status_text, advice=view.advice, received_at=moment(view.received_at),
                  promised_at=moment(view.promised_at), paused=view.paused, returned_at=moment(view.returned_at),
                  details=view.full)
    if view.full:
        answer.update(procedure={"code": view.procedure_code, "name": view.procedure_name},
                      applicant=view.applicant, holder=view.holder,
                      history=[{"at": moment(at), "note": note} for at, note in view.history],
                      survey_open=view.survey_open, surveyed=view.surveyed)
    return answer

