"""The small forms behind each workflow button: well-formed input only, the rules are in the domain."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, DecimalField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..extensions import db
from ..models import User

NOTE = [Optional(), Length(max=2000)]
REASON = [DataRequired(_l("Cần ghi lý do.")), Length(max=2000)]


class StepForm(FlaskForm):
    """A step with an optional note; `back` says which page to return to."""

    back = HiddenField()
    note = TextAreaField(_l("Ghi chú"), validators=NOTE)

    def params(self) -> dict:
        return {"note": self.note.data or ""}


class HandOverForm(StepForm):
    to_user = StringField(_l("Người nhận"), validators=[DataRequired(_l("Cần chọn người nhận hồ sơ."))])

    def validate_to_user(self, field):
        self.receiver = db.session.scalar(sa.select(User).where(User.username == field.data.strip()))
        if self.receiver is None:
            raise ValidationError(_l("Không tìm thấy cán bộ có tên đăng nhập này."))

    def params(self) -> dict:
        return {**super().params(), "to_user": self.receiver}


class SupplementForm(FlaskForm):
    back = HiddenField()
    reason = TextAreaField(_l("Lý do"), validators=[DataRequired(_l("Cần ghi lý do yêu cầu bổ sung.")),
                                                    Length(max=2000)])
    items = TextAreaField(_l("Giấy tờ cần bổ sung, hoàn thiện (mỗi dòng một loại)"),
                          validators=[DataRequired(_l("Cần liệt kê giấy tờ cần bổ sung.")), Length(max=4000)])

    def params(self) -> dict:
        return {"reason": self.reason.data, "items": [line.strip() for line in self.items.data.splitlines()]}


class SendForm(StepForm):
    agency_code = StringField(_l("Cơ quan phối hợp"), validators=[DataRequired(_l("Cần chọn cơ quan phối hợp."))])
    share = DecimalField(_l("Thời hạn của cơ quan phối hợp"), places=None, validators=[
        Optional(), NumberRange(min=0.01, max=365, message=_l("Thời hạn phải là số dương, tối đa 365."))])

    confirm_late = BooleanField(_l("Vẫn chuyển dù quá ngày hẹn trả"))

    def params(self) -> dict:
        return {**super().params(), "agency_code": self.agency_code.data, "share": self.share.data,
                "confirm_late": self.confirm_late.data}


class ReturnResultForm(FlaskForm):
    back = HiddenField()
    recipient = StringField(_l("Người nhận kết quả"),
                            validators=[DataRequired(_l("Cần ghi tên người nhận kết quả.")), Length(max=200)])

    def params(self) -> dict:
        return {"recipient": self.recipient.data}


class ReasonForm(FlaskForm):
    back = HiddenField()
    reason = TextAreaField(_l("Lý do"), validators=REASON)

    def params(self) -> dict:
        return {"reason": self.reason.data}


class ApologyForm(ReasonForm):
    new_promised_at = DateTimeLocalField(
        _l("Ngày hẹn trả mới"), format=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        validators=[DataRequired(_l("Cần chọn ngày giờ hẹn trả mới (dd/mm/yyyy hh:mm)."))])

    def params(self) -> dict:
        return {**super().params(), "new_promised_at": self.new_promised_at.data}


FORMS = {
    "hand_over": HandOverForm, "request_supplement": SupplementForm, "resume": StepForm,
    "send_to_partner": SendForm, "partner_returned": StepForm, "submit_for_approval": StepForm,
    "approve": StepForm, "mark_ready": StepForm, "return_result": ReturnResultForm, "apologize": ApologyForm,
    "refuse": ReasonForm, "withdraw": ReasonForm, "stop": ReasonForm,
}


def form_for(action: str) -> FlaskForm | None:
    """The form of a workflow step, bound to the request; None for an unknown step."""
    form_class = FORMS.get(action)
    return form_class() if form_class else None


def errors_of(form: FlaskForm) -> str:
    """Every field error of the form, in one line for a flash message."""
    return " ".join(str(error) for name, errors in form.errors.items() if name != "csrf_token" for error in errors) \
        or " ".join(str(error) for error in form.errors.get("csrf_token", []))
