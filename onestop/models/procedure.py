"""The procedure catalogue (TTHC) and its fields (lĩnh vực)."""
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..deadlines import Deadline
from ..extensions import db
from ..text import fold
from .agency import Agency

UNIT_LABELS = {
    "working_days": "ngày làm việc",
    "working_hours": "giờ làm việc",
    "calendar_days": "ngày",
    "same_day": "trong ngày",
}


class Field(db.Model):
    """A field of procedures, such as Hộ tịch or Chứng thực."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)

    def __repr__(self) -> str:
        return f"<Field {self.name}>"


class Procedure(db.Model):
    """An administrative procedure with its legal processing time (domain.md §6)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(500))
    search_key: Mapped[str] = mapped_column(sa.String(600), index=True)  # folded code + name
    field_id: Mapped[int] = mapped_column(sa.ForeignKey("field.id"), index=True)
    deadline_value: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2), default=0)
    deadline_unit: Mapped[str] = mapped_column(sa.String(16))
    online_level: Mapped[str] = mapped_column(sa.String(16), default="")
    fee: Mapped[str] = mapped_column(sa.Text, default="")
    documents: Mapped[list] = mapped_column(sa.JSON, default=list)
    approval_required: Mapped[bool] = mapped_column(default=True)
    active_from: Mapped[date | None] = mapped_column()
    active_to: Mapped[date | None] = mapped_column()

    field: Mapped[Field] = relationship()
    route: Mapped[list["RouteStep"]] = relationship(
        back_populates="procedure", order_by="RouteStep.position", cascade="all, delete-orphan"
    )

    @validates("code", "name")
    def _refresh_search_key(self, key, value):
        other = self.name if key == "code" else self.code
        self.search_key = fold(f"{value or ''} {other or ''}")
        return value

    @property
    def deadline(self) -> Deadline:
        return Deadline(self.deadline_value or 0, self.deadline_unit)

    @property
    def deadline_label(self) -> str:
        if self.deadline_unit == "same_day" or (self.deadline_unit != "calendar_days" and not self.deadline_value):
            return UNIT_LABELS["same_day"].capitalize()  # 0 working days is a same-day deadline
        value = f"{float(self.deadline_value):g}".replace(".", ",")  # Decimal("3.00") reads "3"
        return f"{value} {UNIT_LABELS[self.deadline_unit]}"

    def __repr__(self) -> str:
        return f"<Procedure {self.code}>"


class RouteStep(db.Model):
    """A partner agency on the procedure's inter-agency route, with its share of the time."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(sa.ForeignKey("procedure.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    share_value: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2), default=0)

    procedure: Mapped[Procedure] = relationship(back_populates="route")
    agency: Mapped[Agency] = relationship()
