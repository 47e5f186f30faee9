"""Fields of the API's schemas: Vietnamese messages, Vietnam time, the desk's ID and phone rules."""
import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, missing, validate

from .. import catalogue, clock
from ..desk.forms import digits_only
from .errors import NOT_AN_OBJECT, UNKNOWN_FIELD


def messages(label) -> dict:
    """Marshmallow's built-in errors, in Vietnamese and naming the field."""
    invalid = _l("Giá trị của %(field)s không hợp lệ.", field=label)
    return {"required": _l("Thiếu %(field)s.", field=label), "null": _l("Không được để trống %(field)s.", field=label),
            "invalid": invalid, "type": invalid, "format": invalid, "too_large": invalid, "unknown": invalid}


def max_length(limit: int, label) -> validate.Length:
    """At most `limit` characters."""
    return validate.Length(max=limit, error=_l("Độ dài của %(field)s vượt quá {max} ký tự.", field=label))


class InputSchema(Schema):
    """A request body or query: unknown keys are refused, with Vietnamese messages."""

    error_messages = {"unknown": UNKNOWN_FIELD, "type": NOT_AN_OBJECT}


class Text(fields.String):
    """A string with the spaces around it trimmed."""

    def __init__(self, label, *, blank=None, limit=None, **kwargs):
        extra = kwargs.pop("validate", None)
        checks = [extra] if callable(extra) else list(extra or [])
        errors = messages(label)
        if blank is not None:  # required, and not only spaces
            checks.append(validate.Length(min=1, error=blank))
            errors.update(required=blank, null=blank)
        if limit is not None:
            checks.append(max_length(limit, label))
        super().__init__(validate=checks, error_messages=errors, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Digits(Text):
    """A number typed the desk's way (spaces, dots and dashes dropped, +84 read as 0), checked by a pattern."""

    def __init__(self, label, pattern: re.Pattern, wrong, **kwargs):
        self.pattern, self.wrong = pattern, wrong
        super().__init__(label, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        digits = digits_only(super()._deserialize(value, attr, data, **kwargs))
        if digits and not self.pattern.match(digits):
            raise ValidationError(str(self.wrong))
        return digits


# A "+" left unencoded in a query string arrives as a space: "…T15:20:00 07:00".
_SPACED_OFFSET = re.compile(r" (\d{2}(?::?\d{2})?)$")


def moment(value: datetime | None) -> str | None:
    """A moment as the API writes it: ISO 8601 to the second, in Vietnam time with its offset."""
    return None if value is None else clock.local(value).isoformat(timespec="seconds")


class LocalDateTime(fields.DateTime):
    """ISO 8601 with its offset, written in Asia/Ho_Chi_Minh; read without an offset it means Vietnam time."""

    YEARS = range(1900, 2101)  # deadline arithmetic past year 9999 has no date to land on

    def __init__(self, label=None, **kwargs):
        super().__init__(error_messages={"invalid": _l(
            "Giá trị của %(field)s phải là thời điểm theo ISO 8601, ví dụ 2025-03-12T15:20:00+07:00.",
            field=label), "year": _l("Năm của %(field)s phải từ 1900 đến 2100.", field=label)}
            if label else {"year": _l("Năm phải từ 1900 đến 2100.")}, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return moment(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            moment = datetime.fromisoformat(_SPACED_OFFSET.sub(r"+\1", value.strip()))
        except ValueError:
            raise self.make_error("invalid") from None
        if moment.year not in self.YEARS:
            raise self.make_error("year")
        return clock.as_aware(moment)


class Day(fields.Date):
    """A date written yyyy-mm-dd."""

    def __init__(self, label, **kwargs):
        wrong = _l("Giá trị của %(field)s phải là ngày dạng yyyy-mm-dd, ví dụ 2025-03-12.", field=label)
        super().__init__(format="%Y-%m-%d", error_messages={**messages(label), "invalid": wrong, "format": wrong},
                         **kwargs)


class ProcedureCode(Text):
    """A procedure code of the catalogue; loads as (the Procedure, the calendar in force), read in one query."""

    def __init__(self, label, *, blank, **kwargs):
        super().__init__(label, **kwargs)
        self.blank = blank
        self.error_messages.update(required=blank, null=blank)
        self.metadata.setdefault("minLength", 1)

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs)
        if not code:  # checked here: validators would see the Procedure, not the code
            raise ValidationError(str(self.blank))
        found = catalogue.find_in_force(code)
        if found is None:
            raise ValidationError(str(_l("Không tìm thấy thủ tục có mã “%(code)s”; hãy chọn từ danh mục.",
                                         code=code[:40])))
        return found


class Whole(fields.Nested):
    """Nested fields read from the object itself (a dossier's applicant columns)."""

    def get_value(self, obj, attr, accessor=None, default=missing):
        return obj
