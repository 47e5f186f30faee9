"""Tables of the queue: services (a letter and the procedure fields it covers), counters and tickets."""
import enum
import secrets
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from ..models.agency import Agency
from ..models.dossier import Dossier
from ..models.types import UTCDateTime, enum_column


class QueueService(db.Model):
    """A line of the lobby, e.g. A – Hộ tịch – Chứng thực; its tickets are A001, A002 … each day."""

    __table_args__ = (sa.UniqueConstraint("agency_id", "letter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    letter: Mapped[str] = mapped_column(sa.String(1))
    name: Mapped[str] = mapped_column(sa.String(200))
    field_ids: Mapped[list] = mapped_column(sa.JSON, default=list)  # the procedure fields it covers

    agency: Mapped[Agency] = relationship()


class QueueCounter(db.Model):
    """A desk of the agency (quầy số 1, 2 …) and the letters of the services it calls."""

    __table_args__ = (sa.UniqueConstraint("agency_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    number: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    letters: Mapped[list] = mapped_column(sa.JSON, default=list)

    agency: Mapped[Agency] = relationship()


class TicketStatus(enum.StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    NO_SHOW = "no_show"
    SERVED = "served"  # the intake form was saved after it: dossier_id is set


class QueueTicket(db.Model):
    """One number taken at the kiosk; all its moments are kept, so a restart loses nothing."""

    __table_args__ = (sa.UniqueConstraint("agency_id", "day", "number"),
                      sa.Index("ix_queue_ticket_waiting", "agency_id", "day", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("queue_service.id"), index=True)
    day: Mapped[date] = mapped_column()  # the agency's local day: numbers restart at its midnight
    number: Mapped[str] = mapped_column(sa.String(8))  # A015
    token: Mapped[str] = mapped_column(sa.String(32), unique=True, default=lambda: secrets.token_urlsafe(12))
    status: Mapped[TicketStatus] = mapped_column(enum_column(TicketStatus), default=TicketStatus.WAITING)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    counter_number: Mapped[int | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # next call at that counter, or intake saved
    dossier_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dossier.id"), index=True)

    service: Mapped[QueueService] = relationship()
    dossier: Mapped[Dossier | None] = relationship()
