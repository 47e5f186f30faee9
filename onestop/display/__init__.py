"""The lobby screen: results ready for pickup, today's figures and the leaders' week. Public, GET only."""
from .views import bp  # noqa: F401
