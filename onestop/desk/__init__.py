"""Reception desk: intake, the scan box, dossier pages, printables and returning results."""
from .views import bp  # noqa: F401
from . import actions, inbox, slips  # noqa: E402,F401  (their routes register on bp)
