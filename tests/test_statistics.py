"""The statistics form (Biểu 06) on a hand-built dataset whose every column is known."""
from datetime import date

import pytest

from onestop import periods, statistics

from reportdata import build

TODAY = date(2026, 3, 5)
MARCH = periods.official_month(2026, 3)
# (field): online, direct/postal, carried over, early, on time, late, within deadline, overdue
EXPECTED_HOME = {
    "Hộ tịch": (1, 3, 2, 1, 1, 2, 1, 1),
    "Chứng thực": (1, 3, 0, 0, 1, 0, 1, 2),
}


def _counts(row):
    return (row.online, row.direct, row.carried_over, row.early, row.on_time, row.late, row.within_deadline,
            row.overdue)


def _check_identities(row):
    assert row.received == row.online + row.direct + row.carried_over          # (3) = (4) + (5) + (6)
    assert row.resolved == row.early + row.on_time + row.late                  # (7) = (8) + (9) + (10)
    assert row.in_progress == row.within_deadline + row.overdue                # (11) = (12) + (13)
    assert row.received == row.resolved + row.in_progress                      # (3) = (7) + (11)


def test_official_month_runs_from_the_15th_to_the_14th():
    assert (MARCH.start, MARCH.end) == (date(2026, 2, 15), date(2026, 3, 14))
    january = periods.official_month(2026, 1)
    assert (january.start, january.end) == (date(2025, 12, 15), date(2026, 1, 14))


@pytest.mark.parametrize("period, start, end", [
    (periods.official_quarter(2026, 1), date(2025, 12, 15), date(2026, 3, 14)),
    (periods.official_quarter(2026, 3), date(2026, 6, 15), date(2026, 9, 14)),
    (periods.official_months(2026, 6), date(2025, 12, 15), date(2026, 6, 14)),
    (periods.official_months(2026, 9), date(2025, 12, 15), date(2026, 9, 14)),
    (periods.official_months(2026, 12), date(2025, 12, 15), date(2026, 12, 14)),
    (periods.resolve("last_six_months", 2026), date(2026, 6, 15), date(2026, 12, 14)),  # 6 tháng cuối năm
    (periods.calendar_month(2026, 2), date(2026, 2, 1), date(2026, 2, 28)),
    (periods.calendar_month(2025, 12), date(2025, 12, 1), date(2025, 12, 31)),
    (periods.calendar_quarter(2026, 2), date(2026, 4, 1), date(2026, 6, 30)),
    (periods.calendar_year(2026), date(2026, 1, 1), date(2026, 12, 31)),
])
def test_reporting_periods(period, start, end):
    assert (period.start, period.end) == (start, end)


def test_the_last_six_months_are_named_as_the_report_names_them():
    period = periods.resolve("last_six_months", 2026)
    assert period.label == "6 tháng cuối năm 2026 (từ 15/06/2026 đến 14/12/2026)"
    assert periods.KIND_LABELS["last_six_months"] == "6 tháng cuối năm (15/06 – 14/12)"


def test_a_picked_period_out_of_range_is_refused():
    with pytest.raises(ValueError, match="từ 1 đến 12"):
        periods.resolve("month", 2026, 13)
    with pytest.raises(ValueError, match="sau ngày bắt đầu"):
        periods.resolve("range", 2026, start=date(2026, 3, 2), end=date(2026, 3, 1))


def test_every_column_of_the_form_for_the_agency_itself(session):
    built = build()
    report = statistics.tthc_report(built.child, MARCH, TODAY)
    assert report.units == ()  # a commune without children has one table
    assert [(row.field, _counts(row)) for row in report.summary.rows] == [("Hộ tịch", (1, 0, 0, 0, 1, 0, 0, 0))]

    home = statistics.tthc_report(built.home, MARCH, TODAY)
    own = home.units[0]
    assert own.agency_code == built.home.code
    assert {row.field: _counts(row) for row in own.rows} == EXPECTED_HOME
    assert _counts(own.total) == (2, 6, 2, 1, 2, 2, 2, 3)
    assert own.total.columns == (10, 2, 6, 2, 5, 1, 2, 2, 5, 2, 3)
    for row in (*own.rows, own.total):
        _check_identities(row)


def test_a_parent_agency_sees_each_child_and_the_sum(session):
    built = build()
    report = statistics.tthc_report(built.home, MARCH, TODAY)
    assert [unit.agency_code for unit in report.units] == [built.home.code, built.child.code]
    assert _counts(report.units[1].total) == (1, 0, 0, 0, 1, 0, 0, 0)
    summary = {row.field: _counts(row) for row in report.summary.rows}
    assert summary == {"Hộ tịch": (2, 3, 2, 1, 2, 2, 1, 1), "Chứng thực": EXPECTED_HOME["Chứng thực"]}
    assert report.summary.total.columns == (11, 3, 6, 2, 6, 1, 3, 2, 5, 2, 3)
    for row in (*report.summary.rows, report.summary.total):
        _check_identities(row)


def test_a_dossier_completed_after_the_period_is_in_progress_at_its_end(session):
    built = build()
    february = statistics.tthc_report(built.home, periods.calendar_month(2026, 2), TODAY).units[0]
    civil = {row.field: row for row in february.rows}["Hộ tịch"]
    # Received 01/02–28/02: #1, #2, #3, #4, #5 and #7 (late on 10/02); #3 was finished on 03/03, after the
    # end, and its deadline 27/02 had passed by 28/02: overdue in progress, like #5.
    assert _counts(civil) == (1, 5, 0, 1, 1, 2, 0, 2)
    _check_identities(civil)


def test_the_next_period_carries_over_what_is_still_open(session):
    built = build()
    april = statistics.tthc_report(built.home, periods.official_month(2026, 4), date(2026, 4, 14)).units[0]
    rows = {row.field: row for row in april.rows}
    # Still open on 15/03: #5, #6 (Hộ tịch) and #9, #11, #12 (Chứng thực); #8 came in on 16/03.
    assert (rows["Hộ tịch"].carried_over, rows["Hộ tịch"].online) == (2, 1)
    assert rows["Chứng thực"].carried_over == 3
    assert april.total.overdue == 5  # by 14/04 every open one but the paused #9 (#5, #6, #8, #11, #12)
    _check_identities(april.total)
