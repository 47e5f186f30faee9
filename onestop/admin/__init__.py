"""Administration: catalogue, users, calendar and settings."""
from .views import bp  # noqa: F401
