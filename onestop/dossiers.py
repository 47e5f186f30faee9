"""Dossier intake at the desk, finding dossiers again, and handing results back.

Functions change objects in db.session and never commit: the caller commits once,
so a refused or failed step leaves nothing half-written.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from . import codes, counters, deadlines, history, inserts
from .clock import local
from .errors import WorkflowError
from .extensions import db
from .models import OPEN_STATUSES, Agency, Channel, Dossier, DossierStatus, Event, Leg, Procedure, User
from .text import fold


@dataclass
class Applicant:
    """Who brings the dossier: a person or an organisation."""

    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    is_organisation: bool = False
    date_of_birth: date | None = None
    sex: str = ""  # "male", "female" or ""


@dataclass
class Intake:
    """What the clerk fills in besides the applicant."""

    channel: Channel = Channel.DIRECT
    quantity: int = 1
    documents: list = field(default_factory=list)
    note: str = ""
    result_delivery: str = "desk"
    token: str | None = None  # the intake form's one-time token


def receive(procedure: Procedure, applicant: Applicant, intake: Intake, *, agency: Agency,
            clerk: User | None, now: datetime, calendar: deadlines.Calendar) -> Dossier:
    """Register a dossier at the desk: its code, its ledger number and its appointment."""
    if not applicant.name.strip():
        raise WorkflowError("Cần nhập họ tên người nộp hồ sơ.", field="applicant_name")
    day = local(now).date()
    due = deadlines.due_at(now, procedure.deadline, calendar)
    number, ledger_number = counters.next_numbers(agency.id, f"code:{day}", f"ledger:{day.year}")
    dossier = Dossier(
        code=codes.format_dossier_code(agency.code, day, number),
        procedure=procedure, agency=agency, holder_agency=agency, holder_user=clerk, received_by=clerk,
        applicant_name=applicant.name.strip(), applicant_id_number=applicant.id_number.strip(),
        applicant_phone=applicant.phone.strip(), applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip(), applicant_is_organisation=applicant.is_organisation,
        applicant_date_of_birth=applicant.date_of_birth, applicant_sex=applicant.sex, intake_token=intake.token,
        channel=intake.channel, quantity=intake.quantity, documents=list(intake.documents),
        note=intake.note.strip(), result_delivery=intake.result_delivery,
        deadline_value=procedure.deadline_value, deadline_unit=procedure.deadline_unit,
        received_at=now, due_at=due, promised_at=due, status=DossierStatus.RECEIVED,
        book_number=str(day.year), ledger_number=ledger_number,
    )
    event = history.new_event(dossier, "receive", now, actor=clerk, to_user=clerk, to_agency=agency,
                              to_status=DossierStatus.RECEIVED, step_due_at=due, public_note="Đã tiếp nhận hồ sơ")
    # A register import may already hold the day's next code: the INSERT then does nothing and the next
    # number is tried. The counter row stays locked by next_numbers until commit, so no other intake of this
    # agency and day runs in between, and the import advances the same row before it inserts.
    while not inserts.insert_new(dossier, event, unique=("code",)):
        dossier.code = codes.format_dossier_code(agency.code, day, counters.next_number(agency.id, f"code:{day}"))
    history.recorded(event)
    return dossier


def deadline_of(dossier: Dossier) -> deadlines.Deadline:
    """The processing time in force when the dossier was received."""
    return deadlines.Deadline(dossier.deadline_value, dossier.deadline_unit)


def computed_due(dossier: Dossier, calendar: deadlines.Calendar) -> datetime | None:
    """The legal deadline from received_at, the pauses and the calendar (None while paused)."""
    pauses = [(pause.started_at, pause.ended_at) for pause in dossier.pauses]
    return deadlines.due_at(dossier.received_at, deadline_of(dossier), calendar, pauses)


def time_left(dossier: Dossier, now: datetime, calendar: deadlines.Calendar) -> timedelta | None:
    """Working time left before the deadline; None when done or paused."""
    if not dossier.is_open or dossier.is_paused:
        return None
    return deadlines.working_time_left(now, dossier.due_at, calendar)


# What the dossier page shows, in one query: a dossier has a handful of events and seldom more than
# a pause or a leg, so the joined rows stay few, and one query costs less than four (BENCHMARKS.md).
# Agencies and staff other than the actors come from the session's identity map.
WITH_HISTORY = (
    orm.joinedload(Dossier.procedure),
    orm.joinedload(Dossier.events).joinedload(Event.actor), orm.joinedload(Dossier.pauses),
    orm.joinedload(Dossier.legs).joinedload(Leg.partner),
)


def find_by_code(text: str, agency: Agency | None = None, *, history: bool = False) -> Dossier | None:
    """The dossier whose code was scanned or typed (of one agency when given), with its history if asked."""
    code = codes.parse_dossier_code(text or "")
    if code is None:
        return None
    query = sa.select(Dossier).where(Dossier.code == code).options(*(WITH_HISTORY if history else ()))
    if agency is not None:
        query = query.where(Dossier.agency_id == agency.id)
    # unique(): the joined collections repeat the dossier's row, and every row must be read.
    return db.session.execute(query).unique().scalar_one_or_none()


def search(agency: Agency, text: str, limit: int = 50) -> list[Dossier]:
    """Dossiers of the agency by code, applicant name (accents optional), phone or ID number."""
    text = (text or "").strip()
    if not text:
        return []
    folded, digits = fold(text), "".join(ch for ch in text if ch.isdigit())
    # autoescape: a typed % or _ is that character, not a LIKE wildcard matching every dossier.
    conditions = [Dossier.code.contains(text.upper(), autoescape=True),
                  Dossier.search_name.contains(folded, autoescape=True)]
    if len(digits) >= 4:
        conditions += [Dossier.applicant_phone.contains(digits), Dossier.applicant_id_number.contains(digits)]
    query = (sa.select(Dossier).where(Dossier.agency_id == agency.id, sa.or_(*conditions))
             .order_by(Dossier.received_at.desc()).limit(limit))
    return list(db.session.scalars(query))


def by_id_number(agency: Agency, id_number: str, limit: int = 20) -> list[Dossier]:
    """The agency's earlier dossiers of the person with this ID number, newest first."""
    if not id_number:
        return []
    query = (sa.select(Dossier).where(Dossier.agency_id == agency.id, Dossier.applicant_id_number == id_number)
             .options(orm.joinedload(Dossier.procedure)).order_by(Dossier.received_at.desc()).limit(limit))
    return list(db.session.scalars(query))


def by_intake_token(token: str | None) -> Dossier | None:
    """The dossier an intake form with this one-time token already saved, if any."""
    if not token:
        return None
    return db.session.scalar(sa.select(Dossier).where(Dossier.intake_token == token))


def received_on(agency: Agency, day) -> list[Dossier]:
    """The day's intake, newest first."""
    query = sa.select(Dossier).where(Dossier.agency_id == agency.id, Dossier.received_on == day)
    return list(db.session.scalars(query.order_by(Dossier.received_at.desc())))


def _open(agency: Agency):
    return sa.select(Dossier).where(
        Dossier.agency_id == agency.id, Dossier.status.in_(OPEN_STATUSES),
        Dossier.status != DossierStatus.AWAITING_SUPPLEMENT,
    )


def due_on(agency: Agency, day, now: datetime) -> list[Dossier]:
    """Open dossiers whose deadline falls on the day and has not passed yet."""
    query = _open(agency).where(Dossier.due_on == day, Dossier.due_at >= now)
    return list(db.session.scalars(query.order_by(Dossier.due_at)))


def overdue(agency: Agency, now: datetime) -> list[Dossier]:
    """Open dossiers past their deadline, the most late first."""
    return list(db.session.scalars(_open(agency).where(Dossier.due_at < now).order_by(Dossier.due_at)))


def ready_for_pickup(agency: Agency) -> list[Dossier]:
    """Results waiting at the desk for the citizen."""
    query = sa.select(Dossier).where(Dossier.agency_id == agency.id, Dossier.status == DossierStatus.RESULT_READY)
    return list(db.session.scalars(query.order_by(Dossier.completed_at)))
