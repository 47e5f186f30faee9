"""The kiosk's two forms: the satisfaction survey and a general comment (messages in Vietnamese)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from onestop.models import Overall

OVERALL = [SelectChoice(Overall.VERY_SATISFIED.value, _l("Rất hài lòng")),
           SelectChoice(Overall.SATISFIED.value, _l("Hài lòng")),
           SelectChoice(Overall.UNSATISFIED.value, _l("Không hài lòng"))]
# Criteria 6-8 of Circular 01/2018 (domain.md §4), asked in everyday words; best answer first, worth 2.
CRITERIA = [
    ("publicity", _l("Thông tin về thủ tục (giấy tờ cần nộp, thời hạn, lệ phí) có được niêm yết, hướng dẫn rõ ràng?"),
     [_l("Rõ ràng, đầy đủ"), _l("Chưa đầy đủ"), _l("Không có")]),
    ("attitude", _l("Thái độ của cán bộ tiếp nhận và trả kết quả?"),
     [_l("Lịch sự, tận tình"), _l("Bình thường"), _l("Chưa tốt, gây phiền hà")]),
    ("feedback", _l("Thắc mắc, ý kiến của ông/bà có được giải đáp?"),
     [_l("Được giải đáp đầy đủ"), _l("Giải đáp chưa đầy đủ"), _l("Không được giải đáp")]),
]
# Quick reasons to touch, because typing on a screen is hard for many.
REASONS = [_l("Phải chờ đợi lâu"), _l("Phải đi lại nhiều lần"), _l("Hướng dẫn chưa rõ ràng"),
           _l("Thái độ cán bộ chưa tốt"), _l("Trả kết quả trễ hẹn")]
TEXT_LIMIT = 1000


def _criterion(name, labels):
    choices = [SelectChoice(str(score), label) for score, label in zip((2, 1, 0), labels)]
    return RadioField(name, choices=choices, validators=[Optional()])


class SurveyForm(FlaskForm):
    """The overall question (required, nothing pre-selected), three criteria and an optional comment."""

    overall = RadioField(_l("Ông/bà có hài lòng với việc giải quyết hồ sơ?"), choices=OVERALL,
                         validators=[InputRequired(_l("Vui lòng chọn một mức: Rất hài lòng, Hài lòng "
                                                      "hoặc Không hài lòng."))])
    publicity = _criterion("publicity", CRITERIA[0][2])
    attitude = _criterion("attitude", CRITERIA[1][2])
    feedback = _criterion("feedback", CRITERIA[2][2])
    reasons = SelectMultipleField(_l("Lý do"), validators=[Optional()], choices=[
        SelectChoice(str(index), label) for index, label in enumerate(REASONS)])
    comment = TextAreaField(_l("Ý kiến khác (không bắt buộc)"), validators=[
        Optional(), Length(max=TEXT_LIMIT, message=_l("Ý kiến dài quá %(max)d ký tự."))])

    def answers(self) -> dict:
        return {name: int(getattr(self, name).data) for name, _label, _choices in CRITERIA
                if getattr(self, name).data is not None}

    def full_comment(self) -> str:
        picked = [str(REASONS[int(index)]) for index in self.reasons.data or []]
        text = (self.comment.data or "").strip()
        return "\n".join(part for part in ("; ".join(picked), text) if part)


class CommentForm(FlaskForm):
    """A comment not about any one dossier."""

    text = TextAreaField(_l("Nội dung góp ý"), validators=[
        DataRequired(_l("Vui lòng nhập nội dung góp ý.")),
        Length(max=TEXT_LIMIT, message=_l("Nội dung dài quá %(max)d ký tự."))])
    contact = StringField(_l("Số điện thoại hoặc tên để liên hệ lại (không bắt buộc)"), validators=[
        Optional(), Length(max=200, message=_l("Thông tin liên hệ dài quá %(max)d ký tự."))])
