"""Inter-agency legs (liên thông): a dossier sent to a partner agency and back."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from .agency import Agency
from .dossier import Dossier
from .types import UTCDateTime
from .user import User


class Leg(db.Model):
    """One trip of a dossier to a partner agency, timed against its own share of the deadline."""

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossier.id"), index=True)
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    share_value: Mapped[float] = mapped_column(sa.Numeric(8, 2), default=0)
    share_unit: Mapped[str] = mapped_column(sa.String(16), default="working_days")
    note: Mapped[str] = mapped_column(sa.Text, default="")

    dossier: Mapped[Dossier] = relationship(backref=backref("legs", order_by="Leg.id"))  # in the order sent
    partner: Mapped[Agency] = relationship()
    sent_by: Mapped[User | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.returned_at is None
