"""The satisfaction report: counts and shares per answer and per criterion, and the comments of the period."""
from datetime import datetime

import sqlalchemy as sa

from onestop import periods, satisfaction, seed
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import Comment, Dossier, Survey

from reportdata import build

MARCH = periods.official_month(2026, 3)


def _answers():
    def dossier(number):
        return db.session.scalar(sa.select(Dossier).where(Dossier.code.like(f"%-T-{number:04d}")))
    at = datetime(2026, 3, 4, 10, 0, tzinfo=VN)
    db.session.add_all([
        Survey(dossier=dossier(1), overall="very_satisfied", answers={"publicity": 2, "attitude": 2, "feedback": 2},
               channel="kiosk", created_at=at),
        Survey(dossier=dossier(2), overall="satisfied", answers={"publicity": 2, "attitude": 1}, channel="web",
               comment="Cán bộ hướng dẫn tận tình", created_at=at.replace(hour=11)),
        Survey(dossier=dossier(10), overall="unsatisfied", answers={"publicity": 0, "attitude": 0, "feedback": 1},
               channel="kiosk", comment="Phải chờ đợi lâu", created_at=at.replace(hour=9)),
        Survey(dossier=dossier(7), overall="unsatisfied", answers={"publicity": 0}, channel="kiosk",
               comment="Hồ sơ kỳ trước", created_at=at),  # received before the period: not counted
    ])
    home = dossier(1).agency
    db.session.add_all([Comment(agency=home, text="Nên có thêm ghế chờ", created_at=at.replace(hour=8)),
                        Comment(agency=home, text="Góp ý cũ", created_at=datetime(2026, 1, 5, 8, tzinfo=VN))])


def test_answers_and_criteria_are_counted_for_the_period(session):
    built = build()
    _answers()
    found = satisfaction.report(built.home, MARCH)
    assert found.overall == (("very_satisfied", "Rất hài lòng", 1), ("satisfied", "Hài lòng", 1),
                             ("unsatisfied", "Không hài lòng", 1))
    assert found.surveys == 3 and round(found.share(1), 3) == 0.333
    criteria = {criterion.key: criterion for criterion in found.criteria}
    assert criteria["publicity"].scores == (2, 0, 1) and round(criteria["publicity"].average, 2) == 1.33
    assert criteria["attitude"].scores == (1, 1, 1)
    assert criteria["feedback"].scores == (1, 1, 0) and criteria["feedback"].answered == 2  # one left it blank
    assert [(remark.text, remark.dossier_code != "") for remark in found.remarks] == [
        ("Cán bộ hướng dẫn tận tình", True), ("Phải chờ đợi lâu", True), ("Nên có thêm ghế chờ", False)]


def test_the_page_shows_the_counts_and_the_comments(client, login, demo):
    with demo.app_context():
        build(seed.home_agency())
        _answers()
        db.session.commit()
    login("leader")
    page = client.get("/reports/satisfaction", query_string={"kind": "month", "year": 2026, "number": 3}).text
    assert '<strong id="survey-count">3</strong>' in page
    assert "33,3%" in page and "1,33" in page
    assert "Phải chờ đợi lâu" in page and "Nên có thêm ghế chờ" in page and "Góp ý cũ" not in page
    login("officer")
    assert client.get("/reports/satisfaction").status_code == 403
