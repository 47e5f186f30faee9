"""What the API reads and writes, as marshmallow schemas (the OpenAPI document is generated from them)."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from .. import idcards, paging
from ..desk.forms import DOCUMENT_KINDS, ID_NUMBER, PHONE
from ..dossiers import Applicant, Intake
from ..models import AgencyLevel, Channel, DossierStatus, Timeliness
from ..text import unfit_for_a_name
from .fields import Day, Digits, InputSchema, LocalDateTime, ProcedureCode, Text, Whole, messages

NOTIFY_CHANNELS = ("sms", "zalo", "email")
PAGE = fields.Integer(load_default=1, validate=validate.Range(min=1, max=paging.MAX_PAGE, error=_l(
    "Số trang phải từ 1 đến 1.000.000.")),
                      error_messages=messages(_l("số trang")))


# Requests

class PageQuery(InputSchema):
    page = PAGE


class ProcedureQuery(InputSchema):
    q = Text(_l("từ khóa tìm kiếm"), limit=200, load_default="",
             metadata={"description": "Words of the name or the code, accents and case optional"})
    page = PAGE


class AppointmentQuery(InputSchema):
    received_at = LocalDateTime(_l("thời điểm tiếp nhận (received_at)"), metadata={
        "description": "When the dossier would be received (default: now); without an offset it is Vietnam time"})


class DossierQuery(InputSchema):
    status = fields.Enum(DossierStatus, by_value=True, error_messages={"unknown": _l(
        "Trạng thái phải là một trong: %(names)s.", names=", ".join(status.value for status in DossierStatus))})
    overdue = fields.Boolean(error_messages=messages(_l("lọc quá hạn (overdue)")),
                             metadata={"description": "true: open dossiers past their deadline; false: the others"})
    received_from = Day(_l("ngày nhận từ (received_from)"))
    received_to = Day(_l("ngày nhận đến (received_to)"))
    page = PAGE

    @validates_schema
    def _in_order(self, data, **kwargs):
        if data.get("received_from") and data.get("received_to") and data["received_from"] > data["received_to"]:
            raise ValidationError(str(_l("Ngày nhận đến phải không sớm hơn ngày nhận từ.")), "received_to")


class DocumentSchema(InputSchema):
    name = Text(_l("tên giấy tờ"), blank=_l("Cần ghi tên giấy tờ."), limit=300, required=True)
    kind = fields.String(load_default="original", validate=validate.OneOf(DOCUMENT_KINDS, error=_l(
        "Loại bản phải là một trong: %(kinds)s.", kinds=", ".join(DOCUMENT_KINDS))),
        error_messages=messages(_l("loại bản")))
    count = fields.Integer(strict=True, load_default=1, validate=validate.Range(1, 99, error=_l(
        "Số bản phải từ 1 đến 99.")), error_messages=messages(_l("số bản")))


_DOCUMENT = DocumentSchema()


class DocumentItem(fields.Field):
    """A submitted document: its name alone, or {name, kind, count} as the desk records it."""

    def __init__(self, *, answer=False, **kwargs):
        documented = {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "kind": {"type": "string", "enum": list(DOCUMENT_KINDS)},
            "count": {"type": "integer", "minimum": 1, "maximum": 99}}}
        super().__init__(metadata=documented if answer else {"oneOf": [{"type": "string"}, documented]}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = {"name": value}
        if not isinstance(value, dict):
            raise ValidationError(str(_l("Mỗi giấy tờ là một tên hoặc một đối tượng {name, kind, count}.")))
        return _DOCUMENT.load(value)

    def _serialize(self, value, attr, obj, **kwargs):
        return document_item(value)


def document_item(value) -> dict:
    """A submitted document as answered: one recorded by its name alone is one original."""
    return {"name": value, "kind": "original", "count": 1} if isinstance(value, str) else value


SEXES = ("", "male", "female")
_EMAIL = validate.Email(error=_l("Địa chỉ thư điện tử không hợp lệ."))


class ApplicantInput(InputSchema):
    name = Text(_l("họ tên người nộp"), blank=_l("Cần nhập họ tên người nộp hồ sơ."), limit=200, required=True)
    id_number = Digits(_l("số CCCD/định danh"), ID_NUMBER, _l("Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số."),
                       load_default="", metadata={"description": "12 digits"})
    phone = Digits(_l("số điện thoại"), PHONE, _l("Số điện thoại không hợp lệ (di động 10 số bắt đầu bằng 03, 05, 07, "
                                                   "08, 09; cố định 11 số bắt đầu bằng 02)."), load_default="",
                   metadata={"description": "Mobile 0[35789] + 8 digits or landline 02 + 9 digits; spaces, dots, "
                                            "dashes and +84 accepted"})
    email = Text(_l("thư điện tử"), limit=200, load_default="", validate=lambda value: not value or _EMAIL(value),
                 metadata={"description": "An e-mail address, or empty"})
    address = Text(_l("địa chỉ"), limit=500, load_default="")
    is_organisation = fields.Boolean(load_default=False, error_messages=messages(_l("là tổ chức (is_organisation)")))
    date_of_birth = Day(_l("ngày sinh (date_of_birth)"), load_default=None, allow_none=True)
    sex = fields.String(load_default="", validate=validate.OneOf(SEXES, error=_l(
        "Giới tính (sex) phải là một trong: male, female hoặc để trống.")), error_messages=messages(_l("giới tính (sex)")),
        metadata={"description": "male, female or empty (from the ID card: Nam / Nữ)"})

    @validates_schema
    def _printable_name(self, data, **kwargs):
        if unfit_for_a_name(data.get("name", "")):
            raise ValidationError(str(_l("Họ tên không được chứa ký tự điều khiển hay biểu tượng cảm xúc (emoji).")),
                                  "name")

    @validates_schema
    def _province(self, data, **kwargs):
        if data.get("id_number") and not idcards.valid_province(data["id_number"]):
            raise ValidationError(str(_l("Ba chữ số đầu của số CCCD/định danh là mã tỉnh nơi đăng ký khai sinh "
                                         "(001–096).")), "id_number")

    @post_load
    def _applicant(self, data, **kwargs):
        return Applicant(**data)


class DossierInput(InputSchema):
    procedure_code = ProcedureCode(_l("mã thủ tục"), blank=_l("Cần chọn thủ tục hành chính."), required=True)
    applicant = fields.Nested(ApplicantInput, required=True, error_messages=messages(_l("người nộp hồ sơ")))
    channel = fields.Enum(Channel, by_value=True, load_default=Channel.DIRECT, error_messages={
        **messages(_l("hình thức nộp")),
        "unknown": _l("Hình thức nộp phải là một trong: %(names)s.", names=", ".join(c.value for c in Channel))})
    quantity = fields.Integer(strict=True, load_default=1, validate=validate.Range(1, 99, error=_l(
        "Số bộ hồ sơ phải từ 1 đến 99.")), error_messages=messages(_l("số bộ hồ sơ")))
    documents = fields.List(DocumentItem(), load_default=list, error_messages=messages(_l("thành phần hồ sơ")))
    note = Text(_l("ghi chú"), limit=2000, load_default="")
    notify = fields.List(fields.String(validate=validate.OneOf(NOTIFY_CHANNELS, error=_l(
        "Kênh nhận thông báo phải là một trong: sms, zalo, email."))), load_default=list,
        error_messages=messages(_l("kênh nhận thông báo (notify)")),
        metadata={"description": "The channels the citizen agreed to be told on (issue 19); empty or absent: none. "
                                 "Only channels configured on the installation are accepted."})

    @post_load
    def _intake(self, data, **kwargs):
        intake = Intake(channel=data["channel"], quantity=data["quantity"], documents=data["documents"],
                        note=data["note"])
        procedure, calendar = data["procedure_code"]
        return {"procedure": procedure, "calendar": calendar, "applicant": data["applicant"], "intake": intake,
                "notify": data["notify"]}


# Answers

class AgencyRef(Schema):
    code = fields.String()
    name = fields.String()


class ProcedureRef(Schema):
    code = fields.String()
    name = fields.String()


class FieldSchema(Schema):
    name = fields.String()


class AgencySchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.Enum(AgencyLevel, by_value=True)
    parent = fields.Pluck(AgencyRef, "code", allow_none=True, metadata={"description": "The parent agency's code"})
    external = fields.Boolean(metadata={"description": "Outside the system: its legs are recorded by the desk"})


def _same_day(procedure) -> bool:
    return procedure.deadline_unit == "same_day" or (
        procedure.deadline_unit != "calendar_days" and not procedure.deadline_value)


class DeadlineSchema(Schema):
    # 0 working days or hours is a same-day deadline (domain.md §3): say so, whatever was stored.
    value = fields.Function(lambda p: None if _same_day(p) else float(p.deadline_value),
                            metadata={"type": "number", "nullable": True})
    unit = fields.Function(lambda p: "same_day" if _same_day(p) else p.deadline_unit, metadata={
        "type": "string", "enum": ["working_days", "working_hours", "calendar_days", "same_day"]})
    label = fields.String(attribute="deadline_label", metadata={"example": "3 ngày làm việc"})


class ProcedureSummarySchema(Schema):
    code = fields.String()
    name = fields.String()
    field_name = fields.Pluck(FieldSchema, "name", attribute="field", data_key="field")
    deadline = Whole(DeadlineSchema)


class RouteStepSchema(Schema):
    agency_code = fields.Pluck(AgencyRef, "code", attribute="agency", dump_only=True)
    agency_name = fields.Pluck(AgencyRef, "name", attribute="agency", dump_only=True)
    share = fields.Float(attribute="share_value", metadata={"description": "The partner's share, in the same unit"})


class ProcedureSchema(ProcedureSummarySchema):
    online_level = fields.String()
    fee = fields.String()
    documents = fields.List(fields.String())
    approval_required = fields.Boolean()
    route = fields.Nested(RouteStepSchema, many=True)


class AppointmentSchema(Schema):
    received_at = LocalDateTime()
    due_at = LocalDateTime()


class ApplicantSchema(Schema):
    name = fields.String(attribute="applicant_name")
    id_number = fields.String(attribute="applicant_id_number")
    phone = fields.String(attribute="applicant_phone")
    email = fields.String(attribute="applicant_email")
    address = fields.String(attribute="applicant_address")
    is_organisation = fields.Boolean(attribute="applicant_is_organisation")
    date_of_birth = fields.Date(attribute="applicant_date_of_birth", allow_none=True)
    sex = fields.String(attribute="applicant_sex")


class UserRef(Schema):
    username = fields.String()


class EventSchema(Schema):
    at = LocalDateTime()
    action = fields.String()
    actor = fields.Pluck(UserRef, "username", allow_none=True)
    note = fields.String()


class LegSchema(Schema):
    partner_code = fields.Pluck(AgencyRef, "code", attribute="partner")
    sent_at = LocalDateTime()
    due_at = LocalDateTime()
    returned_at = LocalDateTime(allow_none=True)


class DossierSummarySchema(Schema):
    code = fields.String()
    procedure = fields.Nested(ProcedureRef)
    agency = fields.Pluck(AgencyRef, "code")
    applicant = Whole(ApplicantSchema)
    channel = fields.Enum(Channel, by_value=True)
    quantity = fields.Integer()
    status = fields.Enum(DossierStatus, by_value=True)
    status_number = fields.Integer(metadata={"description": "National portal status number"})
    status_label = fields.String()
    received_at = LocalDateTime()
    due_at = LocalDateTime(metadata={"description": "The legal deadline"})
    promised_at = LocalDateTime(metadata={"description": "What the citizen was told (moves with an apology)"})
    completed_at = LocalDateTime(allow_none=True)
    returned_at = LocalDateTime(allow_none=True)
    timeliness = fields.Enum(Timeliness, by_value=True, allow_none=True)


class DossierSchema(DossierSummarySchema):
    documents = fields.List(DocumentItem(answer=True))
    note = fields.String()
    events = fields.Nested(EventSchema, many=True)
    legs = fields.Nested(LegSchema, many=True)


class PartnerDossierSchema(Schema):
    """What a partner agency sees of a dossier sent to it, as in its inbox: no applicant, notes or history."""

    code = fields.String()
    procedure = fields.Nested(ProcedureRef)
    agency = fields.Pluck(AgencyRef, "code", metadata={"description": "The agency that received the dossier"})
    status = fields.Enum(DossierStatus, by_value=True)
    status_label = fields.String()


class _Page(Schema):
    page = fields.Integer()
    pages = fields.Integer()
    total = fields.Integer()


class AgencyPage(_Page):
    items = fields.Nested(AgencySchema, many=True)


class ProcedurePage(_Page):
    items = fields.Nested(ProcedureSummarySchema, many=True)


class DossierPage(_Page):
    items = fields.Nested(DossierSummarySchema, many=True)
