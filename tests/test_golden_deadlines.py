"""The public golden corpus (tests/golden_deadlines.csv): received moment, deadline, expected due.

The table is meant for anyone to test their own system against the official calendars of
2019–2026 (onestop/data/calendar/official.csv), with the default sessions 07:00–11:30 and
13:30–17:00 and the same-day cut-off "after 15:00" (Law on Civil Status 2014 art. 5(3)).
"""
import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from onestop.deadlines import VN, Calendar, Deadline, due_at

CORPUS = Path(__file__).with_name("golden_deadlines.csv")
CALENDAR = Calendar()


def _at(text: str) -> datetime:
    layout = "%d/%m/%Y %H:%M:%S" if text.count(":") == 2 else "%d/%m/%Y %H:%M"
    return datetime.strptime(text, layout).replace(tzinfo=VN)


def _rows():
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_corpus_spans_every_year_and_is_large_enough():
    rows = _rows()
    assert len(rows) >= 60
    assert {_at(row["received"]).year for row in rows} >= set(range(2019, 2027))
    assert all(row["source"] for row in rows)


@pytest.mark.parametrize("row", _rows(), ids=lambda row: f'{row["received"]}+{row["deadline_value"]}{row["deadline_unit"]}')
def test_golden_case(row):
    value = Decimal(row["deadline_value"]) if row["deadline_value"] else None
    pauses = [(_at(row["pause_start"]), _at(row["pause_end"]))] if row["pause_start"] else []
    due = due_at(_at(row["received"]), Deadline(value, row["deadline_unit"]), CALENDAR, pauses)
    assert due == _at(row["expected_due"]), row["note"]
