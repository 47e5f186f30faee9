"""Dossiers, their append-only events, supplement pauses and number counters."""
import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .. import clock
from ..extensions import db
from ..text import N_
from .agency import Agency
from .procedure import Procedure
from .types import UTCDateTime, enum_column
from .user import User


class DossierStatus(enum.StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    AT_PARTNER = "at_partner"
    AWAITING_APPROVAL = "awaiting_approval"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"  # the agency stops processing where the law requires it (Decree 118/2025/NĐ-CP art. 21)


OPEN_STATUSES = (
    DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.AWAITING_SUPPLEMENT,
    DossierStatus.AT_PARTNER, DossierStatus.AWAITING_APPROVAL,
)
STATUS_LABELS = {
    DossierStatus.RECEIVED: N_("Đã tiếp nhận"),
    DossierStatus.PROCESSING: N_("Đang xử lý"),
    DossierStatus.AWAITING_SUPPLEMENT: N_("Chờ bổ sung"),
    DossierStatus.AT_PARTNER: N_("Đang liên thông"),
    DossierStatus.AWAITING_APPROVAL: N_("Chờ phê duyệt"),
    DossierStatus.RESULT_READY: N_("Đã có kết quả, chờ trả"),
    DossierStatus.RETURNED: N_("Đã trả kết quả"),
    DossierStatus.REFUSED: N_("Từ chối giải quyết"),
    DossierStatus.WITHDRAWN: N_("Công dân rút hồ sơ"),
    DossierStatus.STOPPED: N_("Dừng giải quyết"),
}
# National portal status numbers (domain.md §2).
STATUS_NUMBERS = {
    DossierStatus.RECEIVED: 2, DossierStatus.PROCESSING: 4, DossierStatus.AWAITING_SUPPLEMENT: 5,
    DossierStatus.AT_PARTNER: 4, DossierStatus.AWAITING_APPROVAL: 4, DossierStatus.RESULT_READY: 9,
    DossierStatus.RETURNED: 10, DossierStatus.REFUSED: 8, DossierStatus.WITHDRAWN: 7, DossierStatus.STOPPED: 8,
}


class Channel(enum.StrEnum):
    DIRECT = "direct"
    ONLINE = "online"
    POSTAL = "postal"


CHANNEL_LABELS = {Channel.DIRECT: N_("Trực tiếp"), Channel.ONLINE: N_("Trực tuyến"),
                  Channel.POSTAL: N_("Bưu chính")}


class Timeliness(enum.StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


TIMELINESS_LABELS = {Timeliness.EARLY: N_("Trước hạn"), Timeliness.ON_TIME: N_("Đúng hạn"),
                     Timeliness.LATE: N_("Quá hạn")}


class Dossier(db.Model):
    """One administrative-procedure dossier received at the desk."""

    __table_args__ = (
        # Covers the statistics query: a year of a province is read from the index alone (DESIGN.md §11).
        sa.Index("ix_dossier_stats", "agency_id", "received_on", "completed_on", "due_on", "channel", "procedure_id"),
        # Also counts the results issued in a period from the index alone (files/figures.py, the IT report).
        sa.Index("ix_dossier_agency_status", "agency_id", "status", "completed_on"),
        # The sender's staff reminders (notifications/reminders.py): the open dossiers due within a few hours, and
        # the overdue ones, read as a few short ranges instead of the whole table on every cycle.
        sa.Index("ix_dossier_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # `<agency e-ID ≤ 35>-<yyMMdd>-<number, 4 digits or more>` (DESIGN.md §3).
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    procedure_id: Mapped[int] = mapped_column(sa.ForeignKey("procedure.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    holder_agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    holder_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    applicant_name: Mapped[str] = mapped_column(sa.String(200))
    applicant_is_organisation: Mapped[bool] = mapped_column(default=False)
    # Searched by any part of the text (dossiers.search): a B-tree index cannot serve LIKE '%…%', so
    # these have none; the agency's index narrows the rows, and an index here would only slow intake.
    applicant_id_number: Mapped[str] = mapped_column(sa.String(20), default="")
    applicant_phone: Mapped[str] = mapped_column(sa.String(20), default="")
    applicant_email: Mapped[str] = mapped_column(sa.String(200), default="")
    applicant_address: Mapped[str] = mapped_column(sa.String(500), default="")
    # From the ID card's QR or typed (domain.md §9); optional.
    applicant_date_of_birth: Mapped[date | None] = mapped_column()
    applicant_sex: Mapped[str] = mapped_column(sa.String(8), default="")  # "male", "female" or ""
    search_name: Mapped[str] = mapped_column(sa.String(200), default="")

    channel: Mapped[Channel] = mapped_column(enum_column(Channel), default=Channel.DIRECT)
    quantity: Mapped[int] = mapped_column(default=1)
    documents: Mapped[list] = mapped_column(sa.JSON, default=list)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    result_delivery: Mapped[str] = mapped_column(sa.String(16), default="desk")  # desk | post | online

    deadline_value: Mapped[float] = mapped_column(sa.Numeric(8, 2), default=0)  # as at intake
    deadline_unit: Mapped[str] = mapped_column(sa.String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    promised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_to: Mapped[str] = mapped_column(sa.String(200), default="")
    # When `flask privacy purge` blanked the applicant's details (retention.py); None while they are kept.
    personal_data_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Local dates the statistics compare, kept as indexed columns (DESIGN.md §11).
    received_on: Mapped[date] = mapped_column(index=True)
    due_on: Mapped[date] = mapped_column()
    completed_on: Mapped[date | None] = mapped_column()

    status: Mapped[DossierStatus] = mapped_column(enum_column(DossierStatus), default=DossierStatus.RECEIVED)
    timeliness: Mapped[Timeliness | None] = mapped_column(enum_column(Timeliness))
    book_number: Mapped[str] = mapped_column(sa.String(16), default="")
    # The intake form's one-time token: the form submitted again (browser Back) finds this dossier.
    intake_token: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    ledger_number: Mapped[int] = mapped_column(default=0)

    procedure: Mapped[Procedure] = relationship()
    agency: Mapped[Agency] = relationship(foreign_keys=[agency_id])
    holder_agency: Mapped[Agency] = relationship(foreign_keys=[holder_agency_id])
    holder_user: Mapped[User | None] = relationship(foreign_keys=[holder_user_id])
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])
    events: Mapped[list["Event"]] = relationship(back_populates="dossier", order_by="Event.id")
    pauses: Mapped[list["Pause"]] = relationship(back_populates="dossier", order_by="Pause.started_at")

    @validates("received_at", "due_at", "completed_at")
    def _keep_local_date(self, key, value):
        local_day = clock.local(value).date() if value is not None else None
        setattr(self, key.replace("_at", "_on"), local_day)
        return value

    @validates("applicant_name")
    def _keep_search_name(self, key, value):
        from ..text import fold

        self.search_name = fold(value)[:200]
        return value

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.status == DossierStatus.AWAITING_SUPPLEMENT

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_number(self) -> int:
        return STATUS_NUMBERS[self.status]

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open and not self.is_paused and now > self.due_at

    def __repr__(self) -> str:
        return f"<Dossier {self.code} {self.status}>"


class Event(db.Model):
    """One line of a dossier's history; hand-overs are the rows of Form 05. Never edited."""

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossier.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    action: Mapped[str] = mapped_column(sa.String(32))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    from_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    to_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    from_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"))
    to_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"))
    from_status: Mapped[str] = mapped_column(sa.String(32), default="")
    to_status: Mapped[str] = mapped_column(sa.String(32), default="")
    step_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timeliness: Mapped[Timeliness | None] = mapped_column(enum_column(Timeliness))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    public_note: Mapped[str] = mapped_column(sa.Text, default="")  # safe for the citizen's lookup
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    dossier: Mapped[Dossier] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    from_user: Mapped[User | None] = relationship(foreign_keys=[from_user_id])
    to_user: Mapped[User | None] = relationship(foreign_keys=[to_user_id])
    from_agency: Mapped[Agency | None] = relationship(foreign_keys=[from_agency_id])
    to_agency: Mapped[Agency | None] = relationship(foreign_keys=[to_agency_id])

    def __repr__(self) -> str:
        return f"<Event {self.action} {self.at:%Y-%m-%d %H:%M}>"


class Pause(db.Model):
    """A supplement request: the working time from start to end is not counted (domain.md §3)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossier.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    items: Mapped[list] = mapped_column(sa.JSON, default=list)

    dossier: Mapped[Dossier] = relationship(back_populates="pauses")


class Counter(db.Model):
    """A number series of an agency: dossier codes per local day ("code:2026-11-26"), ledger per year."""

    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)
