"""WTForms' own messages in Vietnamese, so a screen in Vietnamese never shows "Not a valid decimal value".

WTForms ships no Vietnamese catalog; Flask-WTF asks `request.wtforms_translations` first, so every
screen gets this one: Vietnamese messages on a Vietnamese screen, WTForms' English as written in its code
on an English one (its own English catalog swaps a few, e.g. "Not a valid week value." for the time's).
"""
from flask import request
from flask_babel import get_locale

VIETNAMESE = {
    "This field is required.": "Cần nhập trường này.",
    "Not a valid decimal value.": "Cần nhập một số (ví dụ 3 hoặc 0,5).",
    "Not a valid float value.": "Cần nhập một số (ví dụ 3 hoặc 0,5).",
    "Not a valid integer value.": "Cần nhập một số nguyên.",
    "Not a valid date value.": "Ngày không hợp lệ (dạng ngày/tháng/năm).",
    "Not a valid datetime value.": "Thời điểm không hợp lệ.",
    "Not a valid time value.": "Giờ không hợp lệ (dạng HH:MM).",
    "Not a valid week value.": "Tuần không hợp lệ.",
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Invalid email address.": "Địa chỉ thư điện tử không hợp lệ.",
    "Invalid URL.": "Địa chỉ trang web không hợp lệ.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Invalid value, must be one of: %(values)s.": "Giá trị phải là một trong: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Giá trị không được là: %(values)s.",
    "Number must be at least %(min)s.": "Số phải từ %(min)s trở lên.",
    "Number must be at most %(max)s.": "Số phải không quá %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Số phải từ %(min)s đến %(max)s.",
    "Date must be at least %(min)s.": "Ngày phải từ %(min)s trở đi.",
    "Date must be at most %(max)s.": "Ngày phải không muộn hơn %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Ngày phải từ %(min)s đến %(max)s.",
    "Field must be equal to %(other_name)s.": "Phải trùng với %(other_name)s.",
    "Field must be at least %(min)d character long.": "Cần ít nhất %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Cần ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Dài tối đa %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Dài tối đa %(max)d ký tự.",
    "Field must be exactly %(max)d character long.": "Phải đúng %(max)d ký tự.",
    "Field must be exactly %(max)d characters long.": "Phải đúng %(max)d ký tự.",
    "Field must be between %(min)d and %(max)d characters long.": "Phải dài từ %(min)d đến %(max)d ký tự.",
    "CSRF token missing.": "Biểu mẫu đã hết hạn; hãy tải lại trang rồi gửi lại.",
    "CSRF failed.": "Biểu mẫu đã hết hạn; hãy tải lại trang rồi gửi lại.",
    "CSRF token expired.": "Biểu mẫu đã hết hạn; hãy tải lại trang rồi gửi lại.",
    "Invalid CSRF Token.": "Biểu mẫu đã hết hạn; hãy tải lại trang rồi gửi lại.",
    "This field is disabled and cannot have a value.": "Trường này bị khóa, không nhận giá trị.",
}


class _ScreenLanguage:
    """Asked by WTForms for each message it shows: Vietnamese on a Vietnamese screen, else WTForms' own words.

    The screen's language is looked up only when a message is shown, so a request that shows none and
    translates nothing else (an API call) does not select a locale for it.
    """

    def ugettext(self, string):
        return VIETNAMESE.get(string, string) if str(get_locale()) == "vi" else string

    def ungettext(self, singular, plural, n):
        return self.ugettext(singular if n == 1 else plural)


_MESSAGES = _ScreenLanguage()


def use_for_this_request():
    """A before_request hook: WTForms' messages follow the screen's language (see _ScreenLanguage)."""
    request.wtforms_translations = _MESSAGES
