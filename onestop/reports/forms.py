"""The period picker of the reports pages (a GET form: it changes nothing, so it carries no CSRF token)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import FieldList, Form, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from .. import periods
from ..formatting import parse_user_date, vn_date
from ..itreports import SECTIONS

EQUIPMENT_ROWS = 6
TEXT_LIMIT = 5000
TEXT_SECTIONS = tuple(key for key, _ in SECTIONS)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class PeriodForm(FlaskForm):
    """Which period: an official or calendar month/quarter/year, 6 or 9 months, or any range of days."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kỳ báo cáo"), default="month",
                       choices=[SelectChoice(kind, _l(periods.KIND_LABELS[kind])) for kind in periods.KINDS])
    year = IntegerField(_l("Năm"), validators=[Optional(), NumberRange(2000, 2100, _l("Năm phải từ 2000 đến 2100."))])
    number = IntegerField(_l("Tháng hoặc quý"), validators=[
        Optional(), NumberRange(1, 12, _l("Tháng/quý phải từ 1 đến 12."))])
    start = StringField(_l("Từ ngày (dd/mm/yyyy)"))
    end = StringField(_l("Đến ngày (dd/mm/yyyy)"))
    agency = SelectField(_l("Cơ quan"), validate_choice=False)

    def validate_start(self, field):
        self._day(field)

    def validate_end(self, field):
        self._day(field)

    def _day(self, field):
        if field.data:
            try:
                parse_user_date(field.data)
            except ValueError:
                raise ValidationError(_l("Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.")) from None

    def period(self, today) -> periods.Period:
        """The chosen period (ValueError with a Vietnamese message when it cannot be)."""
        day = (lambda text: parse_user_date(text) if text else None)
        return periods.resolve(self.kind.data, self.year.data or today.year, self.number.data or 1,
                               day(self.start.data), day(self.end.data))


class EquipmentForm(Form):
    """One line of the equipment table; a line left blank is dropped."""

    item = StringField(_l("Tên thiết bị"), filters=[_strip], validators=[Length(max=200)])
    quantity = IntegerField(_l("Số lượng"), validators=[
        Optional(), NumberRange(0, 100000, _l("Số lượng phải là số không âm."))])
    state = StringField(_l("Tình trạng"), filters=[_strip], validators=[Length(max=200)])
    note = StringField(_l("Ghi chú"), filters=[_strip], validators=[Length(max=300)])

    def validate_item(self, field):
        if not field.data and (self.quantity.data is not None or self.state.data or self.note.data):
            raise ValidationError(_l("Cần ghi tên thiết bị."))


class ItReportForm(FlaskForm):
    """Every section of the yearly IT report people write; the one-stop figures are computed."""

    start = StringField(_l("Từ ngày (dd/mm/yyyy)"), filters=[_strip],
                        validators=[DataRequired(_l("Cần nhập ngày bắt đầu kỳ báo cáo."))])
    end = StringField(_l("Đến ngày (dd/mm/yyyy)"), filters=[_strip],
                      validators=[DataRequired(_l("Cần nhập ngày kết thúc kỳ báo cáo."))])
    number = IntegerField(_l("Số báo cáo (để trống nếu văn thư ghi khi ban hành)"), validators=[
        Optional(), NumberRange(1, 9999, _l("Số báo cáo phải từ 1 đến 9999."))])
    desk_total = IntegerField(_l("Tổng số hồ sơ tại Bộ phận một cửa (để trống: bằng số hồ sơ trên phần mềm)"),
                              validators=[Optional(), NumberRange(0, 10**7, _l("Số hồ sơ phải là số không âm."))])
    equipment = FieldList(FormField(EquipmentForm), min_entries=EQUIPMENT_ROWS)
    staff = TextAreaField(_l("Nguồn nhân lực công nghệ thông tin"), validators=[Length(max=TEXT_LIMIT)])
    policies = TextAreaField(_l("Cơ chế, chính sách đã ban hành"), validators=[Length(max=TEXT_LIMIT)])
    portal = TextAreaField(_l("Cổng/Trang thông tin điện tử"), validators=[Length(max=TEXT_LIMIT)])
    documents = TextAreaField(_l("Quản lý văn bản và chữ ký số"), validators=[Length(max=TEXT_LIMIT)])
    email = TextAreaField(_l("Thư điện tử công vụ"), validators=[Length(max=TEXT_LIMIT)])
    software = TextAreaField(_l("Phần mềm dùng chung, nội bộ đang sử dụng"), validators=[Length(max=TEXT_LIMIT)])
    difficulties = TextAreaField(_l("Khó khăn, vướng mắc"), validators=[Length(max=TEXT_LIMIT)])
    next_steps = TextAreaField(_l("Phương hướng, nhiệm vụ thời gian tới"), validators=[Length(max=TEXT_LIMIT)])

    def validate_start(self, field):
        _parse(field)

    def validate_end(self, field):
        end, start = _parse(field), _quiet_parse(self.start.data)
        if start and end < start:
            raise ValidationError(_l("Ngày kết thúc phải sau ngày bắt đầu."))

    def period(self) -> periods.Period:
        """The report's period, named by the year when it is the official reporting year."""
        return periods.named(parse_user_date(self.start.data), parse_user_date(self.end.data))

    def sections(self) -> dict:
        """What was entered, as stored on the report: blank equipment lines dropped."""
        rows = [{key: row[key] if row[key] is not None else "" for key in ("item", "quantity", "state", "note")}
                for row in self.equipment.data if row["item"]]
        texts = {key: (getattr(self, key).data or "").strip() for key in TEXT_SECTIONS}
        return {**texts, "equipment": rows, "desk_total": self.desk_total.data}

    def fill(self, period: periods.Period, sections: dict) -> None:
        """Pre-fill from a draft: the period and the sections of the previous report."""
        self.start.data, self.end.data = vn_date(period.start), vn_date(period.end)
        self.desk_total.data = sections.get("desk_total")
        for key in TEXT_SECTIONS:
            getattr(self, key).data = sections.get(key, "")
        rows = list(sections.get("equipment") or [])
        while len(self.equipment.entries):
            self.equipment.pop_entry()
        for row in rows + [{}] * max(EQUIPMENT_ROWS - len(rows), 2):
            self.equipment.append_entry(row)


def _parse(field):
    try:
        return parse_user_date(field.data)
    except ValueError:
        raise ValidationError(_l("Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.")) from None


def _quiet_parse(text):
    try:
        return parse_user_date(text)
    except ValueError:
        return None


class LedgerImportForm(FlaskForm):
    """A register file (CSV or XLSX) of past dossiers to add to the desk's register."""

    file = FileField(_l("Tệp sổ theo dõi (.csv hoặc .xlsx)"), validators=[
        FileRequired(_l("Cần chọn tệp để nhập.")),
        FileAllowed(["csv", "xlsx"], _l("Chỉ nhận tệp .csv hoặc .xlsx."))])
