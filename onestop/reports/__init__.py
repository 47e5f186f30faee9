"""Reports for leaders and the desk: the statistics form, its exports and the IT report."""
from .views import bp  # noqa: F401
from . import chart_views, it, register_views, satisfaction_views  # noqa: E402,F401  (their routes register on bp)
