"""The reports page's charts: monthly figures and satisfaction counted in SQL, drawn as SVG on the server."""
import sqlalchemy as sa

from onestop import periods, seed, statistics
from onestop.extensions import db
from onestop.models import Dossier, Survey

from reportdata import build

MARCH = periods.official_month(2026, 3)


def _surveys():
    def dossier(number):
        return db.session.scalar(sa.select(Dossier).where(Dossier.code.like(f"%-T-{number:04d}")))
    db.session.add_all([Survey(dossier=dossier(2), overall="satisfied", channel="kiosk"),
                        Survey(dossier=dossier(1), overall="very_satisfied", channel="web"),
                        Survey(dossier=dossier(7), overall="unsatisfied", channel="kiosk")])  # received before


def test_received_and_resolved_are_counted_per_calendar_month(session):
    built = build()
    months = statistics.monthly(built.home, MARCH)
    assert [(m.label, m.received, m.resolved, m.on_time) for m in months] == [
        ("02/2026", 4, 3, 2), ("03/2026", 5, 3, 2)]


def test_satisfaction_counts_the_answers_for_dossiers_of_the_period(session):
    built = build()
    _surveys()
    assert statistics.satisfaction(built.home, MARCH) == {"very_satisfied": 1, "satisfied": 1, "unsatisfied": 0}


def test_the_page_shows_three_server_drawn_charts(client, login, demo):
    with demo.app_context():
        build(seed.home_agency())
        _surveys()
        db.session.commit()
    login("leader")
    query = {"kind": "month", "year": 2026, "number": 3}
    page = client.get("/reports/", query_string=query).text
    assert page.count('src="/reports/charts/') == 3
    activity = client.get("/reports/charts/activity.svg", query_string=query)
    assert activity.mimetype == "image/svg+xml" and activity.text.lstrip().startswith("<?xml")
    assert "Tiếp nhận" in activity.text and "02/2026" in activity.text and "03/2026" in activity.text
    assert "67%" in client.get("/reports/charts/on-time.svg", query_string=query).text  # 2 of 3 each month
    mood = client.get("/reports/charts/satisfaction.svg", query_string=query).text
    assert "Mức độ hài lòng (2 phiếu)" in mood and "Không hài lòng" in mood
    assert client.get("/reports/charts/pie.svg", query_string=query).status_code == 404
