"""The public lookup page that the receipt's QR code opens on a citizen's phone."""
from .views import bp  # noqa: F401
