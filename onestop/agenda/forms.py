"""The schedule entry form, with Vietnamese messages."""
import re
from datetime import date, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..agendas import EntryData
from ..formatting import parse_user_date

TIME = re.compile(r"^([01]?\d|2[0-3])[:hH.]([0-5]\d)$")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class EntryForm(FlaskForm):
    """One entry of the week: day, time (blank for the whole day), content, who presides, place."""

    day = StringField(_l("Ngày (dd/mm/yyyy)"), filters=[_strip],
                      validators=[DataRequired(_l("Cần nhập ngày làm việc."))])
    start_time = StringField(_l("Giờ (HH:MM, để trống nếu cả ngày)"), filters=[_strip])
    content = TextAreaField(_l("Nội dung công việc"), filters=[_strip], validators=[
        DataRequired(_l("Cần nhập nội dung công việc.")),
        Length(max=500, message=_l("Nội dung dài tối đa 500 ký tự."))])
    presiding = StringField(_l("Chủ trì"), filters=[_strip], validators=[
        DataRequired(_l("Cần ghi người chủ trì.")),
        Length(max=200, message=_l("Tên người chủ trì dài tối đa 200 ký tự."))])
    place = StringField(_l("Địa điểm"), filters=[_strip], validators=[
        Length(max=200, message=_l("Địa điểm dài tối đa 200 ký tự."))])

    def validate_day(self, field):
        try:
            day = parse_user_date(field.data)
        except ValueError:
            raise ValidationError(_l("Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy, ví dụ 09/03/2026.")) from None
        if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
            raise ValidationError(_l("Chỉ nhập được các ngày từ năm 2000 đến năm 2100."))
        self.parsed_day = day

    def validate_start_time(self, field):
        match = TIME.match(field.data or "")
        if field.data and not match:
            raise ValidationError(_l("Giờ phải có dạng HH:MM, ví dụ 07:30; để trống nếu làm cả ngày."))
        self.parsed_time = time(int(match[1]), int(match[2])) if match else None

    def entry_data(self) -> EntryData:
        """The typed values, parsed, for agendas.add and agendas.update."""
        return EntryData(held_on=self.parsed_day, start_time=self.parsed_time, content=self.content.data,
                         presiding=self.presiding.data, place=self.place.data or "")


class DeleteForm(FlaskForm):
    """Only the CSRF token: which entry comes from the URL."""
