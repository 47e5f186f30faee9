"""Administration: catalogue, agencies, users, calendar and settings."""
from . import agencies, audit, calendar, catalogue, kiosks, settings, users  # noqa: F401  (their routes register on bp)
from .views import bp  # noqa: F401
