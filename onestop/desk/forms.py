"""Forms of the reception desk, with Vietnamese messages."""
import re
import uuid
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .. import clock, idcards
from ..dossiers import Applicant, Intake
from ..extensions import db
from ..models import Channel, Procedure
from ..notifications import providers
from ..text import N_
from ..text import unfit_for_a_name

# Citizen ID (CCCD) has 12 digits; mobiles are 0[3|5|7|8|9] + 8 digits, landlines 02x + 8 digits.
ID_NUMBER = re.compile(r"^\d{12}$")
PHONE = re.compile(r"^(0[35789]\d{8}|02\d{9})$")


def digits_only(value):
    """A phone or ID number as digits only: spaces, dots and dashes gone, +84 written as 0."""
    return re.sub(r"[\s.\-]", "", value or "").replace("+84", "0", 1) if value else value


class DayField(StringField):
    """A date typed as dd/mm/yyyy (or yyyy-mm-dd), with a Vietnamese message when it is not one."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.raw, self.data = text, None
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                self.data = datetime.strptime(text, pattern).date()
                return
            except ValueError:
                continue
        if text:
            raise ValueError(_l("Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 05/03/1990."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d/%m/%Y") if isinstance(self.data, date) else ""


class ReceiveForm(FlaskForm):
    """Intake of one dossier."""

    procedure_code = StringField(_l("Thủ tục hành chính"), validators=[DataRequired(_l("Cần chọn thủ tục hành chính."))])
    applicant_name = StringField(_l("Họ tên người nộp / tên tổ chức"),
                                 validators=[DataRequired(_l("Cần nhập họ tên người nộp hồ sơ.")), Length(max=200)])
    is_organisation = BooleanField(_l("Là tổ chức"))
    id_number = StringField(_l("Số CCCD/định danh"), filters=[digits_only], validators=[Optional()])
    phone = StringField(_l("Số điện thoại"), filters=[digits_only], validators=[Optional()])
    email = StringField(_l("Thư điện tử"), validators=[Optional(), Email(_l("Địa chỉ thư điện tử không hợp lệ.")), Length(max=200)])
    address = StringField(_l("Địa chỉ"), validators=[Optional(), Length(max=500)])
    date_of_birth = DayField(_l("Ngày sinh"))
    sex = SelectField(_l("Giới tính"), default="", choices=[
        SelectChoice("", "—"), SelectChoice("male", _l("Nam")), SelectChoice("female", _l("Nữ"))])
    intake_token = HiddenField(default=lambda: uuid.uuid4().hex)
    no_documents = BooleanField(_l("Tiếp nhận dù chưa đánh dấu giấy tờ nào"))
    channel = SelectField(_l("Hình thức nộp"), default=Channel.DIRECT.value, choices=[
        SelectChoice(Channel.DIRECT.value, _l("Trực tiếp")), SelectChoice(Channel.POSTAL.value, _l("Bưu chính")),
        SelectChoice(Channel.ONLINE.value, _l("Trực tuyến"))])
    quantity = IntegerField(_l("Số bộ hồ sơ"), default=1,
                            validators=[NumberRange(1, 99, _l("Số bộ hồ sơ phải từ 1 đến 99."))])
    result_delivery = SelectField(_l("Nhận kết quả tại"), default="desk", choices=[
        SelectChoice("desk", _l("Bộ phận Một cửa")), SelectChoice("post", _l("Qua bưu chính")),
        SelectChoice("online", _l("Trực tuyến"))])
    note = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=2000)])
    # Issue 19: the citizen's consent to messages, on the channels configured (none offered when none is).
    notify = SelectMultipleField(_l("Công dân đồng ý nhận thông báo qua"), choices=[], coerce=str,
                                 widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"sms": _l("Tin nhắn SMS"), "zalo": _l("Zalo"), "email": _l("Thư điện tử")}
        self.notify.choices = [(str(channel), labels[channel]) for channel in providers.channels_on(current_app.config)]

    def validate_notify(self, field):
        if {"sms", "zalo"} & set(field.data or []) and not self.phone.data:
            raise ValidationError(_l("Cần số điện thoại để gửi thông báo qua SMS hoặc Zalo."))
        if "email" in (field.data or []) and not self.email.data:
            raise ValidationError(_l("Cần địa chỉ thư điện tử để gửi thông báo qua thư."))

    def validate_procedure_code(self, field):
        code = (field.data or "").strip()
        self.procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == code))
        if self.procedure is None:
            raise ValidationError(_l("Không tìm thấy thủ tục có mã này; hãy chọn từ danh sách."))

    def validate_applicant_name(self, field):
        if unfit_for_a_name(field.data):
            raise ValidationError(_l("Họ tên không được chứa ký tự điều khiển hay biểu tượng cảm xúc (emoji)."))

    def validate_id_number(self, field):
        if field.data and not ID_NUMBER.match(field.data):
            raise ValidationError(_l("Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số."))
        if field.data and not idcards.valid_province(field.data):
            raise ValidationError(_l("Ba chữ số đầu của số CCCD/định danh là mã tỉnh nơi đăng ký khai sinh (001–096)."))

    def validate_date_of_birth(self, field):
        if field.data and not date(1900, 1, 1) <= field.data <= clock.today():
            raise ValidationError(_l("Ngày sinh không hợp lệ."))

    def validate_phone(self, field):
        if field.data and not PHONE.match(field.data):
            raise ValidationError(_l("Số điện thoại không hợp lệ (di động 10 số bắt đầu bằng 03, 05, 07, 08, 09; cố định 11 số bắt đầu bằng 02)."))

    def applicant(self) -> Applicant:
        return Applicant(name=self.applicant_name.data, id_number=self.id_number.data or "",
                         phone=self.phone.data or "", email=self.email.data or "",
                         address=self.address.data or "", is_organisation=self.is_organisation.data,
                         date_of_birth=self.date_of_birth.data, sex=self.sex.data or "")

    def intake(self, documents: list[str]) -> Intake:
        return Intake(channel=Channel(self.channel.data), quantity=self.quantity.data, documents=documents,
                      note=self.note.data or "", result_delivery=self.result_delivery.data,
                      token=self.intake_token.data or None)


DOCUMENT_KINDS = {"original": N_("Bản chính"), "copy": N_("Bản sao"), "certified": N_("Bản sao chứng thực")}


def submitted_documents(form_data) -> list[dict]:
    """The checked documents of the intake checklist: name, kind and number of copies."""
    documents = []
    for index in form_data.getlist("doc_checked"):
        name = (form_data.get(f"doc_name_{index}") or "").strip()[:300]
        kind = form_data.get(f"doc_kind_{index}", "original")
        count = form_data.get(f"doc_count_{index}", "1")
        if name:
            documents.append({"name": name, "kind": kind if kind in DOCUMENT_KINDS else "original",
                              "count": int(count) if count.isdigit() and 0 < int(count) < 100 else 1})
    return documents
