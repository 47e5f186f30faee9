"""Column types shared by the models."""
from datetime import UTC, datetime

import sqlalchemy as sa

from ..clock import as_aware


class UTCDateTime(sa.TypeDecorator):
    """An aware datetime stored in UTC on SQLite and PostgreSQL alike (DESIGN.md §3)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        moment = as_aware(value).astimezone(UTC)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_column(enum_class):
    """A StrEnum stored as VARCHAR, so a new member needs no ALTER TYPE (style.md 3.3.4)."""
    return sa.Enum(enum_class, native_enum=False, length=32, validate_strings=True)
