"""Tables of the notifications: the citizen's consent, the outbox and the staff reminders."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from ..models.dossier import Dossier
from ..models.types import UTCDateTime, enum_column
from ..models.user import User


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"
    ZALO = "zalo"


class MessageStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by one sender; back to pending if that sender died (claimed_until)
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"  # the citizen withdrew consent before it went out


class NotificationConsent(db.Model):
    """The channels the citizen agreed to at intake; withdrawn from the lookup page with the receipt's token."""

    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossier.id"), primary_key=True)
    channels: Mapped[list] = mapped_column(sa.JSON, default=list)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    dossier: Mapped[Dossier] = relationship()

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None and bool(self.channels)


class OutboxMessage(db.Model):
    """One message waiting to go out, written in the same transaction as the step that caused it."""

    __table_args__ = (sa.Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dossier.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))  # a staff reminder's addressee
    kind: Mapped[str] = mapped_column(sa.String(32))  # received, supplement, … , due_soon, overdue
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    recipient: Mapped[str] = mapped_column(sa.String(200))
    subject: Mapped[str] = mapped_column(sa.String(300), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str] = mapped_column(sa.Text, default="")
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # Zalo ZNS template parameters
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus), default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    claimed_by: Mapped[str] = mapped_column(sa.String(64), default="")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str] = mapped_column(sa.Text, default="")  # the provider's last answer, for the admins

    dossier: Mapped[Dossier | None] = relationship()
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.kind} {self.channel} {self.status}>"


class StaffReminder(db.Model):
    """A mark in a person's inbox: a step of theirs falls due soon, or (for leaders) a dossier is overdue.

    One per person, dossier, kind and deadline: the same step never reminds twice.
    """

    __table_args__ = (sa.UniqueConstraint("dossier_id", "user_id", "kind", "due_at", name="uq_staff_reminder_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossier.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # due_soon | overdue
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    dossier: Mapped[Dossier] = relationship()
    user: Mapped[User] = relationship()
