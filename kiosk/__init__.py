"""Touch kiosk for citizens: anonymous; reads dossiers, writes only survey answers."""
from .views import bp  # noqa: F401
