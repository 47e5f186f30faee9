"""The one place the app reads the time, so tests can pin "now" (DESIGN.md §3)."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """The current instant (aware, UTC), or the instant pinned by the `NOW` setting."""
    pinned = current_app.config.get("NOW") if has_app_context() else None
    if pinned:
        return as_aware(datetime.fromisoformat(pinned) if isinstance(pinned, str) else pinned)
    return datetime.now(UTC)


def as_aware(moment: datetime) -> datetime:
    """A datetime given without an offset means Asia/Ho_Chi_Minh."""
    return moment.replace(tzinfo=VN) if moment.tzinfo is None else moment


def local(moment: datetime) -> datetime:
    """The same instant in Asia/Ho_Chi_Minh, for display and local dates."""
    return as_aware(moment).astimezone(VN)


def today():
    """Today's local date at the desk."""
    return local(now()).date()
