"""Staff accounts, their roles, their signed-in sessions and API tokens."""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash

from .. import clock
from ..extensions import db
from .agency import Agency
from .types import UTCDateTime


class Role(enum.StrEnum):
    CLERK = "clerk"
    OFFICER = "officer"
    LEADER = "leader"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    """A member of staff of one agency, with one or more roles (DESIGN.md §1)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str] = mapped_column(sa.String(200), default="")  # deadline reminders (notifications)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role_names: Mapped[str] = mapped_column(sa.String(64), default="")  # "clerk leader"
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    agency: Mapped[Agency] = relationship()

    @property
    def roles(self) -> set[str]:
        return set(self.role_names.split())

    @roles.setter
    def roles(self, names) -> None:
        self.role_names = " ".join(sorted({str(Role(name)) for name in names}))

    def has_role(self, *names: str) -> bool:
        return bool(self.roles & set(names))

    @property
    def is_active(self) -> bool:
        return self.active

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class ApiToken(db.Model):
    """A bearer token for the API, stored only as its SHA-256 (DESIGN.md §6)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginSession(db.Model):
    """One signed-in browser: its cookie carries a random nonce whose hash is kept here. Logging out deletes
    the row, so a copy of the cookie made before stops working, on every worker and server alike."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    nonce_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    user: Mapped[User] = relationship()
