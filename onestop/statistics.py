"""The figures of the statistics form (Biểu 06/VPCP/KSTT, domain.md §5), counted in SQL per field."""
from dataclasses import dataclass, fields as dataclass_fields
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from . import collation
from .clock import VN
from .extensions import db
from .models import Agency, Channel, Dossier, DossierStatus, Field, Leg, Overall, Pause, Procedure, Survey, SurveyChannel
from .periods import Period

TOTAL_LABEL = "Tổng số"


@dataclass(frozen=True)
class Row:
    """One line of the form: a field (or the total), columns (4)–(6), (8)–(10), (12)–(13) as counted."""

    field: str
    online: int = 0
    direct: int = 0
    carried_over: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    within_deadline: int = 0
    overdue: int = 0

    @property
    def received(self) -> int:
        """Column (3) = (4) + (5) + (6)."""
        return self.online + self.direct + self.carried_over

    @property
    def resolved(self) -> int:
        """Column (7) = (8) + (9) + (10)."""
        return self.early + self.on_time + self.late

    @property
    def in_progress(self) -> int:
        """Column (11) = (12) + (13)."""
        return self.within_deadline + self.overdue

    @property
    def columns(self) -> tuple[int, ...]:
        """Columns (3) to (13) in the form's order."""
        return (self.received, self.online, self.direct, self.carried_over, self.resolved, self.early,
                self.on_time, self.late, self.in_progress, self.within_deadline, self.overdue)

    @property
    def on_time_share(self) -> float | None:
        """Share of resolved dossiers done early or on time, or None when nothing was resolved."""
        return (self.early + self.on_time) / self.resolved if self.resolved else None

    def __add__(self, other: "Row") -> "Row":
        counts = {f.name: getattr(self, f.name) + getattr(other, f.name)
                  for f in dataclass_fields(self) if f.name != "field"}
        return Row(self.field, **counts)


@dataclass(frozen=True)
class Table:
    """The form of one agency (or of an agency and its children summed) for one period."""

    agency_code: str
    agency_name: str
    period: Period
    rows: tuple[Row, ...]
    total: Row


@dataclass(frozen=True)
class TthcReport:
    """What a leader sees: the summed form, and each agency's own form when the agency has children."""

    summary: Table
    units: tuple[Table, ...]


def tthc_report(agency: Agency, period: Period, today: date) -> TthcReport:
    """The statistics form of an agency for a period: its children each and all of them summed."""
    family = [agency, *descendants(agency)]
    by_agency = _count(tuple(a.id for a in family), period, today)
    units = tuple(_table(a, period, by_agency.get(a.id, {})) for a in family) if len(family) > 1 else ()
    summed: dict[str, Row] = {}
    for rows in by_agency.values():
        for name, row in rows.items():
            summed[name] = summed[name] + row if name in summed else row
    return TthcReport(_table(agency, period, summed), units)


def descendants(agency: Agency) -> list[Agency]:
    """The agencies under `agency`, at any depth, in code order (the agency list is short)."""
    children: dict[int | None, list[Agency]] = {}
    for other in db.session.scalars(sa.select(Agency).order_by(Agency.code)):
        children.setdefault(other.parent_id, []).append(other)
    found, queue = [], list(children.get(agency.id, []))
    while queue:
        child = queue.pop(0)
        if child.id != agency.id and child not in found:
            found.append(child)
            queue.extend(children.get(child.id, []))
    return found


def _table(agency: Agency, period: Period, rows: dict[str, Row]) -> Table:
    ordered = tuple(rows[name] for name in collation.sorted_vi(rows))  # Vietnamese order: Dân tộc, Đất đai, Giáo dục
    return Table(agency.code, agency.name, period, ordered, sum(ordered, Row(TOTAL_LABEL)))


def _count(agency_ids: tuple[int, ...], period: Period, today: date) -> dict[int, dict[str, Row]]:
    """One grouped query over the indexed local-date columns (DESIGN.md §11): agency → field → Row."""
    start, end = period.start, period.end
    as_of = min(end, today)  # "overdue" is judged at the period's end, or today for a period still running
    received_now = Dossier.received_on >= start
    resolved = sa.and_(Dossier.completed_on.is_not(None), Dossier.completed_on <= end)
    in_progress = sa.or_(Dossier.completed_on.is_(None), Dossier.completed_on > end)
    # A dossier waiting for a supplement at the period's end counts within deadline (domain.md §3, §5).
    end_instant = datetime.combine(end + timedelta(days=1), time.min, VN)
    paused = sa.exists().where(Pause.dossier_id == Dossier.id, Pause.started_at < end_instant,
                               sa.or_(Pause.ended_at.is_(None), Pause.ended_at >= end_instant))
    overdue = sa.and_(in_progress, Dossier.due_on < as_of, sa.not_(paused))

    def count(condition):
        return sa.func.sum(sa.case((condition, 1), else_=0))

    query = (
        sa.select(
            Dossier.agency_id, Dossier.procedure_id,
            count(sa.and_(received_now, Dossier.channel == Channel.ONLINE)),
            count(sa.and_(received_now, Dossier.channel != Channel.ONLINE)),
            count(Dossier.received_on < start),
            count(sa.and_(resolved, Dossier.completed_on < Dossier.due_on)),
            count(sa.and_(resolved, Dossier.completed_on == Dossier.due_on)),
            count(sa.and_(resolved, Dossier.completed_on > Dossier.due_on)),
            count(sa.and_(in_progress, sa.not_(overdue))),
            count(overdue),
        )
        # Every dossier received by the period's end and not completed before its start (domain.md §5).
        .where(Dossier.agency_id.in_(agency_ids), Dossier.received_on <= end,
               sa.or_(Dossier.completed_on.is_(None), Dossier.completed_on >= start))
        # By procedure, not field: the index covers procedure_id, so the rows are never read, and the
        # catalogue's few dozen procedures are folded into their fields below.
        .group_by(Dossier.agency_id, Dossier.procedure_id)
    )
    fields = dict(db.session.execute(sa.select(Procedure.id, Field.name).join(Field, Field.id == Procedure.field_id)).all())
    result: dict[int, dict[str, Row]] = {}
    for agency_id, procedure_id, *counts in db.session.execute(query):
        name, rows = fields[procedure_id], result.setdefault(agency_id, {})
        row = Row(name, *(int(c or 0) for c in counts))
        rows[name] = rows[name] + row if name in rows else row
    return result


# How the form counts the dossiers people ask about, printed under the table.
COUNTING_NOTE = ("Hồ sơ đang chờ bổ sung được tính là trong hạn; hồ sơ liên thông được tính một lần; "
                 "hồ sơ từ chối hoặc công dân rút được tính là đã giải quyết theo ngày kết thúc.")



@dataclass(frozen=True)
class ItFigures:
    """The one-stop figures of the yearly IT report (domain.md §8), computed for a period."""

    received: int                    # dossiers received in the period, all of them in the software
    desk_total: int                  # all dossiers at the desk: entered by people, by default `received`
    surveyed_at_kiosk: int           # dossiers of the period with a kiosk satisfaction survey
    procedures: int                  # procedures in force at the period's end
    procedures_by_level: tuple[tuple[str, int], ...]
    returned_on_time: int            # dossiers of the period done early or on time by the period's end
    inter_agency: int                # dossiers of the period sent to a partner agency
    in_progress_within: int = 0      # dossiers of the period still being processed, within their deadline

    @property
    def software_share(self) -> float:
        return self.received / self.desk_total if self.desk_total else 1.0

    @property
    def on_time_share(self) -> float | None:
        """Returned early or on time over received (the template's definition); None for an empty period."""
        return self.returned_on_time / self.received if self.received else None


def it_figures(agency: Agency, period: Period, desk_total: int | None = None, today: date | None = None) -> ItFigures:
    """Count the IT report's one-stop figures for `agency` and the agencies under it.

    Dossiers still in progress are judged on the period's end, or today while the period is still open."""
    ids = tuple(a.id for a in (agency, *descendants(agency)))
    judged = min(period.end, today) if today else period.end
    in_period = sa.and_(Dossier.agency_id.in_(ids), Dossier.received_on.between(period.start, period.end))
    on_time = sa.and_(Dossier.completed_on <= period.end, Dossier.completed_on <= Dossier.due_on)
    # Still in progress at that day and not past its deadline (a paused dossier counts within, domain.md §5).
    within = sa.and_(sa.or_(Dossier.completed_on.is_(None), Dossier.completed_on > judged),
                     sa.or_(Dossier.status == DossierStatus.AWAITING_SUPPLEMENT, Dossier.due_on >= judged))
    kiosk = sa.exists().where(Survey.dossier_id == Dossier.id, Survey.channel == SurveyChannel.KIOSK)
    legs = sa.exists().where(Leg.dossier_id == Dossier.id)

    def count(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    received, surveyed, done, inter, pending = db.session.execute(
        sa.select(sa.func.count(Dossier.id), count(kiosk), count(on_time), count(legs), count(within))
        .where(in_period)).one()
    in_force = sa.and_(sa.or_(Procedure.active_from.is_(None), Procedure.active_from <= period.end),
                       sa.or_(Procedure.active_to.is_(None), Procedure.active_to >= period.end))
    levels = db.session.execute(sa.select(Procedure.online_level, sa.func.count(Procedure.id)).where(in_force)
                                .group_by(Procedure.online_level).order_by(Procedure.online_level)).all()
    return ItFigures(received, received if desk_total is None else desk_total, surveyed,
                     sum(n for _, n in levels), tuple((level, n) for level, n in levels), done, inter, pending)


@dataclass(frozen=True)
class Month:
    """One calendar month of a period, for the charts: received, resolved, resolved early or on time."""

    year: int
    month: int
    received: int = 0
    resolved: int = 0
    on_time: int = 0

    @property
    def label(self) -> str:
        return f"{self.month:02d}/{self.year}"


def monthly(agency: Agency, period: Period) -> tuple[Month, ...]:
    """Dossiers received and resolved in each calendar month of the period (agency and its children)."""
    ids = tuple(a.id for a in (agency, *descendants(agency)))
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for column, extra in ((Dossier.received_on, None), (Dossier.completed_on, Dossier.completed_on <= Dossier.due_on)):
        year, month = sa.extract("year", column), sa.extract("month", column)
        on_time = sa.func.sum(sa.case((extra, 1), else_=0)) if extra is not None else sa.literal(0)
        query = (sa.select(year, month, sa.func.count(Dossier.id), on_time)
                 .where(Dossier.agency_id.in_(ids), column.between(period.start, period.end)).group_by(year, month))
        for y, m, number, good in db.session.execute(query):
            slot = counts.setdefault((int(y), int(m)), {"received": 0, "resolved": 0, "on_time": 0})
            if extra is None:
                slot["received"] = number
            else:
                slot["resolved"], slot["on_time"] = number, int(good or 0)
    return tuple(Month(y, m, **counts.get((y, m), {})) for y, m in _months(period))


def satisfaction(agency: Agency, period: Period) -> dict[str, int]:
    """Survey answers to the overall question for dossiers received in the period, per answer."""
    ids = tuple(a.id for a in (agency, *descendants(agency)))
    query = (sa.select(Survey.overall, sa.func.count(Survey.id)).join(Dossier, Dossier.id == Survey.dossier_id)
             .where(Dossier.agency_id.in_(ids), Dossier.received_on.between(period.start, period.end))
             .group_by(Survey.overall))
    found = {str(overall): number for overall, number in db.session.execute(query)}
    return {str(overall): found.get(str(overall), 0) for overall in Overall}


def _months(period: Period):
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
