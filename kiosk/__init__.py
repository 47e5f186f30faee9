"""Touch kiosk for citizens: anonymous; reads dossiers and the catalogue, writes only surveys and comments."""
from .views import bp  # noqa: F401
