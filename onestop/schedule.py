"""Calendar changes that move appointments: preview which open dossiers and legs move, then move them.

When an override is added or removed, or the working hours change, the due dates of open dossiers
and open legs are recomputed and each moved dossier gets one event (domain.md §3, "Calendar
change"). Functions change objects in db.session and never commit: the view commits once.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from . import calendars, deadlines, dossiers, history, settings
from .transfers import leg_due_at
from .clock import local
from .errors import WorkflowError
from .extensions import db
from .formatting import vn_date, vn_datetime
from .handovers import timeliness_of
from .models import OPEN_STATUSES, TIMELINESS_LABELS, CalendarOverride, Dossier, Leg, User

KIND_LABELS = {"off": "Ngày nghỉ", "workday": "Ngày làm việc"}
WEEKEND_NAMES = {5: "thứ Bảy", 6: "Chủ nhật"}


@dataclass(frozen=True)
class Move:
    """One due date a calendar change moves: the dossier's own (leg None) or one of its legs."""

    dossier: Dossier
    leg: Leg | None
    old: datetime
    new: datetime
    working: timedelta  # signed working time the due moves by
    days: int  # signed calendar days between the old and the new local date
    was_overdue: bool
    is_overdue: bool

    @property
    def later(self) -> bool:
        return self.new > self.old


def preview(new_calendar: deadlines.Calendar, now: datetime,
            old_calendar: deadlines.Calendar | None = None) -> list[Move]:
    """Every open dossier and open leg whose due date the new calendar would change."""
    old_calendar = old_calendar or calendars.current()
    moves = []
    query = sa.select(Dossier).where(Dossier.status.in_(OPEN_STATUSES)).options(selectinload(Dossier.pauses))
    for dossier in db.session.scalars(query):
        before = dossiers.computed_due(dossier, old_calendar)
        after = dossiers.computed_due(dossier, new_calendar)
        if after is not None and before != after:  # None: paused, no date until it resumes
            moves.append(_move(dossier, None, dossier.due_at, after, old_calendar, new_calendar, now))
    for leg in db.session.scalars(sa.select(Leg).where(Leg.returned_at.is_(None))):
        before, after = leg_due_at(leg, old_calendar), leg_due_at(leg, new_calendar)
        if before != after:
            moves.append(_move(leg.dossier, leg, leg.due_at, after, old_calendar, new_calendar, now))
    return sorted(moves, key=lambda move: (move.old, move.dossier.code, move.leg is not None))


def _move(dossier, leg, old, new, old_calendar, new_calendar, now) -> Move:
    # A day that changes status lies between the two dates and counts in one calendar only,
    # so the larger measure is the working time the citizen waits more (or less).
    early, late = sorted((old, new))
    working = max(deadlines.working_time_between(early, late, calendar) for calendar in (old_calendar, new_calendar))
    return Move(dossier=dossier, leg=leg, old=old, new=new, working=working if new >= old else -working,
                days=(local(new).date() - local(old).date()).days, was_overdue=now > old, is_overdue=now > new)


@dataclass(frozen=True)
class Rejudge:
    """A completed dossier whose timeliness a calendar change would alter (issue 15, item 3)."""

    dossier: Dossier
    old_due: datetime
    new_due: datetime
    old: object  # Timeliness | None
    new: object


def completed_changes(new_calendar: deadlines.Calendar, old_calendar: deadlines.Calendar,
                      days: set[date] | None = None) -> list[Rejudge]:
    """Completed dossiers whose due date, and with it early / on time / late, the change would alter.

    Only dossiers whose stored due date is what the old calendar gives (not imported registers with
    a verbatim date), and, when `days` is given, only those whose span from receipt to due date
    contains one of the changed days (indexed local-date columns, DESIGN.md §11).
    """
    query = sa.select(Dossier).where(Dossier.completed_at.is_not(None)).options(selectinload(Dossier.pauses))
    if days:
        query = query.where(Dossier.received_on <= max(days), Dossier.due_on >= min(days))
    found = []
    for dossier in db.session.scalars(query.order_by(Dossier.completed_at)):
        if dossiers.computed_due(dossier, old_calendar) != dossier.due_at:
            continue
        new_due = dossiers.computed_due(dossier, new_calendar)
        new = timeliness_of(dossier.completed_at, new_due)
        if new_due is not None and new != dossier.timeliness:
            found.append(Rejudge(dossier, dossier.due_at, new_due, dossier.timeliness, new))
    return found


def rejudge(changes: list[Rejudge], ids, reason: str, actor: User | None, now: datetime) -> int:
    """Re-judge the chosen completed dossiers: the due date the new calendar gives, its timeliness,
    and an event each; the statistics, which compare the local dates, follow. How many."""
    chosen = {int(value) for value in ids}
    count = 0
    for change in changes:
        if change.dossier.id not in chosen:
            continue
        dossier = change.dossier
        dossier.due_at, dossier.timeliness = change.new_due, change.new
        history.record(dossier, "rejudge", now, actor=actor, step_due_at=change.new_due,
                       note=f"Đánh giá lại: {TIMELINESS_LABELS.get(change.old, 'chưa đánh giá').lower()} → "
                            f"{TIMELINESS_LABELS[change.new].lower()}; hạn giải quyết {vn_datetime(change.old_due)} "
                            f"→ {vn_datetime(change.new_due)} vì {reason}",
                       data={"reason": reason, "from": str(change.old or ""), "to": str(change.new)})
        count += 1
    return count


def changed_days(old_calendar: deadlines.Calendar, new_calendar: deadlines.Calendar, days) -> set[date]:
    """Of `days`, those whose working status the change flips."""
    return {day for day in days if old_calendar.is_working_day(day) != new_calendar.is_working_day(day)}


def apply(moves: list[Move], reason: str, actor: User | None, now: datetime) -> int:
    """Move the due dates and write one "reschedule" event per moved dossier; how many moved."""
    by_dossier: dict[int, list[Move]] = {}
    for move in moves:
        by_dossier.setdefault(move.dossier.id, []).append(move)
    for dossier_moves in by_dossier.values():
        notes, public_note = [], ""
        dossier = dossier_moves[0].dossier
        for move in dossier_moves:
            if move.leg is not None:
                move.leg.due_at = move.new
                notes.append(f"Hạn liên thông tại {move.leg.partner.name} chuyển từ {vn_datetime(move.old)} "
                             f"sang {vn_datetime(move.new)} vì {reason}")
            elif dossier.promised_at == dossier.due_at:
                dossier.due_at = dossier.promised_at = move.new
                public_note = f"Hẹn trả chuyển từ {vn_datetime(move.old)} sang {vn_datetime(move.new)} vì {reason}"
                notes.append(public_note)
            else:  # an apology set the promise: the legal deadline moves, the promise stays (domain.md §3)
                dossier.due_at = move.new
                notes.append(f"Hạn giải quyết chuyển từ {vn_datetime(move.old)} sang {vn_datetime(move.new)} "
                             f"vì {reason}; hẹn trả giữ nguyên {vn_datetime(dossier.promised_at)}")
        history.record(dossier, "reschedule", now, actor=actor, step_due_at=dossier.due_at,
                       note="; ".join(notes), public_note=public_note, data={"reason": reason})
    return len(by_dossier)


def check_override(day: date, kind: str, reason: str) -> deadlines.Calendar:
    """Refuse a duplicate or pointless override; the calendar it would give."""
    if kind not in KIND_LABELS:
        raise WorkflowError("Loại điều chỉnh phải là ngày nghỉ hoặc ngày làm việc.", field="kind")
    if not (reason or "").strip():
        raise WorkflowError("Cần ghi lý do điều chỉnh lịch.", field="reason")
    existing = db.session.scalar(sa.select(CalendarOverride).where(CalendarOverride.day == day))
    if existing is not None:
        raise WorkflowError(f"Ngày {vn_date(day)} đã có điều chỉnh ({KIND_LABELS[existing.kind].lower()}: "
                            f"{existing.reason}); hãy xóa điều chỉnh đó trước.", field="day")
    calendar = calendars.current()
    working = calendar.is_working_day(day) and day not in calendar.year(day.year).pending
    if calendar.is_unconfirmed(day):  # an admin's word on an unconfirmed day: a confirmation or a correction
        return calendar.with_overrides((*calendar.overrides, deadlines.Override(day, kind, reason.strip())))
    if kind == "off" and not working:
        name = calendar.day_off_name(day) or WEEKEND_NAMES.get(day.weekday(), "")
        raise WorkflowError(f"Ngày {vn_date(day)} vốn đã là ngày nghỉ ({name}).", field="day")
    if kind == "workday" and working:
        raise WorkflowError(f"Ngày {vn_date(day)} vốn đã là ngày làm việc.", field="day")
    return calendar.with_overrides((*calendar.overrides, deadlines.Override(day, kind, reason.strip())))


def preview_override(day: date, kind: str, reason: str, now: datetime) -> list[Move]:
    """What adding this override would move, without changing anything."""
    return preview(check_override(day, kind, reason), now)


def completed_for_override(day: date, kind: str, reason: str) -> list[Rejudge]:
    """Completed dossiers an added override would re-judge."""
    old_calendar, new_calendar = calendars.current(), check_override(day, kind, reason)
    return completed_changes(new_calendar, old_calendar, changed_days(old_calendar, new_calendar, [day]))


def add_override(day: date, kind: str, reason: str, actor: User | None,
                 now: datetime, rejudge_ids=()) -> tuple[CalendarOverride, list[Move]]:
    """Make a day off or working, move the open dossiers and legs it affects, and re-judge the
    completed dossiers the admin chose from the preview."""
    old_calendar, new_calendar = calendars.current(), check_override(day, kind, reason)
    changes = completed_changes(new_calendar, old_calendar, changed_days(old_calendar, new_calendar, [day]))
    override = CalendarOverride(day=day, kind=kind, reason=reason.strip(), created_by=actor, created_at=now)
    db.session.add(override)
    moves = preview(new_calendar, now, old_calendar)
    apply(moves, reason.strip(), actor, now)
    rejudge(changes, rejudge_ids, reason.strip(), actor, now)
    db.session.flush()
    return override, moves


def _without(override: CalendarOverride) -> deadlines.Calendar:
    calendar = calendars.current()
    return calendar.with_overrides(o for o in calendar.overrides if o.day != override.day)


def removal_reason(override: CalendarOverride) -> str:
    """Why the dates move back, for the events: 'bỏ ngày nghỉ 09/03/2026 (…)'."""
    return f"bỏ {KIND_LABELS[override.kind].lower()} {vn_date(override.day)} ({override.reason})"


def preview_removal(override: CalendarOverride, now: datetime) -> list[Move]:
    """What removing this override would move, without changing anything."""
    return preview(_without(override), now)


def completed_for_removal(override: CalendarOverride) -> list[Rejudge]:
    """Completed dossiers removing an override would re-judge."""
    old_calendar, new_calendar = calendars.current(), _without(override)
    return completed_changes(new_calendar, old_calendar, changed_days(old_calendar, new_calendar, [override.day]))


def remove_override(override: CalendarOverride, actor: User | None, now: datetime, rejudge_ids=()) -> list[Move]:
    """Give the day back to the official calendar, move what it affects, re-judge the chosen."""
    old_calendar, new_calendar = calendars.current(), _without(override)
    changes = completed_changes(new_calendar, old_calendar, changed_days(old_calendar, new_calendar, [override.day]))
    moves = preview(new_calendar, now, old_calendar)
    apply(moves, removal_reason(override), actor, now)
    rejudge(changes, rejudge_ids, removal_reason(override), actor, now)
    db.session.delete(override)
    db.session.flush()
    return moves


def confirmation_kind(calendar: deadlines.Calendar, day: date) -> str:
    """What confirming a day as shown means: off for a day off or a pending day off, else workday."""
    info = calendar.year(day.year)
    return "off" if not calendar.is_working_day(day) or day in info.pending else "workday"


def check_confirmation(days: list[date], reason: str) -> tuple[deadlines.Calendar, list[deadlines.Override]]:
    """Refuse an empty or bad confirmation; the calendar it would give and the overrides it adds."""
    if not days:
        raise WorkflowError("Hãy chọn ít nhất một ngày để xác nhận.", field="days")
    if not (reason or "").strip():
        raise WorkflowError("Cần ghi căn cứ xác nhận (số, ngày văn bản).", field="reason")
    calendar = calendars.current()
    added = []
    for day in sorted(set(days)):
        if not calendar.is_unconfirmed(day):
            raise WorkflowError(f"Ngày {vn_date(day)} không phải ngày chờ xác nhận.", field="days")
        added.append(deadlines.Override(day, confirmation_kind(calendar, day), reason.strip()))
    return calendar.with_overrides((*calendar.overrides, *added)), added


def preview_confirmation(days: list[date], reason: str, now: datetime) -> list[Move]:
    """What confirming these days as shown would move, without changing anything."""
    return preview(check_confirmation(days, reason)[0], now)


def completed_for_confirmation(days: list[date], reason: str) -> list[Rejudge]:
    """Completed dossiers a confirmation would re-judge (only a pending day off changes anything)."""
    old_calendar, new_calendar = calendars.current(), check_confirmation(days, reason)[0]
    return completed_changes(new_calendar, old_calendar, changed_days(old_calendar, new_calendar, days))


def confirm_days(days: list[date], reason: str, actor: User | None, now: datetime, rejudge_ids=()) -> list[Move]:
    """Record an admin's confirmation of each day as shown (an override of the same kind), and move
    what it affects: confirming a pending day off such as 24/11/2026 makes it a day off."""
    old_calendar = calendars.current()
    new_calendar, added = check_confirmation(days, reason)
    changes = completed_changes(new_calendar, old_calendar, changed_days(old_calendar, new_calendar, days))
    rejudge(changes, rejudge_ids, f"xác nhận lịch nghỉ ({reason.strip()})", actor, now)
    for override in added:
        db.session.add(CalendarOverride(day=override.day, kind=override.kind, reason=override.reason,
                                        created_by=actor, created_at=now))
    moves = preview(new_calendar, now, old_calendar)
    apply(moves, f"xác nhận lịch nghỉ ({reason.strip()})", actor, now)
    db.session.flush()
    return moves


def _imported(dossier: Dossier) -> bool:
    # A register import keeps the register's due date verbatim (DESIGN.md §8): not ours to recompute.
    return any(event.action == "import" for event in dossier.events)


def stale(now: datetime, calendar: deadlines.Calendar | None = None) -> tuple[list[Move], list[Rejudge]]:
    """After a data update (a release with new official schedules): open dossiers and legs whose
    stored due date the calendar in force no longer gives, and completed dossiers whose timeliness
    it would change. Register imports are left alone."""
    calendar = calendar or calendars.current()
    moves, changes = [], []
    query = sa.select(Dossier).options(selectinload(Dossier.pauses), selectinload(Dossier.events))
    for dossier in db.session.scalars(query.where(Dossier.status.in_(OPEN_STATUSES))):
        due = dossiers.computed_due(dossier, calendar)
        if due is not None and due != dossier.due_at and not _imported(dossier):
            moves.append(_move(dossier, None, dossier.due_at, due, calendar, calendar, now))
    for leg in db.session.scalars(sa.select(Leg).where(Leg.returned_at.is_(None))):
        due = leg_due_at(leg, calendar)
        if due != leg.due_at and not _imported(leg.dossier):
            moves.append(_move(leg.dossier, leg, leg.due_at, due, calendar, calendar, now))
    for dossier in db.session.scalars(query.where(Dossier.completed_at.is_not(None))):
        due = dossiers.computed_due(dossier, calendar)
        if due is None or due == dossier.due_at or _imported(dossier):
            continue
        new = timeliness_of(dossier.completed_at, due)
        if new != dossier.timeliness:
            changes.append(Rejudge(dossier, dossier.due_at, due, dossier.timeliness, new))
    return sorted(moves, key=lambda move: (move.old, move.dossier.code, move.leg is not None)), changes


DATA_UPDATE_REASON = "cập nhật lịch nghỉ lễ, Tết chính thức"


def hours_calendar(sessions, cutoff: time) -> deadlines.Calendar:
    """The current calendar with other working sessions and same-day cut-off."""
    try:
        return deadlines.Calendar(sessions, calendars.current().overrides, cutoff)
    except ValueError as error:  # the engine's messages are Vietnamese already
        raise WorkflowError(str(error), field="sessions") from error


def preview_hours(sessions, cutoff: time, now: datetime) -> list[Move] | None:
    """What new working hours would move, without changing anything; None if they are the same."""
    calendar = calendars.current()
    if (tuple(sessions), cutoff) == (calendar.sessions, calendar.same_day_cutoff):
        return None
    return preview(hours_calendar(sessions, cutoff), now, calendar)


def moved_dossiers(moves: list[Move]) -> int:
    """How many dossiers the moves touch (a dossier and its leg count once)."""
    return len({move.dossier.id for move in moves})


def change_hours(sessions, cutoff: time, actor: User | None, now: datetime) -> list[Move]:
    """Store new working sessions and cut-off, and move the open dossiers and legs they affect."""
    old_calendar, new_calendar = calendars.current(), hours_calendar(sessions, cutoff)
    settings.put("sessions", [[f"{opens:%H:%M}", f"{closes:%H:%M}"] for opens, closes in sessions])
    settings.put("same_day_cutoff", f"{cutoff:%H:%M}")
    moves = preview(new_calendar, now, old_calendar)
    apply(moves, "thay đổi giờ làm việc", actor, now)
    db.session.flush()
    return moves
