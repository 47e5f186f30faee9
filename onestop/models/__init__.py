"""The tables, re-exported: `from onestop.models import Dossier`."""
from .agency import Agency, AgencyLevel
from .agenda import AgendaEntry
from .calendar import CalendarOverride
from .dossier import (
    CHANNEL_LABELS, OPEN_STATUSES, STATUS_LABELS, STATUS_NUMBERS, TIMELINESS_LABELS, Channel, Counter,
    Dossier, DossierStatus, Event, Pause, Timeliness,
)
from .procedure import UNIT_LABELS, Field, Procedure, RouteStep
from .setting import Setting
from .transfer import Leg
from .user import ApiToken, Role, User

__all__ = [
    "AgendaEntry", "Agency", "AgencyLevel", "ApiToken", "CHANNEL_LABELS", "CalendarOverride", "Channel",
    "Counter", "Dossier", "DossierStatus", "Event", "Field", "Leg", "OPEN_STATUSES", "Pause",
    "Procedure", "Role", "RouteStep", "STATUS_LABELS", "STATUS_NUMBERS", "Setting", 
    "TIMELINESS_LABELS", "Timeliness", "UNIT_LABELS", "User",
]
