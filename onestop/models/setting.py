"""Installation settings, stored as JSON values by key."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Setting(db.Model):
    """One setting of the installation (sessions, place name, signatures, intervals…)."""

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[dict | list | str | int | None] = mapped_column(sa.JSON)
