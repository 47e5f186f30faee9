"""Staff page for the leaders' weekly work schedule (lịch công tác tuần) shown on the lobby screen."""
from .views import bp  # noqa: F401
