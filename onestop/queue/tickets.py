"""Issuing, calling and closing queue tickets, and their figures. Nothing here commits: the caller does.

Numbers come from the same gap-free series as dossier codes (onestop/counters.py): an upsert of the
series row in the caller's transaction, so two kiosks taking a ticket at once get A015 and A016.
Calling claims the oldest waiting ticket with a conditional UPDATE (status still waiting), after
`FOR UPDATE SKIP LOCKED` on PostgreSQL, so two counters calling at once never get the same ticket.
"""
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import counters
from ..clock import local
from ..errors import WorkflowError
from ..extensions import db
from ..models import Agency, Dossier
from .models import QueueCounter, QueueService, QueueTicket, TicketStatus

RECENT_CALLS = 6  # calls the lobby band shows


def services(agency: Agency) -> list[QueueService]:
    return list(db.session.scalars(sa.select(QueueService).where(QueueService.agency_id == agency.id)
                                   .order_by(QueueService.letter)))


def service_by_letter(agency: Agency, letter: str) -> QueueService | None:
    return db.session.scalar(sa.select(QueueService).where(QueueService.agency_id == agency.id,
                                                           QueueService.letter == (letter or "").strip().upper()))


def counters_of(agency: Agency) -> list[QueueCounter]:
    return list(db.session.scalars(sa.select(QueueCounter).where(QueueCounter.agency_id == agency.id)
                                   .order_by(QueueCounter.number)))


def counter_by_number(agency: Agency, number) -> QueueCounter | None:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(sa.select(QueueCounter).where(QueueCounter.agency_id == agency.id,
                                                           QueueCounter.number == number))


def save_service(agency: Agency, letter: str, name: str, field_ids) -> QueueService:
    """Add the agency's line of this letter, or rename it and change its procedure fields (the caller commits)."""
    line = service_by_letter(agency, letter) or QueueService(agency_id=agency.id, letter=letter)
    line.name, line.field_ids = name.strip(), list(field_ids)
    db.session.add(line)
    return line


def save_counter(agency: Agency, number: int, name: str, letters) -> QueueCounter:
    """Add the agency's counter of this number, or rename it and change the lines it serves (the caller commits)."""
    counter = counter_by_number(agency, number) or QueueCounter(agency_id=agency.id, number=number)
    counter.name, counter.letters = name.strip(), list(letters)
    db.session.add(counter)
    return counter


def take(service: QueueService, now: datetime) -> QueueTicket:
    """A new ticket of the service for the agency's local day: A001 after local midnight."""
    day = local(now).date()
    sequence = counters.next_number(service.agency_id, f"queue:{service.letter}:{day.isoformat()}")
    ticket = QueueTicket(agency_id=service.agency_id, service=service, day=day,
                         number=f"{service.letter}{sequence:03d}", issued_at=now)
    db.session.add(ticket)
    db.session.flush()
    return ticket


def ahead(ticket: QueueTicket) -> int:
    """People of the same line still waiting before this ticket."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    return db.session.scalar(sa.select(sa.func.count()).select_from(QueueTicket).where(
        QueueTicket.service_id == ticket.service_id, QueueTicket.day == ticket.day,
        QueueTicket.status == TicketStatus.WAITING, QueueTicket.id < ticket.id))


def waiting_counts(agency: Agency, day: date) -> dict[str, int]:
    """Waiting tickets per service letter today."""
    rows = db.session.execute(
        sa.select(QueueService.letter, sa.func.count(QueueTicket.id))
        .join(QueueTicket, sa.and_(QueueTicket.service_id == QueueService.id, QueueTicket.day == day,
                                   QueueTicket.status == TicketStatus.WAITING), isouter=True)
        .where(QueueService.agency_id == agency.id).group_by(QueueService.letter))
    return dict(rows.all())


def current_at(counter: QueueCounter, day: date) -> QueueTicket | None:
    """The ticket the counter called last today and has not closed."""
    return db.session.scalar(sa.select(QueueTicket).where(
        QueueTicket.agency_id == counter.agency_id, QueueTicket.day == day,
        QueueTicket.counter_number == counter.number, QueueTicket.status == TicketStatus.CALLED)
        .order_by(QueueTicket.called_at.desc(), QueueTicket.id.desc()).limit(1))


def call_next(counter: QueueCounter, now: datetime) -> QueueTicket:
    """Claim the oldest waiting ticket of the counter's services today; WorkflowError when nobody waits."""
    day = local(now).date()
    service_ids = sa.select(QueueService.id).where(QueueService.agency_id == counter.agency_id,
                                                   QueueService.letter.in_(counter.letters or []))
    postgres = db.session.get_bind().dialect.name == "postgresql"
    while True:
        query = (sa.select(QueueTicket.id).where(
            QueueTicket.agency_id == counter.agency_id, QueueTicket.day == day,
            QueueTicket.status == TicketStatus.WAITING, QueueTicket.service_id.in_(service_ids))
            .order_by(QueueTicket.issued_at, QueueTicket.id).limit(1))
        if postgres:  # another counter's claim in flight is skipped, not waited for
            query = query.with_for_update(skip_locked=True)
        ticket_id = db.session.scalar(query)
        if ticket_id is None:
            raise WorkflowError(_("Không còn ai chờ ở quầy số %(number)s.", number=counter.number))
        # The claim itself: only while the ticket still waits (SQLite's write lock or the row lock orders it).
        claimed = db.session.execute(
            sa.update(QueueTicket).where(QueueTicket.id == ticket_id, QueueTicket.status == TicketStatus.WAITING)
            .values(status=TicketStatus.CALLED, called_at=now, counter_number=counter.number)
            .execution_options(synchronize_session=False))
        if claimed.rowcount == 1:
            break
    # The counter's previous ticket ends with this call (its service time), unless intake closed it already.
    db.session.execute(
        sa.update(QueueTicket).where(
            QueueTicket.agency_id == counter.agency_id, QueueTicket.counter_number == counter.number,
            QueueTicket.status == TicketStatus.CALLED, QueueTicket.id != ticket_id,
            QueueTicket.finished_at.is_(None))
        .values(finished_at=now).execution_options(synchronize_session=False))
    ticket = db.session.get(QueueTicket, ticket_id)
    db.session.refresh(ticket)
    return ticket


def recall(ticket: QueueTicket, now: datetime) -> None:
    """Call the same number again: the lobby shows and says it anew."""
    if ticket.status != TicketStatus.CALLED:
        raise WorkflowError(_("Số %(number)s không còn được gọi.", number=ticket.number))
    ticket.called_at = now


def skip(ticket: QueueTicket, now: datetime) -> None:
    """The person did not come: a no-show."""
    if ticket.status != TicketStatus.CALLED:
        raise WorkflowError(_("Số %(number)s không còn được gọi.", number=ticket.number))
    ticket.status = TicketStatus.NO_SHOW
    ticket.finished_at = now


def link(ticket: QueueTicket, dossier: Dossier) -> None:
    """The intake form saved after "Tiếp nhận": the ticket became this dossier."""
    if ticket.agency_id != dossier.agency_id or ticket.status not in (TicketStatus.CALLED, TicketStatus.SERVED):
        return
    ticket.status = TicketStatus.SERVED
    ticket.dossier = dossier
    ticket.finished_at = ticket.finished_at or dossier.received_at


def recent_calls(agency: Agency, now: datetime) -> list[dict]:
    """The lobby band: today's latest calls, newest first."""
    rows = db.session.execute(
        sa.select(QueueTicket.number, QueueTicket.counter_number, QueueTicket.called_at)
        .where(QueueTicket.agency_id == agency.id, QueueTicket.day == local(now).date(),
               QueueTicket.called_at.is_not(None))
        .order_by(QueueTicket.called_at.desc(), QueueTicket.id.desc()).limit(RECENT_CALLS))
    return [{"number": number, "counter": counter, "called_at": local(at).isoformat(timespec="seconds")}
            for number, counter, at in rows]


def serving(service: QueueService, day: date) -> str | None:
    """The number of the line called last today."""
    return db.session.scalar(sa.select(QueueTicket.number).where(
        QueueTicket.service_id == service.id, QueueTicket.day == day, QueueTicket.called_at.is_not(None))
        .order_by(QueueTicket.called_at.desc(), QueueTicket.id.desc()).limit(1))


@dataclass(frozen=True)
class LineFigures:
    day: date
    letter: str
    name: str
    tickets: int
    no_shows: int
    wait_median: float | None    # minutes, issued → called
    wait_p90: float | None
    service_median: float | None  # minutes, called → next call at the counter or intake saved
    service_p90: float | None


def _percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (the median as the lower middle for an even count is avoided: interpolated)."""
    if not values:
        return None
    values = sorted(values)
    position = (len(values) - 1) * share
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return round(values[low] + (values[high] - values[low]) * (position - low), 1)


def figures(agency: Agency, first: date, last: date) -> list[LineFigures]:
    """Per service and per day between first and last (local days), computed from the tickets' moments."""
    rows = db.session.execute(
        sa.select(QueueTicket.day, QueueService.letter, QueueService.name, QueueTicket.status,
                  QueueTicket.issued_at, QueueTicket.called_at, QueueTicket.finished_at)
        .join(QueueService, QueueTicket.service_id == QueueService.id)
        .where(QueueTicket.agency_id == agency.id, QueueTicket.day.between(first, last))
        .order_by(QueueTicket.day, QueueService.letter))
    groups: dict[tuple, dict] = {}
    for day, letter, name, status, issued, called, finished in rows:
        group = groups.setdefault((day, letter), {"name": name, "tickets": 0, "no_shows": 0, "wait": [], "service": []})
        group["tickets"] += 1
        if status == TicketStatus.NO_SHOW:
            group["no_shows"] += 1
        if called is not None:
            group["wait"].append((called - issued).total_seconds() / 60)
            if finished is not None and status != TicketStatus.NO_SHOW:
                group["service"].append((finished - called).total_seconds() / 60)
    return [LineFigures(day, letter, group["name"], group["tickets"], group["no_shows"],
                        _percentile(group["wait"], 0.5), _percentile(group["wait"], 0.9),
                        _percentile(group["service"], 0.5), _percentile(group["service"], 0.9))
            for (day, letter), group in sorted(groups.items())]


def seed_demo(agency: Agency) -> None:
    """`seed demo`: line A (Hộ tịch – Chứng thực), line B (every other field), counters 1 and 2 serving both."""
    from ..models import Field

    fields = {field.name: field.id for field in db.session.scalars(sa.select(Field))}
    civil = [fields[name] for name in ("Hộ tịch", "Chứng thực") if name in fields]
    lines = {"A": ("Hộ tịch – Chứng thực", civil),
             "B": ("Đất đai, xã hội và các lĩnh vực khác", sorted(set(fields.values()) - set(civil)))}
    for letter, (name, field_ids) in lines.items():
        if service_by_letter(agency, letter) is None:
            db.session.add(QueueService(agency_id=agency.id, letter=letter, name=name, field_ids=field_ids))
    for number in (1, 2):
        if counter_by_number(agency, number) is None:
            db.session.add(QueueCounter(agency_id=agency.id, number=number, name="", letters=["A", "B"]))
    db.session.flush()
