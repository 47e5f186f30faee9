"""POST /api/v1/dossiers/<code>/actions: the workflow steps of DESIGN.md §4 for scripts and integrations."""
import sqlalchemy as sa
from flask import jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from .. import calendars, clock, transfers, workflow
from ..extensions import db
from ..models import User
from . import answers, auth
from .errors import ApiError
from .fields import InputSchema, LocalDateTime, Text, messages
from .schemas import DossierSchema, LegSchema, PartnerDossierSchema
from .views import bp

# The parameters each step takes; any other key is refused, so a typo never goes unnoticed.
PARAMETERS = {
    "hand_over": {"to_user", "note"}, "request_supplement": {"reason", "items"}, "resume": {"note"},
    "send_to_partner": {"agency_code", "share", "note", "confirm_late"}, "partner_returned": {"note"},
    "submit_for_approval": {"note"}, "approve": {"note"}, "mark_ready": {"note"},
    "return_result": {"recipient"}, "apologize": {"reason", "new_promised_at"},
    "refuse": {"reason"}, "withdraw": {"reason"}, "stop": {"reason"},
}
REQUIRED = {"hand_over": ("to_user",), "request_supplement": ("reason", "items"), "send_to_partner": ("agency_code",),
            "return_result": ("recipient",), "apologize": ("reason", "new_promised_at"), "refuse": ("reason",),
            "withdraw": ("reason",), "stop": ("reason",)}


class ActionInput(InputSchema):
    action = fields.String(required=True, validate=validate.OneOf(list(PARAMETERS), error=_l(
        "Thao tác phải là một trong: %(names)s.", names=", ".join(PARAMETERS))),
        error_messages=messages(_l("thao tác (action)")))
    to_user = Text(_l("người nhận (to_user)"), limit=64, metadata={"description": "Username of the receiver"})
    reason = Text(_l("lý do (reason)"), limit=2000)
    items = fields.List(Text(_l("giấy tờ cần bổ sung"), limit=300), error_messages=messages(_l("giấy tờ (items)")),
                        metadata={"description": "What the citizen must add or fix, one string each"})
    note = Text(_l("ghi chú (note)"), limit=2000)
    agency_code = Text(_l("mã cơ quan phối hợp (agency_code)"), limit=13)
    share = fields.Float(validate=validate.Range(min=0.01, max=365, error=_l(
        "Thời hạn của cơ quan phối hợp phải là số dương, tối đa 365.")),
        error_messages=messages(_l("thời hạn (share)")), metadata={"description": "The partner's time, in the procedure's unit (default: the route's share)"})
    confirm_late = fields.Boolean(error_messages=messages(_l("xác nhận quá ngày hẹn (confirm_late)")), metadata={
        "description": "send_to_partner: true to send although the leg would end after the citizen's appointment"})
    recipient = Text(_l("người nhận kết quả (recipient)"), limit=200)
    new_promised_at = LocalDateTime(_l("ngày hẹn trả mới (new_promised_at)"))

    @validates_schema
    def _fits_the_action(self, data, **kwargs):
        action = data.get("action")
        if action not in PARAMETERS:
            return
        for name in sorted(set(data) - PARAMETERS[action] - {"action"}):
            raise ValidationError(_("Trường “%(name)s” không dùng cho thao tác %(action)s.", name=name,
                                    action=action), name)
        for name in REQUIRED.get(action, ()):
            if data.get(name) in (None, "", []):
                raise ValidationError(_("Thao tác %(action)s cần trường “%(name)s”.", action=action, name=name), name)


@bp.post("/dossiers/<code>/actions")
@auth.allow("clerk", "officer", "leader")
@bp.arguments(ActionInput())
@bp.response(200, DossierSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def act(data, code):
    """Take one workflow step; 409 with the reason when the rules refuse it, and nothing changes.

    A partner agency's caller gets only the code, procedure, receiving agency, status and its own legs back.
    """
    user = auth.current()
    dossier = transfers.find_for(user, code, lock=True)
    if dossier is None:
        raise ApiError(404, _("Không tìm thấy hồ sơ có mã “%(code)s”.", code=code[:40]))
    action = data.pop("action")
    if "to_user" in data:
        data["to_user"] = _user_named(data["to_user"])
    workflow.perform(action, dossier, user, now=clock.now(), calendar=calendars.current(), **data)
    db.session.commit()
    if dossier.agency_id != user.agency_id:  # a partner sees no more here than in its inbox
        return _partner_view(dossier, user.agency_id)
    return jsonify(answers.dossier(dossier))


def _partner_view(dossier, agency_id: int):
    legs = [leg for leg in dossier.legs if leg.partner_id == agency_id]  # its own legs, not other partners'
    return jsonify({**PartnerDossierSchema().dump(dossier), "legs": LegSchema(many=True).dump(legs)})


def _user_named(username: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        message = _("Không tìm thấy cán bộ có tên đăng nhập “%(name)s”.", name=username[:64])
        raise ApiError(422, message, fields={"to_user": [message]})
    return user
