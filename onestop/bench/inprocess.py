"""What the benchmark measures inside one process: pages through the test client, reports, due dates."""
import random
import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from .. import calendars, deadlines, report_files, seed, statistics, tokens
from ..clock import VN
from ..extensions import db
from ..models import Agency, Dossier, Procedure, User
from ..models.types import UTCDateTime
from ..periods import calendar_year, official_months
from .floor import STAFF_FLOOR
from .province import BENCH_PASSWORD
from .timing import compare, interleaved

BARE = "/_bench/bare"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def add_bare_route(app: Flask) -> None:
    """The floor every page is compared with: a route of the same app that does nothing."""
    app.add_url_rule(BARE, "bench_bare", lambda: "ok")


def staff_client(app: Flask, username: str):
    """A test client logged in through the real login form (CSRF and all)."""
    client = app.test_client()
    token = _CSRF.search(client.get("/auth/login").text)
    data = {"username": username, "password": BENCH_PASSWORD, **({"csrf_token": token[1]} if token else {})}
    response = client.post("/auth/login", data=data)
    assert response.status_code == 302, f"login of {username} failed: {response.status_code}"
    return client


def sample_codes(count: int, agency_id: int | None = None, seed: int = 8) -> list[str]:
    """Codes spread over the whole table (or one agency), picked by id so the pick costs nothing."""
    query = sa.select(sa.func.min(Dossier.id), sa.func.max(Dossier.id))
    if agency_id is not None:
        query = query.where(Dossier.agency_id == agency_id)
    low, high = db.session.execute(query).one()
    rng, codes = random.Random(seed), []
    while len(codes) < count:
        candidates = sa.select(Dossier.code).where(Dossier.id >= rng.randint(low, high)).order_by(Dossier.id).limit(1)
        if agency_id is not None:
            candidates = candidates.where(Dossier.agency_id == agency_id)
        codes.append(db.session.scalar(candidates))
    return codes


def pages(app: Flask, username: str, agency_id: int, rounds: int) -> dict[str, tuple[list[float], list[float]]]:
    """The dossier page (staff) beside the staff page's floor (floor.py), the public lookup JSON beside the bare route."""
    with app.app_context():
        own, anyone = sample_codes(rounds, agency_id), sample_codes(rounds)
    staff, public = staff_client(app, username), app.test_client()

    def get(client, url):
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"

    return {
        "dossier page (staff)": interleaved(lambda i: get(staff, f"/desk/dossiers/{own[i % len(own)]}"),
                                            lambda i: get(staff, f"{STAFF_FLOOR}/{own[i % len(own)]}"), rounds),
        "public lookup JSON": interleaved(lambda i: get(public, f"/api/v1/public/dossiers/{anyone[i % len(anyone)]}"),
                                          lambda i: get(public, BARE), rounds),
    }


def statistics_form(app: Flask, year: int, rounds: int, on_sqlite: bool):
    """The statistics form for the province's year beside one hand-written query counting the same."""
    with app.app_context():
        province = seed.home_agency()  # the benchmark sets the province up as the home agency
        period, today = calendar_year(year), date(year, 12, 31)
        ids = [province.id, *(a.id for a in statistics.descendants(province))]
        ours, theirs = interleaved(lambda i: statistics.tthc_report(province, period, today),
                                   lambda i: _hand_written(ids, period.start, period.end, today), rounds, warmup=1)
        counted = statistics.tthc_report(province, period, today).summary.total.columns
        by_hand = _hand_written(ids, period.start, period.end, today)
        assert counted == by_hand, f"the form and the hand-written query disagree: {counted} ≠ {by_hand}"
    return compare("statistics form, province year (tthc_report)", ours, theirs, target_ratio=1.5,
                   target_ms=2000 if on_sqlite else None, note=f"{counted[0]:,} dossiers")


# The same counts per agency and field as statistics._count, written out by hand.
HAND_WRITTEN = """
SELECT
  SUM(CASE WHEN d.received_on >= :start AND d.channel = 'ONLINE' THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.received_on >= :start AND d.channel <> 'ONLINE' THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.received_on < :start THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.completed_on <= :end AND d.completed_on < d.due_on THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.completed_on <= :end AND d.completed_on = d.due_on THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.completed_on <= :end AND d.completed_on > d.due_on THEN 1 ELSE 0 END),
  SUM(CASE WHEN (d.completed_on IS NULL OR d.completed_on > :end)
            AND NOT (d.due_on < :as_of AND NOT EXISTS (SELECT 1 FROM pause p WHERE p.dossier_id = d.id
                     AND p.started_at < :end_instant AND (p.ended_at IS NULL OR p.ended_at >= :end_instant)))
           THEN 1 ELSE 0 END),
  SUM(CASE WHEN (d.completed_on IS NULL OR d.completed_on > :end)
            AND d.due_on < :as_of AND NOT EXISTS (SELECT 1 FROM pause p WHERE p.dossier_id = d.id
                AND p.started_at < :end_instant AND (p.ended_at IS NULL OR p.ended_at >= :end_instant))
           THEN 1 ELSE 0 END)
FROM dossier d JOIN procedure pr ON pr.id = d.procedure_id JOIN field f ON f.id = pr.field_id
WHERE d.agency_id IN :ids AND d.received_on <= :end AND (d.completed_on IS NULL OR d.completed_on >= :start)
GROUP BY d.agency_id, f.name
"""


def _hand_written(ids: list[int], start: date, end: date, today: date) -> tuple[int, ...]:
    """Columns (3)–(13) of the form's total line, counted by one query written by hand."""
    query = sa.text(HAND_WRITTEN).bindparams(
        sa.bindparam("ids", expanding=True), sa.bindparam("start", type_=sa.Date()),
        sa.bindparam("end", type_=sa.Date()), sa.bindparam("as_of", type_=sa.Date()),
        sa.bindparam("end_instant", type_=UTCDateTime()))
    end_instant = datetime.combine(end + timedelta(days=1), datetime.min.time(), VN)
    rows = db.session.execute(query, {"ids": ids, "start": start, "end": end, "as_of": min(end, today),
                                      "end_instant": end_instant}).all()
    online, direct, carried, early, on_time, late, within, overdue = (sum(int(v or 0) for v in column)
                                                                     for column in zip(*rows)) if rows else (0,) * 8
    return (online + direct + carried, online, direct, carried, early + on_time + late, early, on_time, late,
            within + overdue, within, overdue)


def it_report(app: Flask, year: int, rounds: int):
    """The yearly IT report DOCX of the province, beside its figures counted alone."""
    with app.app_context():
        province = seed.home_agency()  # the benchmark sets the province up as the home agency
        period = official_months(year, 12)
        sections = {"desk_total": None, "equipment": []}
        ours, theirs = interleaved(
            lambda i: report_files.it_report(province, period, sections, 1, date(year, 12, 20)),
            lambda i: statistics.it_figures(province, period), rounds, warmup=1)
    return compare("IT report DOCX, province year", ours, theirs, target_ms=3000,
                   note="baseline: its figures without the document")


def due_dates(app: Flask, count: int):
    """`count` due dates of mixed deadlines over 2019–2026, beside adding a plain timedelta to each."""
    with app.app_context():
        calendar = calendars.current()
        units = [procedure.deadline for procedure in db.session.scalars(sa.select(Procedure))]
    rng = random.Random(3)
    starts = [datetime(2019, 1, 1, 7, 30, tzinfo=VN) + timedelta(minutes=rng.randrange(8 * 365 * 24 * 60))
              for _ in range(count)]
    cases = [(start, units[i % len(units)]) for i, start in enumerate(starts)]
    calendar.year(2019)  # the yearly tables are built once per process, not per call

    def engine(_):
        for start, deadline in cases:
            deadlines.due_at(start, deadline, calendar)

    def bare(_):
        step = timedelta(days=3)
        for start, _deadline in cases:
            start + step  # noqa: B018 - the floor: one datetime addition per case

    ours, theirs = interleaved(engine, bare, 3, warmup=1)
    return compare(f"{count:,} due-date computations", ours, theirs, target_ms=2000,
                   note="baseline: a plain timedelta addition each")


def intake_with_calendar_cache(app: Flask, username: str, rounds: int):
    """API intakes (POST /api/v1/dossiers) with the per-process calendar cache, turn about with the
    same intakes with it off: what reading the calendar once per stamp, not per request, saves."""
    with app.app_context():
        token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == username)))
        db.session.commit()
    client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
    body = {"procedure_code": "2.000815", "applicant": {"name": "Nguyễn Văn Bench"}, "channel": "direct"}

    def intake(cache: bool):
        def run(_):
            app.config["CALENDAR_CACHE"] = cache
            response = client.post("/api/v1/dossiers", json=body, headers=headers)
            assert response.status_code == 201, f"intake: {response.status_code} {response.text[:200]}"
        return run

    try:
        ours, theirs = interleaved(intake(True), intake(False), rounds, warmup=3)
    finally:
        app.config["CALENDAR_CACHE"] = True
    return compare("API intake, in-process, calendar cached per process", ours, theirs,
                   note="baseline: the same intake with CALENDAR_CACHE off (settings and overrides read per request)")


def first_clerk() -> tuple[str, int]:
    """A commune's clerk (username, agency id): the desk the page timings sit at."""
    user = db.session.scalar(sa.select(User).join(Agency, Agency.id == User.agency_id)
                             .where(User.role_names == "clerk", Agency.name.contains("xã"))
                             .order_by(User.id))
    return user.username, user.agency_id
