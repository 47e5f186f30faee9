"""Reception desk: intake, the scan box, dossier pages, printables and returning results."""
from .views import bp  # noqa: F401
