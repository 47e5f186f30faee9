"""Satisfaction surveys and general comments from citizens (domain.md §4).

Functions add to db.session and never commit: the caller commits once.
"""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from .errors import WorkflowError
from .extensions import db
from .models import CRITERIA, Agency, Comment, Dossier, DossierStatus, Kiosk, Overall, Survey, SurveyChannel

# Only a citizen who has the result can judge the whole service (domain.md §4).
SURVEYABLE = (DossierStatus.RESULT_READY, DossierStatus.RETURNED)
TEXT_LIMIT = 1000
CONTACT_LIMIT = 200


def find(dossier: Dossier) -> Survey | None:
    """The dossier's survey, if the citizen has answered it."""
    return db.session.scalar(sa.select(Survey).where(Survey.dossier_id == dossier.id))


def refusal(dossier: Dossier) -> str | None:
    """Why the survey of this dossier cannot be answered now, in words for the citizen; None if it can."""
    if dossier.status not in SURVEYABLE:
        return _("Hồ sơ chưa có kết quả nên chưa thể đánh giá. Mời ông/bà đánh giá sau khi nhận kết quả.")
    if find(dossier) is not None:
        return already_answered()
    return None


def submit(dossier: Dossier, overall: str, answers: dict | None, comment: str, channel: str,
           now: datetime, kiosk: Kiosk | None = None) -> Survey:
    """Record the citizen's answers, once per dossier, after the result is ready (and which kiosk took them)."""
    overall = _member(Overall, overall, "overall", _("Vui lòng chọn mức độ hài lòng chung."))
    channel = _member(SurveyChannel, channel, "channel", _("Kênh đánh giá không hợp lệ."))
    answers, comment = _checked_answers(answers), _checked_text(comment, TEXT_LIMIT, "comment")
    reason = refusal(dossier)
    if reason:
        raise WorkflowError(reason)
    survey = Survey(dossier=dossier, overall=overall, answers=answers, comment=comment, channel=channel,
                    created_at=now, kiosk_id=kiosk.id if kiosk else None)
    try:
        # Two screens answering at once: the unique constraint decides, the savepoint keeps the caller's
        # transaction usable, and the citizen gets the same kind answer as above.
        with db.session.begin_nested():
            db.session.add(survey)
    except IntegrityError:
        raise WorkflowError(already_answered()) from None
    return survey


def already_answered() -> str:
    """What a citizen reads when the dossier already has its survey."""
    return _("Hồ sơ này đã được đánh giá. Xin cảm ơn ông/bà!")


def add_comment(agency: Agency, text: str, contact: str, now: datetime) -> Comment:
    """Keep a general comment left at the agency's kiosk."""
    text = _checked_text(text, TEXT_LIMIT, "text")
    if not text:
        raise WorkflowError(_("Vui lòng nhập nội dung góp ý."), field="text")
    comment = Comment(agency=agency, text=text, contact=_checked_text(contact, CONTACT_LIMIT, "contact"),
                      created_at=now)
    db.session.add(comment)
    return comment


def _member(enum_class, value, field: str, message: str):
    try:
        return enum_class(value)
    except ValueError:
        raise WorkflowError(message, field=field) from None


def _checked_answers(answers: dict | None) -> dict:
    """The criteria answered, each 0, 1 or 2; a criterion left out was not answered."""
    answers = answers or {}
    wrong = not isinstance(answers, dict) or any(
        key not in CRITERIA or isinstance(value, bool) or value not in (0, 1, 2) for key, value in answers.items())
    if wrong:
        raise WorkflowError(_("Câu trả lời không hợp lệ: mỗi tiêu chí chỉ nhận 0, 1 hoặc 2."), field="answers")
    return {key: answers[key] for key in CRITERIA if key in answers}


def _checked_text(text: str | None, limit: int, field: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise WorkflowError(_("Nội dung dài quá %(limit)s ký tự.", limit=limit), field=field)
    return text
