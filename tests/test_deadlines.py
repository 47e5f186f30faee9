"""The working-time calendar against domain.md §3 and the holidays library's Vietnam calendar."""
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from onestop.deadlines import (
    DEFAULT_SESSIONS, VN, Calendar, Deadline, Override, add_working_time, due_at,
    next_working_moment, validate_sessions, working_time_between, working_time_left,
)

CALENDAR = Calendar()


def at(text: str) -> datetime:
    """dd/mm/yyyy hh:mm in Asia/Ho_Chi_Minh."""
    layout = "%d/%m/%Y %H:%M:%S" if text.count(":") == 2 else "%d/%m/%Y %H:%M"
    return datetime.strptime(text, layout).replace(tzinfo=VN)


def due(received: str, value, unit: str, calendar=CALENDAR, pauses=()) -> datetime:
    return due_at(at(received), Deadline(value, unit), calendar,
                  [(at(start), at(end)) for start, end in pauses])


# domain.md §3, worked examples (2025 calendar, default sessions).
@pytest.mark.parametrize(("received", "value", "unit", "expected"), [
    ("07/01/2025 10:00", 3, "working_days", "10/01/2025 10:00"),
    ("23/01/2025 14:00", 5, "working_days", "06/02/2025 14:00"),  # Tết 25/01–02/02 off
    ("12/03/2025 10:00", None, "same_day", "12/03/2025 17:00"),
    ("12/03/2025 15:20", None, "same_day", "13/03/2025 17:00"),
    ("08/03/2025 20:00", 1, "working_days", "10/03/2025 17:00"),  # online on Saturday night
    ("13/03/2025 09:00", 2, "calendar_days", "17/03/2025 17:00"),
    ("03/03/2025 08:00", 3, "working_days", "06/03/2025 08:00"),
])
def test_worked_examples(received, value, unit, expected):
    assert due(received, value, unit) == at(expected)


def test_worked_example_with_a_supplement_pause():
    pause = ("04/03/2025 08:00", "10/03/2025 09:00")
    assert due("03/03/2025 08:00", 3, "working_days", pauses=[pause]) == at("12/03/2025 09:00")


@pytest.mark.parametrize(("first", "last", "new_year"), [
    (date(2019, 2, 2), date(2019, 2, 10), date(2019, 2, 5)),
    (date(2025, 1, 25), date(2025, 2, 2), date(2025, 1, 29)),
])
def test_library_has_tet(first, last, new_year):
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    assert not any(CALENDAR.is_working_day(day) for day in days)
    assert CALENDAR.is_working_day(first - timedelta(1)) and CALENDAR.is_working_day(last + timedelta(1))
    assert CALENDAR.day_off_name(new_year).startswith("Tết Nguyên đán")


def test_first_working_day_after_tet_2019():
    assert due("01/02/2019 10:00", 1, "working_days") == at("11/02/2019 10:00")


@pytest.mark.parametrize(("day_off", "worked_saturday"), [
    (date(2018, 12, 31), date(2019, 1, 5)),  # the make-up Saturday belongs to the 2018 swap
    (date(2019, 4, 29), date(2019, 5, 4)),
    (date(2025, 5, 2), date(2025, 4, 26)),
])
def test_swapped_days_come_from_the_library(day_off, worked_saturday):
    assert not CALENDAR.is_working_day(day_off)
    assert f"{worked_saturday:%d/%m/%Y}" in CALENDAR.day_off_name(day_off)
    assert CALENDAR.is_working_day(worked_saturday)
    assert worked_saturday in CALENDAR.year(worked_saturday.year).workdays


@pytest.mark.parametrize(("received", "value", "expected"), [
    ("28/12/2018 10:00", 1, "02/01/2019 10:00"),  # 31/12/2018 swapped, 01/01 New Year
    ("04/01/2019 14:00", 1, "05/01/2019 14:00"),  # Saturday 05/01/2019 is worked
    ("26/04/2019 10:00", 3, "04/05/2019 10:00"),  # 29/04 swapped, 30/04–01/05 holidays
    ("25/04/2025 10:00", 1, "26/04/2025 10:00"),  # Saturday 26/04/2025 is worked
    ("29/04/2025 10:00", 1, "05/05/2025 10:00"),  # 30/04, 01/05 and the swapped 02/05 off
    ("12/04/2019 10:00", 1, "16/04/2019 10:00"),  # Hùng Kings on Sunday 14/04, observed Monday
])
def test_working_days_across_swaps_and_holidays(received, value, expected):
    assert due(received, value, "working_days") == at(expected)


def test_hung_kings_day_on_a_sunday_is_observed_on_monday():
    assert CALENDAR.day_off_name(date(2019, 4, 14)) == "Giỗ Tổ Hùng Vương"
    assert CALENDAR.day_off_name(date(2019, 4, 15)) == "Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert CALENDAR.day_off_name(date(2019, 4, 16)) is None


@pytest.mark.parametrize(("received", "expected"), [
    ("12/03/2025 14:59", "12/03/2025 17:00"),
    ("12/03/2025 15:00", "12/03/2025 17:00"),  # "sau 15 giờ": 15:00:00 itself is still the same day
    ("12/03/2025 15:00:01", "13/03/2025 17:00"),  # a second after the cut-off is the next day
    ("14/03/2025 16:00", "17/03/2025 17:00"),  # Friday afternoon → Monday
    ("24/01/2025 14:00", "24/01/2025 17:00"),  # eve of Tết 2025, before the cut-off
    ("24/01/2025 15:30", "03/02/2025 17:00"),  # eve of Tết, after it: first day back
    ("16/03/2025 09:00", "17/03/2025 17:00"),  # Sunday
    ("30/04/2025 09:00", "05/05/2025 17:00"),  # holiday
])
def test_same_day(received, expected):
    assert due(received, None, "same_day") == at(expected)


@pytest.mark.parametrize(("received", "hours", "expected"), [
    ("10/03/2025 12:00", 1, "10/03/2025 14:30"),  # lunch: counting starts at 13:30
    ("11/03/2025 19:00", 2, "12/03/2025 09:00"),  # evening
    ("16/03/2025 10:00", 4, "17/03/2025 11:00"),  # Sunday
    ("30/04/2025 10:00", 1, "05/05/2025 08:00"),  # holiday
    ("10/03/2025 10:00", Decimal("1.5"), "10/03/2025 11:30"),  # used up at noon: 11:30, not 13:30
    ("10/03/2025 16:00", 2, "11/03/2025 08:00"),
])
def test_working_hours(received, hours, expected):
    assert due(received, hours, "working_hours") == at(expected)


@pytest.mark.parametrize("half", [0.5, Decimal("0.5")])
def test_half_a_working_day_is_four_hours_across_lunch(half):
    assert due("10/03/2025 10:00", half, "working_days") == at("10/03/2025 16:00")


@pytest.mark.parametrize(("received", "days", "expected"), [
    ("28/04/2025 09:00", 2, "05/05/2025 17:00"),  # ends on 30/04: next working day
    ("23/01/2025 09:00", 5, "03/02/2025 17:00"),  # ends in Tết
    ("10/03/2025 20:00", 1, "11/03/2025 17:00"),  # the received date counts, not the session
])
def test_calendar_days(received, days, expected):
    assert due(received, days, "calendar_days") == at(expected)


def test_supplement_pause_spanning_a_holiday_counts_only_working_time():
    assert due("21/04/2025 08:00", 5, "working_days") == at("26/04/2025 08:00")  # make-up Saturday
    pause = ("25/04/2025 08:00", "06/05/2025 08:00")  # over 30/04–02/05
    assert due("21/04/2025 08:00", 5, "working_days", pauses=[pause]) == at("07/05/2025 08:00")


def test_overlapping_pauses_count_once():
    pauses = [("04/03/2025 08:00", "07/03/2025 08:00"), ("05/03/2025 08:00", "10/03/2025 09:00")]
    assert due("03/03/2025 08:00", 3, "working_days", pauses=pauses) == at("12/03/2025 09:00")


def test_pause_after_the_due_instant_changes_nothing():
    pause = ("06/03/2025 09:00", "10/03/2025 09:00")
    assert due("03/03/2025 08:00", 3, "working_days", pauses=[pause]) == at("06/03/2025 08:00")


def test_pauses_may_be_any_iterable():
    pauses = [(at("04/03/2025 08:00"), at("10/03/2025 09:00"))]
    received, deadline = at("03/03/2025 08:00"), Deadline(3, "working_days")
    assert due_at(received, deadline, CALENDAR, iter(pauses)) == due_at(received, deadline, CALENDAR, pauses)


def test_open_pause_means_no_due_date():
    received = at("03/03/2025 08:00")
    assert due_at(received, Deadline(3, "working_days"), CALENDAR, [(at("04/03/2025 08:00"), None)]) is None


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (None, "same_day", "13/03/2025 17:00"),  # 12/03 11:00–17:00 and 13/03 07:00–11:00: 8 h
    (1, "calendar_days", "14/03/2025 17:00"),
])
def test_pause_moves_calendar_deadlines_by_its_working_time(value, unit, expected):
    pause = ("12/03/2025 11:00", "13/03/2025 11:00")
    assert due("12/03/2025 10:00", value, unit, pauses=[pause]) == at(expected)


def test_override_added_after_intake_moves_the_due_date_a_day_later():
    assert due("10/03/2025 10:00", 3, "working_days") == at("13/03/2025 10:00")
    # The province closes offices on 12/03 (e.g. a storm): the admin adds an "off" day.
    stormy = CALENDAR.with_overrides([Override(date(2025, 3, 12), "off", "Nghỉ tránh bão")])
    assert due("10/03/2025 10:00", 3, "working_days", stormy) == at("14/03/2025 10:00")
    assert stormy.day_off_name(date(2025, 3, 12)) == "Nghỉ tránh bão"
    assert stormy.year(2025).overrides[date(2025, 3, 12)].kind == "off"
    assert CALENDAR.is_working_day(date(2025, 3, 12))  # the original is unchanged


def test_off_override_beats_a_make_up_saturday_and_workday_override_beats_a_holiday():
    calendar = Calendar(overrides=[Override(date(2025, 4, 26), "off"),
                                   Override(date(2025, 5, 2), "workday", "Làm bù")])
    assert not calendar.is_working_day(date(2025, 4, 26))
    assert calendar.day_off_name(date(2025, 4, 26)) == "Ngày nghỉ (điều chỉnh lịch)"
    assert calendar.is_working_day(date(2025, 5, 2))
    assert calendar.day_off_name(date(2025, 5, 2)) is None
    assert calendar.year(2025).workdays == {}  # 02/05 is a Friday: a weekday, not a weekend workday
    both = Calendar(overrides=[Override(date(2025, 3, 12), "workday"), Override(date(2025, 3, 12), "off")])
    assert not both.is_working_day(date(2025, 3, 12))


def test_workday_override_can_model_an_announcement_the_library_lacks():
    # A government notice making Saturday 15/03/2025 a working day (hypothetical, as an admin would add it).
    calendar = Calendar(overrides=[Override(date(2025, 3, 15), "workday", "Làm bù theo thông báo")])
    assert calendar.year(2025).workdays[date(2025, 3, 15)] == "Làm bù theo thông báo"
    assert due("14/03/2025 10:00", 1, "working_days", calendar) == at("15/03/2025 10:00")


def test_custom_sessions():
    calendar = Calendar(sessions=((time(8), time(12)), (time(13), time(17))))
    assert calendar.day_length == timedelta(hours=8)
    assert due("10/03/2025 12:30", Decimal("0.5"), "working_days", calendar) == at("10/03/2025 17:00")
    assert due("10/03/2025 07:00", 1, "working_days", calendar) == at("10/03/2025 17:00")
    assert due("10/03/2025 10:00", 1, "working_hours", calendar) == at("10/03/2025 11:00")
    assert due("10/03/2025 15:00", None, "same_day", calendar) == at("10/03/2025 17:00")
    assert due("10/03/2025 15:01", None, "same_day", calendar) == at("11/03/2025 17:00")


def test_day_length_is_the_sum_of_sessions():
    assert CALENDAR.day_length == timedelta(hours=8)
    assert CALENDAR.sessions == DEFAULT_SESSIONS
    assert Calendar(sessions=[(time(7), time(11))]).day_length == timedelta(hours=4)


@pytest.mark.parametrize("sessions", [
    (),
    ((time(11), time(7)),),
    ((time(7), time(7)),),
    ((time(7), time(12)), (time(11), time(17))),
    ((time(13), time(17)), (time(7), time(11))),
    (("07:00", "11:30"),),
    ((time(7, tzinfo=timezone.utc), time(11)),),
])
def test_bad_sessions_are_refused(sessions):
    with pytest.raises(ValueError):
        validate_sessions(sessions)
    with pytest.raises(ValueError):
        Calendar(sessions=sessions)


def test_touching_sessions_are_accepted():
    validate_sessions([(time(7), time(12)), (time(12), time(17))])


@pytest.mark.parametrize(("value", "unit"), [
    (1, "weeks"), (-1, "working_days"), (Decimal("-0.5"), "working_hours"),
    (1.5, "calendar_days"), ("3", "working_days"), (float("nan"), "working_hours"),
])
def test_bad_deadlines_are_refused(value, unit):
    with pytest.raises(ValueError):
        Deadline(value, unit)


def test_bad_override_kind_is_refused():
    with pytest.raises(ValueError):
        Override(date(2025, 3, 12), "holiday")


def test_naive_means_vietnam_and_results_are_in_vietnam():
    received_utc = datetime(2025, 3, 12, 3, 0, tzinfo=timezone.utc)  # 10:00 in Hanoi
    result = due_at(received_utc, Deadline(None, "same_day"), CALENDAR)
    assert result == at("12/03/2025 17:00") and result.tzinfo == VN
    assert due_at(datetime(2025, 3, 12, 10, 0), Deadline(None, "same_day"), CALENDAR) == result
    tokyo = datetime(2025, 3, 12, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 10:00 in Hanoi
    assert due_at(tokyo, Deadline(2, "working_hours"), CALENDAR) == at("12/03/2025 14:00")


@pytest.mark.parametrize(("start", "end", "hours"), [
    ("10/03/2025 10:00", "11/03/2025 10:00", 8),
    ("11/03/2025 10:00", "10/03/2025 10:00", 0),  # backwards: nothing
    ("24/01/2025 16:00", "03/02/2025 08:00", 2),  # across Tết 2025
    ("10/03/2025 12:00", "10/03/2025 13:00", 0),  # lunch
])
def test_working_time_between(start, end, hours):
    assert working_time_between(at(start), at(end), CALENDAR) == timedelta(hours=hours)


def test_working_time_left_is_zero_once_past():
    assert working_time_left(at("10/03/2025 16:00"), at("11/03/2025 08:00"), CALENDAR) == timedelta(hours=2)
    assert working_time_left(at("11/03/2025 09:00"), at("11/03/2025 08:00"), CALENDAR) == timedelta(0)


def test_add_working_time():
    start = at("10/03/2025 11:00")
    assert add_working_time(start, timedelta(minutes=30), CALENDAR) == at("10/03/2025 11:30")
    assert add_working_time(start, timedelta(minutes=31), CALENDAR) == at("10/03/2025 13:31")
    assert add_working_time(start, timedelta(0), CALENDAR) == start
    with pytest.raises(ValueError):
        add_working_time(start, timedelta(hours=-1), CALENDAR)


@pytest.mark.parametrize(("moment", "expected"), [
    ("10/03/2025 09:15", "10/03/2025 09:15"),
    ("10/03/2025 11:30", "10/03/2025 13:30"),
    ("10/03/2025 12:00", "10/03/2025 13:30"),
    ("10/03/2025 17:00", "11/03/2025 07:00"),
    ("10/03/2025 06:00", "10/03/2025 07:00"),
    ("15/03/2025 10:00", "17/03/2025 07:00"),
    ("31/12/2018 10:00", "02/01/2019 07:00"),  # across the year end
])
def test_next_working_moment(moment, expected):
    assert next_working_moment(at(moment), CALENDAR) == at(expected)


def test_year_info_lists_days_off_and_workdays():
    info = CALENDAR.year(2025)
    assert info.days_off[date(2025, 5, 2)] == "Nghỉ thay cho thứ Bảy 26/04/2025"
    assert info.workdays == {date(2025, 4, 26): "Làm bù cho thứ Sáu 02/05/2025"}
    assert date(2025, 4, 26) in info.working_days and date(2025, 5, 2) not in info.working_days
    assert CALENDAR.year(2025) is info


# Properties: any receipt between 2019 and 2026, any unit.
RECEIVED = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2026, 12, 31, 23, 59),
                        timezones=st.just(VN))
UNIT = st.sampled_from(["working_days", "working_hours", "calendar_days", "same_day"])
AMOUNT = st.integers(min_value=0, max_value=80).map(lambda halves: Decimal(halves) / 2)
MINUTES = st.integers(min_value=0, max_value=20 * 24 * 60)
PROPERTY = settings(deadline=None, max_examples=150, database=None)


def _deadline(unit, amount):
    return Deadline(amount.to_integral_value() if unit == "calendar_days" else amount, unit)


@PROPERTY
@given(RECEIVED, UNIT, AMOUNT)
def test_due_is_never_before_receipt_and_lies_in_a_session(received, unit, amount):
    result = due_at(received, _deadline(unit, amount), CALENDAR)
    assert result >= received and result.tzinfo == VN
    assert CALENDAR.is_working_day(result.date())
    assert any(opens <= result.time() <= closes for opens, closes in CALENDAR.sessions)


@PROPERTY
@given(RECEIVED, st.sampled_from(["working_days", "working_hours"]), AMOUNT.filter(bool))
def test_due_uses_exactly_the_working_time(received, unit, amount):
    result = due_at(received, Deadline(amount, unit), CALENDAR)
    per_unit = CALENDAR.day_length if unit == "working_days" else timedelta(hours=1)
    assert working_time_between(received, result, CALENDAR) == per_unit * float(amount)


@PROPERTY
@given(RECEIVED, UNIT, AMOUNT, AMOUNT)
def test_more_time_never_gives_an_earlier_due(received, unit, amount, extra):
    # 0 working days or hours is the same-day rule, due at the end of the day (domain.md §3), which half a
    # day counted from the morning comes before: see the test below. Among counted amounts, more is later.
    assume(amount or unit in ("calendar_days", "same_day"))
    shorter = due_at(received, _deadline(unit, amount), CALENDAR)
    assert due_at(received, _deadline(unit, amount + extra), CALENDAR) >= shorter


def test_zero_working_days_is_due_at_the_day_s_end_and_half_a_day_counts_from_receipt():
    # Found by the property above in CI: received on New Year's Day, both count from the next working day.
    for received, same_day, half_day in (("02/01/2019 08:00", "02/01/2019 17:00", "02/01/2019 14:00"),
                                         ("01/01/2019 00:00", "02/01/2019 17:00", "02/01/2019 11:00")):
        assert due_at(at(received), Deadline(0, "working_days"), CALENDAR) == at(same_day)
        assert due_at(at(received), Deadline(Decimal("0.5"), "working_days"), CALENDAR) == at(half_day)


@PROPERTY
@given(RECEIVED, UNIT, AMOUNT, st.integers(min_value=-3, max_value=30))
def test_an_off_override_never_brings_a_due_date_forward(received, unit, amount, offset):
    deadline = _deadline(unit, amount)
    original = due_at(received, deadline, CALENDAR)
    closed = CALENDAR.with_overrides([Override(received.date() + timedelta(days=offset), "off")])
    assert due_at(received, deadline, closed) >= original
    assert due_at(received, deadline, closed.with_overrides([])) == original


@PROPERTY
@given(RECEIVED, UNIT, AMOUNT, MINUTES, MINUTES)
def test_a_pause_never_brings_a_due_date_forward(received, unit, amount, after, length):
    deadline = _deadline(unit, amount)
    start = received + timedelta(minutes=after)
    paused = due_at(received, deadline, CALENDAR, [(start, start + timedelta(minutes=length))])
    assert paused >= due_at(received, deadline, CALENDAR)


# Issue 15: the official schedules as data (onestop/data/calendar/official.csv) beat the library.
def test_new_year_2026_swap_from_the_government_office_notice():
    # Công văn 12729/VPCP-KGVX (25/12/2025): 01–04/01/2026 off, Fri 02/01 swapped for Sat 10/01.
    assert due("30/12/2025 10:00", 3, "working_days") == at("06/01/2026 10:00")
    assert not CALENDAR.is_working_day(date(2026, 1, 2))
    assert CALENDAR.is_working_day(date(2026, 1, 10))
    assert due("09/01/2026 10:00", 1, "working_days") == at("10/01/2026 10:00")
    source = CALENDAR.source(date(2026, 1, 2))
    assert source.origin == "official" and source.document == "12729/VPCP-KGVX" and source.verified


def test_national_day_2026_swap_from_the_ministry_notice():
    # Thông báo số 9441 của Bộ Nội vụ (16/10/2025), after the Prime Minister's agreement (Government
    # Office, 13/10/2025): 29/08–02/09/2026 off, Mon 31/08 swapped for Sat 22/08, Tue 01/09 the day
    # next to 02/09 (Labour Code 2019 art. 112).
    assert CALENDAR.is_working_day(date(2026, 8, 22))
    assert not any(CALENDAR.is_working_day(date(2026, 8, day)) for day in (29, 30, 31))
    assert not any(CALENDAR.is_working_day(date(2026, 9, day)) for day in (1, 2))
    assert due("20/08/2026 10:00", 3, "working_days") == at("24/08/2026 10:00")
    assert due("28/08/2026 10:00", 3, "working_days") == at("07/09/2026 10:00")
    for day in (date(2026, 8, 22), date(2026, 8, 31), date(2026, 9, 1)):
        source = CALENDAR.source(day)
        assert source.origin == "official" and source.document == "Thông báo số 9441 của Bộ Nội vụ"
        assert source.confirmed and not CALENDAR.is_unconfirmed(day)


def test_the_library_alone_misses_the_2026_swap():
    from onestop import official
    library_only = Calendar(official=official.EMPTY)
    assert due_at(at("30/12/2025 10:00"), Deadline(3, "working_days"), library_only) == at("05/01/2026 10:00")
    assert library_only.source(date(2026, 1, 1)).origin == "library"


def test_culture_day_2026_is_shown_but_not_applied_until_confirmed():
    info = CALENDAR.year(2026)
    assert CALENDAR.is_working_day(date(2026, 11, 24))
    assert date(2026, 11, 24) in info.pending
    assert date(2026, 11, 24) in dict(info.unconfirmed())
    confirmed = CALENDAR.with_overrides([Override(date(2026, 11, 24), "off", "Đã xác nhận")])
    assert not confirmed.is_working_day(date(2026, 11, 24))
    assert date(2026, 11, 24) not in dict(confirmed.year(2026).unconfirmed())


def test_uncovered_years_come_from_the_library_marked_unconfirmed():
    info = CALENDAR.year(2027)
    assert not info.covered and info.days_off
    assert all(not source.confirmed for _, source in info.unconfirmed())
    assert CALENDAR.year(2025).covered


@pytest.mark.parametrize("unit", ["working_days", "working_hours"])
def test_zero_working_time_is_a_same_day_deadline(unit):
    assert due("12/03/2025 10:00", 0, unit) == at("12/03/2025 17:00")
    assert due("12/03/2025 15:00", 0, unit) == at("12/03/2025 17:00")
    assert due("12/03/2025 15:30", Decimal("0"), unit) == at("13/03/2025 17:00")
