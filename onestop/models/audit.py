"""The privacy log: who looked at a dossier's personal data, and when (Decree 13/2023)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .dossier import Dossier
from .types import UTCDateTime
from .user import User


class PersonalDataView(db.Model):
    """One staff view of a dossier's applicant details, on a page or through the API. Never edited."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossier.id"), index=True)
    via: Mapped[str] = mapped_column(sa.String(16))  # "desk" page or "api"
    address: Mapped[str] = mapped_column(sa.String(45), default="")  # the viewer's IP address

    user: Mapped[User] = relationship()
    dossier: Mapped[Dossier] = relationship()
