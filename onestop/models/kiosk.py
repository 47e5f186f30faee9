"""Kiosks an administrator enrolled: only these show a typed code's details and take surveys without a token."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .agency import Agency
from .types import UTCDateTime
from .user import User


class Kiosk(db.Model):
    """One lobby screen of an agency, known by the signed cookie its enrolment link set (issue 16)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    # SHA-256 of the one-time enrolment key, emptied when the link is opened: the key itself is never kept.
    enrol_key_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Changes at each enrolment, so a cookie of an earlier enrolment of the same record stops working.
    cookie_nonce: Mapped[str] = mapped_column(sa.String(32), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agency: Mapped[Agency] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def active(self) -> bool:
        return self.enrolled_at is not None and self.revoked_at is None

    def __repr__(self) -> str:
        return f"<Kiosk {self.name!r} of {self.agency_id}>"
