"""The satisfaction report (domain.md §4): answers per question and criterion, and what citizens wrote."""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from .clock import VN
from .extensions import db
from .models import CRITERIA, Agency, Comment, Dossier, Overall, Survey
from .periods import Period
from .statistics import descendants, satisfaction

# Circular 01/2018 criteria 6–8 as the report names them; scores 2 (best), 1, 0.
CRITERION_LABELS = {"publicity": "Công khai, minh bạch thông tin thủ tục hành chính",
                    "attitude": "Thái độ, tinh thần phục vụ của công chức",
                    "feedback": "Tiếp nhận, xử lý ý kiến phản ánh, kiến nghị"}
OVERALL_LABELS = {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "unsatisfied": "Không hài lòng"}
COMMENT_LIMIT = 200


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    scores: tuple[int, int, int]  # how many answered 2, 1, 0

    @property
    def answered(self) -> int:
        return sum(self.scores)

    @property
    def average(self) -> float | None:
        """The mean score out of 2, or None when nobody answered."""
        return (2 * self.scores[0] + self.scores[1]) / self.answered if self.answered else None


@dataclass(frozen=True)
class Remark:
    at: datetime
    text: str
    dossier_code: str  # "" for a general comment left at the kiosk
    overall: str       # "" for a general comment


@dataclass(frozen=True)
class SatisfactionReport:
    overall: tuple[tuple[str, str, int], ...]  # (key, label, count) per answer
    criteria: tuple[Criterion, ...]
    remarks: tuple[Remark, ...]

    @property
    def surveys(self) -> int:
        return sum(count for _, _, count in self.overall)

    def share(self, count: int) -> float:
        return count / self.surveys if self.surveys else 0.0


def report(agency: Agency, period: Period) -> SatisfactionReport:
    """Surveys of the dossiers received in the period, and the comments written in it, newest first."""
    ids = tuple(a.id for a in (agency, *descendants(agency)))
    counts = satisfaction(agency, period)
    overall = tuple((str(key), OVERALL_LABELS[str(key)], counts[str(key)]) for key in Overall)
    of_period = sa.and_(Dossier.agency_id.in_(ids), Dossier.received_on.between(period.start, period.end))
    return SatisfactionReport(overall, tuple(_criterion(key, of_period) for key in CRITERIA),
                              _remarks(ids, of_period, period))


def _criterion(key: str, of_period) -> Criterion:
    score = Survey.answers[key].as_integer()
    query = (sa.select(score, sa.func.count(Survey.id)).join(Dossier, Dossier.id == Survey.dossier_id)
             .where(of_period, score.is_not(None)).group_by(score))
    found = {int(value): number for value, number in db.session.execute(query)}
    return Criterion(key, CRITERION_LABELS[key], (found.get(2, 0), found.get(1, 0), found.get(0, 0)))


def _remarks(ids, of_period, period: Period) -> tuple[Remark, ...]:
    on_surveys = db.session.execute(
        sa.select(Survey.created_at, Survey.comment, Dossier.code, Survey.overall)
        .join(Dossier, Dossier.id == Survey.dossier_id).where(of_period, Survey.comment != "")
        .order_by(Survey.created_at.desc()).limit(COMMENT_LIMIT))
    start = datetime.combine(period.start, time.min, VN)
    end = datetime.combine(period.end + timedelta(days=1), time.min, VN)
    general = db.session.execute(
        sa.select(Comment.created_at, Comment.text).where(Comment.agency_id.in_(ids), Comment.created_at >= start,
                                                          Comment.created_at < end)
        .order_by(Comment.created_at.desc()).limit(COMMENT_LIMIT))
    remarks = [Remark(at, text, code, str(overall)) for at, text, code, overall in on_surveys]
    remarks += [Remark(at, text, "", "") for at, text in general]
    return tuple(sorted(remarks, key=lambda remark: remark.at, reverse=True)[:COMMENT_LIMIT])
