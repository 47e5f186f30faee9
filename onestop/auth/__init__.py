"""Staff login and logout."""
from .views import bp  # noqa: F401
