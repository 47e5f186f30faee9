"""Working-time calendar: when a dossier's result is due (domain.md §3). Pure: no Flask, no database.

Time is measured on a line of working microseconds: the position of an instant is the number of
working days before its local date times the day length, plus the session time already run on that
date. Every working day has the same sessions, so a per-year sorted list of working days and bisect
turn an instant into a position and back; all the deadline arithmetic is addition on that line.
"""
from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import MappingProxyType
from zoneinfo import ZoneInfo

from . import official as official_data
from .official import DaySource

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_SESSIONS = ((time(7), time(11, 30)), (time(13, 30), time(17)))
UNITS = ("working_days", "working_hours", "calendar_days", "same_day")
OVERRIDE_KINDS = ("off", "workday")
_HOUR = 3_600_000_000  # microseconds


@dataclass(frozen=True)
class Deadline:
    """A procedure's statutory processing time, e.g. 3 working days or same day."""

    value: Decimal | float | int | None  # ignored for same_day
    unit: str

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"Đơn vị thời hạn không hợp lệ: {self.unit!r}.")
        if self.unit != "same_day":
            value = _decimal(self.value)
            if not value.is_finite() or value < 0:
                raise ValueError("Thời hạn giải quyết phải là một số không âm.")
            if self.unit == "calendar_days" and value != value.to_integral_value():
                raise ValueError("Thời hạn tính theo ngày lịch phải là số ngày nguyên.")


@dataclass(frozen=True)
class Override:
    """An administrator's correction of the library calendar for one day."""

    day: date
    kind: str  # "off" | "workday"
    reason: str = ""

    def __post_init__(self):
        if self.kind not in OVERRIDE_KINDS:
            raise ValueError(f"Loại điều chỉnh lịch không hợp lệ: {self.kind!r}.")


@dataclass(frozen=True)
class YearInfo:
    """One year of the calendar as the admin page shows it."""

    year: int
    days_off: Mapping[date, str]  # named days off: holidays and "off" overrides
    workdays: Mapping[date, str]  # weekend days that are worked: make-up days and "workday" overrides
    overrides: Mapping[date, Override]
    working_days: tuple[date, ...]  # sorted, for bisect
    sources: Mapping[date, DaySource]  # where each day off and worked weekend day comes from
    pending: Mapping[date, DaySource]  # official entries not in force until an admin confirms them
    covered: bool  # whether the official data covers the year (else the library, unconfirmed)

    def unconfirmed(self) -> list[tuple[date, DaySource]]:
        """The days an admin should confirm or correct, in date order."""
        found = {day: source for day, source in self.sources.items() if not source.confirmed}
        found.update((day, source) for day, source in self.pending.items() if day not in self.overrides)
        return sorted(found.items())


def validate_sessions(sessions) -> None:
    """Refuse working sessions that are empty, reversed, overlapping or out of order."""
    sessions = tuple(sessions)
    if not sessions:
        raise ValueError("Cần ít nhất một buổi làm việc.")
    previous_end = None
    for session in sessions:
        if len(session) != 2 or not all(isinstance(t, time) and t.tzinfo is None for t in session):
            raise ValueError("Mỗi buổi làm việc phải có giờ bắt đầu và giờ kết thúc "
                             "trong ngày (00:00–24:00).")
        opens, closes = session
        if opens >= closes:
            raise ValueError(f"Buổi làm việc {opens:%H:%M}–{closes:%H:%M} "
                             "phải kết thúc sau khi bắt đầu.")
        if previous_end is not None and opens < previous_end:
            raise ValueError("Các buổi làm việc phải theo thứ tự thời gian "
                             "và không chồng lên nhau.")
        previous_end = closes


class Calendar:
    """The desk's working calendar: sessions, the library's days off and the admin's corrections."""

    def __init__(self, sessions=DEFAULT_SESSIONS, overrides: Iterable[Override] = (),
                 same_day_cutoff: time = time(15), official: official_data.Schedule | None = None):
        validate_sessions(sessions)
        self._official = official if official is not None else official_data.default()
        self._sessions = tuple((opens, closes) for opens, closes in sessions)
        self._spans = tuple((_micro(opens), _micro(closes)) for opens, closes in self._sessions)
        self._day = sum(closes - opens for opens, closes in self._spans)
        self._cutoff = same_day_cutoff
        self._overrides = tuple(overrides)
        # An "off" override beats everything, a "workday" one beats the library (domain.md §3).
        self._off = {o.day: o for o in self._overrides if o.kind == "off"}
        self._worked = {o.day: o for o in self._overrides if o.kind == "workday" and o.day not in self._off}
        self._years: dict[int, YearInfo] = {}
        self._offsets: dict[int, int] = {}  # working days before 1 January, from the first year used
        self._lock = threading.Lock()

    sessions = property(lambda self: self._sessions)
    same_day_cutoff = property(lambda self: self._cutoff)
    overrides = property(lambda self: self._overrides)
    day_length = property(lambda self: timedelta(microseconds=self._day))

    def with_overrides(self, overrides: Iterable[Override]) -> Calendar:
        """The same calendar with these overrides instead of the current ones (for previews)."""
        return Calendar(self._sessions, overrides, self._cutoff, self._official)

    official = property(lambda self: self._official)

    def is_working_day(self, day: date) -> bool:
        """Whether the desk counts time on this day."""
        if day in self._off:
            return False
        days_off, workdays, _ = self._official.base(day.year)
        if day in self._worked or day in workdays:
            return True
        return day.weekday() < 5 and day not in days_off

    def base_is_working_day(self, day: date) -> bool:
        """Whether the day is worked by the official data (or the library) alone, before overrides."""
        days_off, workdays, _ = self._official.base(day.year)
        return day in workdays or (day.weekday() < 5 and day not in days_off)

    def source(self, day: date) -> DaySource | None:
        """Where the day's status comes from, for a day off or a worked weekend day."""
        override = self._off.get(day) or self._worked.get(day)
        days_off, workdays, _ = self._official.base(day.year)
        base = days_off.get(day) or workdays.get(day)
        if override is not None:
            return DaySource("override", override.kind, override.reason or (base.name if base else ""))
        return base

    def is_unconfirmed(self, day: date) -> bool:
        """Whether an admin should still confirm or correct the day (library-only, unchecked, pending)."""
        return day in dict(self.year(day.year).unconfirmed())

    def tet_days(self, year: int) -> list[date]:
        """The weekdays off for Tết Nguyên đán of a year, as the data (or the library) names them."""
        days_off = self._official.base(year)[0]
        return sorted(day for day, source in days_off.items() if day.weekday() < 5
                      and "tết" in source.name.lower() and "dương lịch" not in source.name.lower())

    def tet_confirmed(self, year: int) -> bool:
        """Whether the year's Tết schedule is confirmed: checked official data or an admin's word."""
        days = self.tet_days(year)
        return bool(days) and all(self.source(day).confirmed for day in days)

    def day_off_name(self, day: date) -> str | None:
        """Why the desk is closed on a day that would be a weekday or is a named holiday."""
        if self.is_working_day(day):
            return None
        base = self._official.base(day.year)[0].get(day)
        name = base.name if base else None
        if day in self._off:
            return self._off[day].reason or name or "Ngày nghỉ (điều chỉnh lịch)"
        return name

    def year(self, year: int) -> YearInfo:
        """Days off, make-up workdays and overrides of one year (computed once)."""
        info = self._years.get(year)
        if info is None:
            info = self._years[year] = self._build_year(year)
        return info

    def _build_year(self, year: int) -> YearInfo:
        first = date(year, 1, 1)
        days = [first + timedelta(n) for n in range((date(year + 1, 1, 1) - first).days)]
        return YearInfo(
            year=year,
            days_off=MappingProxyType({day: name for day in days if (name := self.day_off_name(day))}),
            workdays=MappingProxyType({day: self._workday_name(day) for day in days
                                       if day.weekday() >= 5 and self.is_working_day(day)}),
            overrides=MappingProxyType({o.day: o for o in self._overrides if o.day.year == year}),
            working_days=tuple(day for day in days if self.is_working_day(day)),
            sources=MappingProxyType({day: source for day in days
                                      if (day.weekday() >= 5 or not self.is_working_day(day))
                                      and (source := self.source(day)) is not None}),
            pending=self._official.base(year)[2],
            covered=self._official.covers(year),
        )

    def _workday_name(self, day: date) -> str:
        if day in self._worked:
            return self._worked[day].reason or "Ngày làm việc (điều chỉnh lịch)"
        return self._official.base(day.year)[1][day].name

    def _offset(self, year: int) -> int:
        offset = self._offsets.get(year)
        if offset is None:
            with self._lock:
                offset = self._extend_offsets(year)
        return offset

    def _extend_offsets(self, year: int) -> int:
        # Offsets grow outwards from the first year asked for, so only the years in use are loaded.
        known = self._offsets
        nearest = min(known, key=lambda k: abs(k - year)) if known else year
        known.setdefault(nearest, 0)
        for y in range(nearest, year):
            known[y + 1] = known[y] + len(self.year(y).working_days)
        for y in range(nearest, year, -1):
            known[y - 1] = known[y] - len(self.year(y - 1).working_days)
        return known[year]

    def _position(self, moment: datetime) -> int:
        """Working microseconds from the calendar's origin to `moment`."""
        moment = _local(moment)
        day = moment.date()
        days = self.year(day.year).working_days
        index = bisect_left(days, day)
        position = (self._offset(day.year) + index) * self._day
        if index < len(days) and days[index] == day:
            now = _micro(moment.time())
            position += sum(min(max(now - opens, 0), closes - opens) for opens, closes in self._spans)
        return position

    def _end_of_working_day(self, day: date) -> int:
        """Position of the end of `day`, or of the next working day if `day` is not one."""
        days = self.year(day.year).working_days
        return (self._offset(day.year) + bisect_left(days, day) + 1) * self._day

    def _moment(self, position: int, hint: int, *, earliest: bool = True) -> datetime:
        """The instant at `position`: a session end when `earliest`, else the next session start."""
        index, elapsed = divmod(position, self._day)
        if earliest and elapsed == 0:  # time used up exactly: 17:00, not 07:00 next morning
            index, elapsed = index - 1, self._day
        day = self._working_day(index, hint)
        for opens, closes in self._spans:
            if elapsed < closes - opens or (earliest and elapsed == closes - opens):
                return datetime.combine(day, time(), VN) + timedelta(microseconds=opens + elapsed)
            elapsed -= closes - opens
        raise AssertionError("unreachable: elapsed never exceeds the day length")

    def _working_day(self, index: int, year: int) -> date:
        while index < self._offset(year):
            year -= 1
        while index >= self._offset(year) + len(self.year(year).working_days):
            year += 1
        return self.year(year).working_days[index - self._offset(year)]


def due_at(received_at: datetime, deadline: Deadline, calendar: Calendar,
           pauses: Sequence[tuple[datetime, datetime | None]] = ()) -> datetime | None:
    """When the result is due; None while a supplement request is still open (domain.md §3)."""
    pauses = tuple(pauses)
    if any(end is None for _, end in pauses):
        return None  # the page shows "tạm dừng chờ bổ sung" instead of a date
    received = _local(received_at)
    start = calendar._position(received)
    target = _skip_pauses(start, _target(received, start, deadline, calendar), pauses, calendar)
    if target == start:  # nothing to count: due when counting would start
        return next_working_moment(received, calendar)
    return calendar._moment(target, received.year)


def add_working_time(start: datetime, amount: timedelta, calendar: Calendar) -> datetime:
    """The instant at which `amount` of session time counted from `start` is used up."""
    if amount < timedelta(0):
        raise ValueError("Thời gian cộng thêm không được âm.")
    if not amount:
        return _local(start)
    position = calendar._position(start) + amount // timedelta(microseconds=1)
    return calendar._moment(position, _local(start).year)


def working_time_between(start: datetime, end: datetime, calendar: Calendar) -> timedelta:
    """Session time between two instants; zero if `end` is not after `start`."""
    return timedelta(microseconds=max(0, calendar._position(end) - calendar._position(start)))


def working_time_left(now: datetime, due: datetime, calendar: Calendar) -> timedelta:
    """Session time left before the due instant; zero once it has passed."""
    return working_time_between(now, due, calendar)


def next_working_moment(moment: datetime, calendar: Calendar) -> datetime:
    """When counting starts for a dossier received at `moment`: itself if inside a session."""
    return calendar._moment(calendar._position(moment), _local(moment).year, earliest=False)


def _target(received: datetime, start: int, deadline: Deadline, calendar: Calendar) -> int:
    """Position of the due instant before any pause."""
    value = None if deadline.unit == "same_day" else _decimal(deadline.value)
    if deadline.unit == "same_day" or (not value and deadline.unit != "calendar_days"):
        # Law on Civil Status 2014 art. 5(3); Decree 23/2015 art. 7: received *after* ("sau 15 giờ")
        # the cut-off (or on a day off) means the end of the next working day; 15:00:00 itself is
        # still the same day. A deadline of 0 working days or hours is a same-day deadline.
        late = received.time() > calendar.same_day_cutoff
        return calendar._end_of_working_day(received.date() + timedelta(days=late))
    if deadline.unit == "calendar_days":
        return calendar._end_of_working_day(received.date() + timedelta(days=int(value)))
    unit = calendar._day if deadline.unit == "working_days" else _HOUR
    return start + int((value * unit).to_integral_value())


def _skip_pauses(start: int, target: int, pauses, calendar: Calendar) -> int:
    """Move `target` later by the session time of pauses begun before it, overlaps counted once."""
    spans = sorted((max(calendar._position(begin), start), calendar._position(end))
                   for begin, end in pauses)
    counted = start  # pauses are accounted for up to here
    for begin, end in spans:
        begin = max(begin, counted)
        if begin >= target:  # asked once the time was already used up: changes nothing
            break
        if end > begin:
            target += end - begin
            counted = end
    return target


def _local(moment: datetime) -> datetime:
    # DESIGN.md §3: a datetime without an offset means Asia/Ho_Chi_Minh.
    return moment.replace(tzinfo=VN) if moment.tzinfo is None else moment.astimezone(VN)


def _micro(value: time) -> int:
    return (value.hour * 3600 + value.minute * 60 + value.second) * 1_000_000 + value.microsecond


def _decimal(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, float, int)):
        raise ValueError("Thời hạn giải quyết phải là một số.")
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)

