"""What citizens tell us: the satisfaction survey of a dossier, and general comments."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .agency import Agency
from .dossier import Dossier
from .kiosk import Kiosk  # noqa: F401 (the table kiosk_id refers to)
from .types import UTCDateTime, enum_column


class Overall(enum.StrEnum):
    """The kiosk's three-level question (domain.md §4, criterion 9)."""

    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    UNSATISFIED = "unsatisfied"


class SurveyChannel(enum.StrEnum):
    KIOSK = "kiosk"
    WEB = "web"
    DESK = "desk"


# The criteria of Circular 01/2018 a citizen can answer, each scored 0/1/2 (domain.md §4: 6, 7, 8).
CRITERIA = ("publicity", "attitude", "feedback")


class Survey(db.Model):
    """One citizen's satisfaction answers about one dossier; at most one per dossier (DESIGN.md §2)."""

    __table_args__ = (sa.UniqueConstraint("dossier_id", name="uq_survey_dossier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossier.id"))
    overall: Mapped[Overall] = mapped_column(enum_column(Overall))
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {"publicity": 0-2, "attitude": …, "feedback": …}
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    channel: Mapped[SurveyChannel] = mapped_column(enum_column(SurveyChannel), default=SurveyChannel.KIOSK)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # The enrolled kiosk that took it (issue 16); None on the phone page, the desk or a kiosk screen
    # opened elsewhere with the receipt's token.
    kiosk_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kiosk.id"))

    dossier: Mapped[Dossier] = relationship()

    def __repr__(self) -> str:
        return f"<Survey {self.overall} via {self.channel}>"


class Comment(db.Model):
    """A general comment left at the kiosk, not about any one dossier."""

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    contact: Mapped[str] = mapped_column(sa.String(200), default="")  # optional: how to answer them
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    agency: Mapped[Agency] = relationship()

    def __repr__(self) -> str:
        return f"<Comment {self.created_at:%Y-%m-%d %H:%M}>"
