"""Administration: catalogue, users, calendar and settings."""
from . import audit, calendar, settings  # noqa: F401  (their routes register on bp)
from .views import bp  # noqa: F401
