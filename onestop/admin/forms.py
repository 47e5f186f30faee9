"""Forms of the administration pages, with Vietnamese messages."""
import re
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..deadlines import validate_sessions
from ..formatting import parse_user_date
from ..regimes import parse_switch

TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")
PHONE = re.compile(r"^\+?[\d .()-]{8,20}$")
URL = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
MAX_SESSIONS = 3


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _upper(value):
    return value.upper() if isinstance(value, str) else value


class OverrideForm(FlaskForm):
    """A day made off or working, with the reason the citizens' events will show."""

    day = StringField(_l("Ngày (dd/mm/yyyy)"), filters=[_strip],
                      validators=[DataRequired(_l("Cần nhập ngày điều chỉnh."))])
    kind = SelectField(_l("Loại điều chỉnh"), validate_choice=False, default="off",
                       choices=[SelectChoice("off", _l("Ngày nghỉ")), SelectChoice("workday", _l("Ngày làm việc"))])
    reason = StringField(_l("Lý do"), filters=[_strip], validators=[
        DataRequired(_l("Cần ghi lý do điều chỉnh lịch.")),
        Length(max=300, message=_l("Lý do dài tối đa 300 ký tự."))])

    def validate_day(self, field):
        try:
            day = parse_user_date(field.data)
        except ValueError:
            raise ValidationError(_l("Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy, ví dụ 09/03/2026.")) from None
        if not date(1990, 1, 1) <= day <= date(2100, 12, 31):
            raise ValidationError(_l("Chỉ điều chỉnh được các ngày từ năm 1990 đến năm 2100."))
        self.parsed_day = day

    def validate_kind(self, field):
        if field.data not in ("off", "workday"):
            raise ValidationError(_l("Loại điều chỉnh phải là ngày nghỉ hoặc ngày làm việc."))


class ConfirmDaysForm(FlaskForm):
    """Unconfirmed days (checkboxes named `day`, ISO dates) confirmed on the strength of a document."""

    basis = StringField(_l("Căn cứ xác nhận"), filters=[_strip],
                         validators=[Length(max=300, message=_l("Căn cứ dài tối đa 300 ký tự."))])


class RemoveOverrideForm(FlaskForm):
    """Only the CSRF token: which override comes from the URL."""


def _parse_time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _seconds(low: int, high: int, what):
    def check(form, field):
        if not (field.data or "").isdigit() or not low <= int(field.data) <= high:
            raise ValidationError(_l("%(what)s phải là số giây từ %(low)d đến %(high)d.",
                                     what=what, low=low, high=high))
    return check


def _days(low: int, high: int, what):
    def check(form, field):
        if not (field.data or "").isdigit() or not low <= int(field.data) <= high:
            raise ValidationError(_l("%(what)s phải là số ngày từ %(low)d đến %(high)d.", what=what, low=low, high=high))
    return check


def _years(low: int, high: int, what):
    def check(form, field):
        if not (field.data or "").isdigit() or not low <= int(field.data) <= high:
            raise ValidationError(_l("%(what)s phải là số năm từ %(low)d đến %(high)d.", what=what, low=low, high=high))
    return check


class SettingsForm(FlaskForm):
    """Working sessions, the same-day cut-off and what the forms, kiosk and lobby screen print."""

    session1_start = StringField(_l("Buổi 1, từ"), filters=[_strip])
    session1_end = StringField(_l("Buổi 1, đến"), filters=[_strip])
    session2_start = StringField(_l("Buổi 2, từ"), filters=[_strip])
    session2_end = StringField(_l("Buổi 2, đến"), filters=[_strip])
    session3_start = StringField(_l("Buổi 3, từ"), filters=[_strip])
    session3_end = StringField(_l("Buổi 3, đến"), filters=[_strip])
    same_day_cutoff = StringField(_l("Giờ chốt nhận hồ sơ giải quyết trong ngày"), filters=[_strip], validators=[
        DataRequired(_l("Cần nhập giờ chốt nhận hồ sơ trong ngày.")),
        Regexp(TIME, message=_l("Giờ chốt phải có dạng HH:MM, ví dụ 15:00."))])
    place_name = StringField(_l("Địa danh (in trên giấy tờ)"), filters=[_strip], validators=[
        DataRequired(_l("Cần nhập địa danh.")), Length(max=100, message=_l("Địa danh dài tối đa 100 ký tự."))])
    parent_body = StringField(_l("Cơ quan cấp huyện trước 01/07/2025 (in trên giấy tờ theo mẫu năm 2018)"),
                              filters=[_strip], validators=[
        Length(max=200, message=_l("Tên cơ quan cấp trên dài tối đa 200 ký tự."))])
    report_recipient = StringField(_l("Đơn vị nhận báo cáo (để trống: cơ quan cấp tỉnh)"), filters=[_strip],
                                   validators=[Length(max=200, message=_l("Tên đơn vị dài tối đa 200 ký tự."))])
    regime_switch_date = StringField(_l("Ngày bắt đầu áp dụng mẫu của Thông tư 03/2025/TT-VPCP"), filters=[_strip],
                                     validators=[DataRequired(_l("Cần nhập ngày bắt đầu áp dụng mẫu mới."))])
    leader_name = StringField(_l("Họ tên người ký"), filters=[_strip], validators=[
        Length(max=200, message=_l("Họ tên dài tối đa 200 ký tự."))])
    leader_title = StringField(_l("Chức danh người ký"), filters=[_strip], validators=[
        Length(max=100, message=_l("Chức danh dài tối đa 100 ký tự."))])
    contact_phone = StringField(_l("Số điện thoại liên hệ"), filters=[_strip], validators=[
        Optional(), Regexp(PHONE, message=_l("Số điện thoại chỉ gồm chữ số (8–20 ký tự), ví dụ 0234 3551 234."))])
    public_base_url = StringField(_l("Địa chỉ trang tra cứu công khai (cho mã QR)"), filters=[_strip], validators=[
        DataRequired(_l("Cần nhập địa chỉ trang tra cứu công khai.")),
        Regexp(URL, message=_l("Địa chỉ phải bắt đầu bằng http:// hoặc https://, ví dụ https://motcua.quangtho.vn.")),
        Length(max=200, message=_l("Địa chỉ dài tối đa 200 ký tự."))])
    kiosk_idle_seconds = StringField(_l("Ki-ốt tự quay về màn hình đầu sau (giây)"), filters=[_strip],
                                     validators=[_seconds(10, 3600, _l("Thời gian chờ của ki-ốt"))])
    display_poll_seconds = StringField(_l("Màn hình sảnh cập nhật mỗi (giây)"), filters=[_strip],
                                       validators=[_seconds(2, 600, _l("Chu kỳ cập nhật màn hình sảnh"))])
    api_token_days = StringField(_l("Mã truy cập API mới có hiệu lực (ngày)"), filters=[_strip],
                                 validators=[Optional(), _days(1, 3650, _l("Thời hạn của mã truy cập API"))])
    personal_data_years = StringField(_l("Giữ thông tin cá nhân của hồ sơ đã kết thúc (năm)"), filters=[_strip],
                                      validators=[Optional(), _years(1, 100, _l("Thời hạn lưu thông tin cá nhân"))])
    privacy_log_years = StringField(_l("Giữ nhật ký truy cập dữ liệu cá nhân (năm)"), filters=[_strip],
                                    validators=[Optional(), _years(1, 100, _l("Thời hạn lưu nhật ký truy cập"))])

    print_label_at_intake = BooleanField(_l("“Tiếp nhận và in giấy hẹn” in cả nhãn bìa hồ sơ"))

    GENERAL = ("place_name", "parent_body", "report_recipient", "leader_name", "leader_title", "contact_phone")
    LIFETIMES = ("api_token_days", "personal_data_years", "privacy_log_years")  # whole numbers; blank keeps the value

    @classmethod
    def initial(cls, values: dict) -> dict:
        """The stored settings as the form's starting data."""
        data = {key: values.get(key, "") for key in (*cls.GENERAL, "public_base_url", "same_day_cutoff")}
        data["regime_switch_date"] = parse_switch(values.get("regime_switch_date")).strftime("%d/%m/%Y")
        for number, (start, end) in enumerate(values["sessions"][:MAX_SESSIONS], start=1):
            data[f"session{number}_start"], data[f"session{number}_end"] = start, end
        data["kiosk_idle_seconds"] = str(values["kiosk_idle_seconds"])
        data["display_poll_seconds"] = str(values["display_poll_seconds"])
        for key in cls.LIFETIMES:
            data[key] = str(values[key])
        data["print_label_at_intake"] = bool(values.get("print_label_at_intake"))
        return data

    def validate_regime_switch_date(self, field):
        try:
            day = parse_user_date(field.data)
        except ValueError:
            raise ValidationError(_l("Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy, ví dụ 15/09/2025.")) from None
        # Decree 118/2025/NĐ-CP is in force from 01/07/2025; its forms cannot start before it.
        if not date(2025, 7, 1) <= day <= date(2100, 12, 31):
            raise ValidationError(_l("Ngày bắt đầu áp dụng mẫu mới phải từ 01/07/2025 (Nghị định 118/2025/NĐ-CP có hiệu lực)."))
        self.parsed_switch = day

    def session_rows(self):
        """(start field, end field) of each session row."""
        return [(self[f"session{n}_start"], self[f"session{n}_end"]) for n in range(1, MAX_SESSIONS + 1)]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.session_errors = []
        try:
            self.parsed_sessions = self._sessions()
            validate_sessions(self.parsed_sessions)
        except ValueError as error:  # the engine's messages are Vietnamese already
            self.session_errors.append(str(error))
        return valid and not self.session_errors

    def _sessions(self) -> tuple[tuple[time, time], ...]:
        sessions = []
        for number, (start, end) in enumerate(self.session_rows(), start=1):
            if not start.data and not end.data:
                continue  # an unused row
            if not (start.data and end.data):
                raise ValueError(str(_l("Buổi %(n)d: cần cả giờ bắt đầu và giờ kết thúc.", n=number)))
            if not (TIME.match(start.data) and TIME.match(end.data)):
                raise ValueError(str(_l("Buổi %(n)d: giờ phải có dạng HH:MM trong ngày (00:00–23:59).", n=number)))
            sessions.append((_parse_time(start.data), _parse_time(end.data)))
        return tuple(sessions)

    def day_length(self):
        """Hours of one working day with the sessions typed in."""
        return sum((datetime.combine(date.min, end) - datetime.combine(date.min, start)
                    for start, end in self.parsed_sessions), timedelta())

    def cutoff(self) -> time:
        return _parse_time(self.same_day_cutoff.data)

    def general_values(self) -> dict:
        """The settings other than the working hours, ready for settings.put."""
        values = {key: self[key].data or "" for key in self.GENERAL}
        values["public_base_url"] = self.public_base_url.data.rstrip("/")
        values["regime_switch_date"] = self.parsed_switch.isoformat()
        values["kiosk_idle_seconds"] = int(self.kiosk_idle_seconds.data)
        values["display_poll_seconds"] = int(self.display_poll_seconds.data)
        values["print_label_at_intake"] = bool(self.print_label_at_intake.data)
        for key in self.LIFETIMES:
            if self[key].data:  # left blank: unchanged
                values[key] = int(self[key].data)
        return values


USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
ROLE_CHOICES = [
    SelectChoice("clerk", _l("Một cửa: tiếp nhận, trả kết quả")), SelectChoice("officer", _l("Chuyên viên xử lý")),
    SelectChoice("leader", _l("Lãnh đạo: phê duyệt, báo cáo")), SelectChoice("admin", _l("Quản trị hệ thống")),
]
LEVEL_CHOICES = [
    SelectChoice("commune", _l("Cấp xã")), SelectChoice("district", _l("Cấp huyện")),
    SelectChoice("province", _l("Cấp tỉnh")), SelectChoice("department", _l("Sở, ngành")),
]


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of check boxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _password(label):
    return PasswordField(label, validators=[DataRequired(_l("Cần nhập mật khẩu.")),
                                            Length(max=200, message=_l("Mật khẩu dài tối đa 200 ký tự."))])


def _confirmation():
    return PasswordField(_l("Nhập lại mật khẩu"), validators=[
        DataRequired(_l("Cần nhập lại mật khẩu.")), EqualTo("password", _l("Hai lần nhập mật khẩu không giống nhau."))])


class UserForm(FlaskForm):
    """A staff account's full name and roles."""

    full_name = StringField(_l("Họ tên"), filters=[_strip], validators=[
        DataRequired(_l("Cần nhập họ tên.")), Length(max=200, message=_l("Họ tên dài tối đa 200 ký tự."))])
    roles = CheckboxesField(_l("Vai trò"), choices=ROLE_CHOICES, validate_choice=False,
                            validators=[DataRequired(_l("Cần chọn ít nhất một vai trò."))])
    # Deadline reminders go to this address (issue 19); without one the person sees them in the inbox only.
    email = StringField(_l("Thư điện tử (nhận nhắc việc)"), filters=[_strip], validators=[
        Optional(), Email(_l("Địa chỉ thư điện tử không hợp lệ.")), Length(max=200)])


class NewUserForm(UserForm):
    """A new staff account of the admin's agency, with its first password."""

    username = StringField(_l("Tên đăng nhập"), filters=[lambda value: _strip(value).lower() if value else value],
                           validators=[DataRequired(_l("Cần nhập tên đăng nhập.")), Regexp(USERNAME, message=_l(
                               "Tên đăng nhập gồm 2–64 chữ thường không dấu, chữ số, dấu chấm, gạch ngang "
                               "hoặc gạch dưới, ví dụ le.thu."))])
    password = _password(_l("Mật khẩu"))
    confirm = _confirmation()


class PasswordForm(FlaskForm):
    """A new password set by the admin for an account."""

    password = _password(_l("Mật khẩu mới"))
    confirm = _confirmation()


class ConfirmForm(FlaskForm):
    """Only the CSRF token, for a button that changes one thing named by the URL."""


class AgencyForm(FlaskForm):
    """An agency's electronic ID code, name, level, parent and whether it works outside the system."""

    code = StringField(_l("Mã định danh"), filters=[_strip, _upper],
                       validators=[DataRequired(_l("Cần nhập mã cơ quan."))])
    name = StringField(_l("Tên cơ quan"), filters=[_strip], validators=[
        DataRequired(_l("Cần nhập tên cơ quan.")), Length(max=255, message=_l("Tên cơ quan dài tối đa 255 ký tự."))])
    # Decree 118/2025/NĐ-CP: a commune receives dossiers at its Trung tâm Phục vụ hành chính công.
    receiving_unit = StringField(_l("Bộ phận tiếp nhận (in dưới tên cơ quan; để trống: Trung tâm Phục vụ hành chính công)"),
                                 filters=[_strip], validators=[
        Length(max=255, message=_l("Tên bộ phận tiếp nhận dài tối đa 255 ký tự."))])
    level = SelectField(_l("Cấp"), choices=LEVEL_CHOICES, default="commune", validate_choice=False)
    parent = SelectField(_l("Cơ quan cấp trên"), validate_choice=False, default="")
    external = BooleanField(_l("Ngoài hệ thống (không có tài khoản; bộ phận một cửa ghi nhận hồ sơ liên thông thay)"))

    def validate_level(self, field):
        if field.data not in {choice.value for choice in LEVEL_CHOICES}:
            raise ValidationError(_l("Cấp cơ quan không hợp lệ."))


class CatalogueImportForm(FlaskForm):
    """A catalogue file (CSV or XLSX) of procedures to add or update."""

    file = FileField(_l("Tệp danh mục thủ tục (.csv hoặc .xlsx)"), validators=[
        FileRequired(_l("Cần chọn tệp để nhập.")), FileAllowed(["csv", "xlsx"], _l("Chỉ nhận tệp .csv hoặc .xlsx."))])


class KioskForm(FlaskForm):
    """A lobby screen to enrol: its name and the agency whose kiosk it is."""

    name = StringField(_l("Tên kiosk"), filters=[_strip], validators=[
        DataRequired(_l("Cần đặt tên cho kiosk.")), Length(max=100, message=_l("Tên kiosk dài tối đa 100 ký tự."))])
    agency = SelectField(_l("Cơ quan"), validate_choice=False)
