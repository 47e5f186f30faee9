"""The leaders' weekly work schedule: entries of one agency, week by week.

Functions change objects in db.session and never commit: the view commits once.
"""
from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from .extensions import db
from .formatting import vn_date
from .models import AgendaEntry, Agency, User


@dataclass
class EntryData:
    """What staff type for one entry (already validated by the form)."""

    held_on: date
    start_time: time | None
    content: str
    presiding: str
    place: str = ""


def weekday_name(day: date) -> str:
    """Thứ Hai … Chủ nhật."""
    names = (_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"), _("Chủ nhật"))
    return names[day.weekday()]


def week_start(day: date) -> date:
    """The Monday of the week that holds `day`."""
    return day - timedelta(days=day.weekday())


def week_entries(agency: Agency, monday: date) -> list[AgendaEntry]:
    """The agency's entries from Monday to Sunday, by day then time (whole-day items first)."""
    query = (sa.select(AgendaEntry)
             .where(AgendaEntry.agency_id == agency.id, AgendaEntry.held_on >= monday,
                    AgendaEntry.held_on < monday + timedelta(days=7))
             .order_by(AgendaEntry.held_on, AgendaEntry.start_time.is_not(None), AgendaEntry.start_time,
                       AgendaEntry.id))
    return list(db.session.scalars(query))


def week_by_day(agency: Agency, monday: date) -> list[tuple[date, list[AgendaEntry]]]:
    """The seven days from Monday, each with its entries (an empty list for a free day)."""
    entries = week_entries(agency, monday)
    days = [monday + timedelta(days=offset) for offset in range(7)]
    return [(day, [entry for entry in entries if entry.held_on == day]) for day in days]


def find(agency: Agency, entry_id: int) -> AgendaEntry | None:
    """The entry with this id, if it belongs to the agency (no agency sees another's schedule)."""
    entry = db.session.get(AgendaEntry, entry_id)
    return entry if entry is not None and entry.agency_id == agency.id else None


def add(agency: Agency, data: EntryData, *, author: User) -> AgendaEntry:
    """Put a new entry on the agency's schedule."""
    entry = AgendaEntry(agency=agency, created_by=author)
    _fill(entry, data)
    db.session.add(entry)
    return entry


def update(entry: AgendaEntry, data: EntryData) -> AgendaEntry:
    """Correct an entry: day, time, content, who presides, place."""
    _fill(entry, data)
    return entry


def remove(entry: AgendaEntry) -> None:
    """Take an entry off the schedule."""
    db.session.delete(entry)


def _fill(entry: AgendaEntry, data: EntryData) -> None:
    entry.held_on, entry.start_time = data.held_on, data.start_time
    entry.content, entry.presiding, entry.place = data.content.strip(), data.presiding.strip(), data.place.strip()


def board_week(agency: Agency, today: date) -> dict:
    """This week's schedule as the lobby screen shows it: plain strings, today's items marked."""
    monday = week_start(today)
    sunday = monday + timedelta(days=6)
    return {
        "title": _("Lịch công tác tuần từ %(start)s đến %(end)s", start=monday.strftime("%d/%m"),
                   end=vn_date(sunday)),
        "entries": [{
            "day": f"{weekday_name(entry.held_on)} {entry.held_on:%d/%m}",
            "time": entry.start_time.strftime("%H:%M") if entry.start_time else _("Cả ngày"),
            "content": entry.content, "presiding": entry.presiding, "place": entry.place,
            "today": entry.held_on == today,
        } for entry in week_entries(agency, monday)],
    }
