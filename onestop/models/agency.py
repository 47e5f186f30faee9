"""Agencies: the commune committee, its partners and parents."""
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import enum_column


class AgencyLevel(enum.StrEnum):
    COMMUNE = "commune"
    DISTRICT = "district"
    PROVINCE = "province"
    DEPARTMENT = "department"


class Agency(db.Model):
    """An agency with its electronic ID code (QCVN 102:2016, domain.md §2)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(13), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    level: Mapped[AgencyLevel] = mapped_column(enum_column(AgencyLevel), default=AgencyLevel.COMMUNE)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"))
    external: Mapped[bool] = mapped_column(default=False)
    is_home: Mapped[bool] = mapped_column(default=False)

    parent: Mapped["Agency | None"] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Agency {self.code}>"
