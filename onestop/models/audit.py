"""The privacy log: who looked at a dossier's personal data, and when (Decree 13/2023, Law 91/2025)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .agency import Agency
from .dossier import Dossier
from .types import UTCDateTime
from .user import User


class PersonalDataView(db.Model):
    """One staff view of a dossier's applicant details, or one read of a list of them. Never edited.

    A list (the API's dossiers, the register page and file) is one row per request: no dossier, the
    agency whose dossiers were read, the filters as asked and how many dossiers came back.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    dossier_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dossier.id"), index=True)
    via: Mapped[str] = mapped_column(sa.String(16))  # "desk" page, "api", "register"...
    address: Mapped[str] = mapped_column(sa.String(45), default="")  # the viewer's IP address
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"), index=True)  # a list's agency
    filters: Mapped[str] = mapped_column(sa.String(500), default="")  # a list's or a search's query string
    count: Mapped[int | None] = mapped_column()  # how many dossiers a list or a search returned

    user: Mapped[User] = relationship()
    dossier: Mapped[Dossier | None] = relationship()
    agency: Mapped[Agency | None] = relationship()
