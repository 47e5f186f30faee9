"""The leaders' weekly work schedule (lịch công tác tuần) that the lobby screen shows."""
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .agency import Agency
from .types import UTCDateTime
from .user import User


class AgendaEntry(db.Model):
    """One item of an agency's weekly schedule: when, what, who presides and where."""

    __table_args__ = (sa.Index("ix_agenda_entry_agency_day", "agency_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    held_on: Mapped[date] = mapped_column()
    start_time: Mapped[time | None] = mapped_column()  # None: the whole day
    content: Mapped[str] = mapped_column(sa.String(500))
    presiding: Mapped[str] = mapped_column(sa.String(200))
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    agency: Mapped[Agency] = relationship()
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AgendaEntry {self.held_on} {self.start_time} {self.content[:20]!r}>"
