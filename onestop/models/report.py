"""Reports people write: the yearly IT report's entered sections, kept to pre-fill the next one."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .agency import Agency
from .types import UTCDateTime


class ItReport(db.Model):
    """One issued e-government IT report of an agency (domain.md §8); the computed figures are not stored."""

    __table_args__ = (sa.Index("ix_it_report_agency_created", "agency_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    period_start: Mapped[date] = mapped_column()
    period_end: Mapped[date] = mapped_column()
    number: Mapped[int | None] = mapped_column()
    # The sections people type: equipment rows, staff, policies, portal, … (onestop.itreports.SECTIONS).
    sections: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    agency: Mapped[Agency] = relationship()

    def __repr__(self) -> str:
        return f"<ItReport {self.period_start}–{self.period_end}>"
