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
    """An agency with its electronic ID code (domain.md §2), opaque: A–Z, 0–9 and dots, at most 35 characters."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # Decision 20/2020/QĐ-TTg allows up to 35 characters; provinces re-issued codes after the 2025 mergers.
    code: Mapped[str] = mapped_column(sa.String(35), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    # The unit that receives dossiers, printed under the committee's name on 2025-regime forms
    # (a commune: "Trung tâm Phục vụ hành chính công", Decree 118/2025/NĐ-CP); blank: the regime's default.
    receiving_unit: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    level: Mapped[AgencyLevel] = mapped_column(enum_column(AgencyLevel), default=AgencyLevel.COMMUNE)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"))
    external: Mapped[bool] = mapped_column(default=False)
    is_home: Mapped[bool] = mapped_column(default=False)

    parent: Mapped["Agency | None"] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Agency {self.code}>"
