"""The government's working calendar for civil servants, year by year, as data (domain.md §3).

`onestop/data/calendar/official.csv` has one row per day off or make-up working day announced for
a year (the Prime Minister's / Government Office's agreement, then the Ministry of Labour's — from
2025 the Ministry of Home Affairs' — notice), with the document, whether the entry was checked
against a copy of the notice and where. For the years the file covers it is the whole calendar;
for other years the `holidays` library fills in, and its days are shown as unconfirmed. An entry
whose `status` is `unconfirmed` (24/11/2026, Ngày Văn hóa Việt Nam: the Labour Code amendment was
still being prepared) is shown to admins but not applied until one of them confirms it.

Pure: no Flask, no database.
"""
from __future__ import annotations

import csv
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import holidays

DATA_FILE = Path(__file__).parent / "data" / "calendar" / "official.csv"
KINDS = ("off", "workday")
STATUSES = ("in_force", "unconfirmed")


@dataclass(frozen=True)
class DaySource:
    """Why a day is off or worked: the official data, the library or an admin's override."""

    origin: str  # "official" | "library" | "override"
    kind: str  # "off" | "workday"
    name: str
    document: str = ""
    document_date: str = ""
    verified: bool = False
    verified_from: str = ""
    note: str = ""
    status: str = "in_force"

    @property
    def confirmed(self) -> bool:
        """Whether nobody needs to look at it: a checked official entry or an admin's own word."""
        return self.origin == "override" or (self.origin == "official" and self.verified
                                              and self.status == "in_force")


class Schedule:
    """Official entries by date, and the years they cover completely."""

    def __init__(self, entries: Iterable[tuple[date, DaySource]], years: Iterable[int]):
        self._entries = {day: source for day, source in entries}
        self.years = frozenset(years)
        self._cache: dict[int, tuple] = {}
        self._lock = threading.Lock()

    def entries(self) -> Mapping[date, DaySource]:
        return MappingProxyType(self._entries)

    def covers(self, year: int) -> bool:
        return year in self.years

    def base(self, year: int) -> tuple[Mapping[date, DaySource], Mapping[date, DaySource], Mapping[date, DaySource]]:
        """Days off, worked weekend days and pending (unconfirmed, not applied) entries of a year."""
        found = self._cache.get(year)
        if found is None:
            with self._lock:
                found = self._cache[year] = self._build(year)
        return found

    def _build(self, year: int):
        days_off: dict[date, DaySource] = {}
        workdays: dict[date, DaySource] = {}
        if not self.covers(year):  # the library, unconfirmed, only where the data says nothing
            library_off, library_work = library(year)
            days_off.update((day, DaySource("library", "off", name)) for day, name in library_off.items())
            workdays.update((day, DaySource("library", "workday", name)) for day, name in library_work.items())
        pending = {}
        for day, source in self._entries.items():
            if day.year != year:
                continue
            if source.status != "in_force":
                pending[day] = source
                continue
            days_off.pop(day, None)
            workdays.pop(day, None)
            if source.kind == "off":
                days_off[day] = source
            elif day.weekday() >= 5:  # a worked weekday is not news
                workdays[day] = source
        return MappingProxyType(days_off), MappingProxyType(workdays), MappingProxyType(pending)


def parse(lines: Iterable[str]) -> Schedule:
    """Read the CSV; a bad row raises ValueError naming it."""
    entries, years = [], set()
    for number, row in enumerate(csv.DictReader(lines), start=2):
        try:
            day = date.fromisoformat(row["date"])
            kind, status = row["kind"], row.get("status") or "in_force"
            if kind not in KINDS or status not in STATUSES:
                raise ValueError(f"kind {kind!r} / status {status!r}")
            if row.get("verified", "no") not in ("yes", "no"):
                raise ValueError("verified must be yes or no")
            years.add(int(row["year"]))
        except (KeyError, ValueError) as error:
            raise ValueError(f"{DATA_FILE.name}, dòng {number}: {error}") from error
        entries.append((day, DaySource(
            origin="official", kind=kind, name=row["name"], document=row.get("document", ""),
            document_date=row.get("document_date", ""), verified=row.get("verified") == "yes",
            verified_from=row.get("verified_from", ""), note=row.get("note", ""), status=status)))
    return Schedule(entries, years)


@lru_cache(maxsize=1)
def default() -> Schedule:
    """The repository's official calendar, read once per process."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return parse(handle)


EMPTY = Schedule((), ())  # the library alone, for tests that compare


@lru_cache(maxsize=None)
def library(year: int) -> tuple[Mapping[date, str], Mapping[date, str]]:
    """The holidays library's days off and make-up workdays of one year, with Vietnamese names."""
    # Load the neighbouring years too: a make-up Saturday can belong to the previous year's swap.
    source = holidays.country_holidays("VN", years=range(year - 1, year + 2), language="vi")
    days_off = {day: name for day, name in source.items() if day.year == year}
    workdays = {day: _makeup_name(day, source) for day in source.weekend_workdays if day.year == year}
    return MappingProxyType(days_off), MappingProxyType(workdays)


def _makeup_name(day: date, source) -> str:
    # The library names the swapped day off "Ngày nghỉ (thay cho ngày 04/05/2019)": find it back.
    label = f"{day:%d/%m/%Y}"
    swapped = [off for off, name in sorted(source.items()) if label in name]
    return f"Làm bù cho ngày nghỉ {swapped[0]:%d/%m/%Y}" if swapped else "Ngày làm việc bù"
