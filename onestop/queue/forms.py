"""Forms of the queue: the kiosk's choice of line, the desk's buttons and the administrator's settings."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Regexp

from .words import LETTER_NAMES


class TakeForm(FlaskForm):
    """The kiosk's service buttons: each submits its letter."""

    service = StringField(validators=[DataRequired(), Length(max=1)])


class ActionForm(FlaskForm):
    """A desk button (call, recall, skip, take in, choose counter): CSRF only, the button names the action."""

    counter = IntegerField(default=None)


class ServiceForm(FlaskForm):
    letter = StringField(_l("Chữ cái"), validators=[
        DataRequired(_l("Nhập chữ cái của dịch vụ.")),
        Regexp("^[%s]$" % "".join(LETTER_NAMES), message=_l("Chữ cái là một chữ in hoa (A, B, C …)."))],
        filters=[lambda value: (value or "").strip().upper()])
    name = StringField(_l("Tên dịch vụ"), validators=[DataRequired(_l("Nhập tên dịch vụ.")), Length(max=200)])
    fields = SelectMultipleField(_l("Lĩnh vực thủ tục"), coerce=int)


class CounterForm(FlaskForm):
    number = IntegerField(_l("Số quầy"), validators=[
        DataRequired(_l("Nhập số quầy.")), NumberRange(1, 99, message=_l("Số quầy từ 1 đến 99."))])
    name = StringField(_l("Tên quầy"), validators=[Length(max=100)])
    letters = SelectMultipleField(_l("Dịch vụ phục vụ"), validators=[DataRequired(_l("Chọn ít nhất một dịch vụ."))])
