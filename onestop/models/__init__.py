"""The tables, re-exported: `from onestop.models import Dossier`."""
from .agency import Agency, AgencyLevel
from .agenda import AgendaEntry
from .audit import PersonalDataView
from .calendar import CalendarOverride
from .dossier import (
    CHANNEL_LABELS, OPEN_STATUSES, STATUS_LABELS, STATUS_NUMBERS, TIMELINESS_LABELS, Channel, Counter,
    Dossier, DossierStatus, Event, Pause, Timeliness,
)
from .kiosk import Kiosk
from .procedure import UNIT_LABELS, Field, Procedure, RouteStep
from .report import ItReport
from .setting import Setting
from .survey import CRITERIA, Comment, Overall, Survey, SurveyChannel
from .transfer import Leg
from .user import ApiToken, LoginSession, Role, User
from ..files.models import DocumentExemption, DossierFile, FileKind  # noqa: E402 (after Dossier and User)
from ..notifications.models import MessageStatus, NotificationConsent, OutboxMessage, StaffReminder  # noqa: E402
from ..queue.models import QueueCounter, QueueService, QueueTicket, TicketStatus  # noqa: E402

__all__ = [
    "AgendaEntry", "Agency", "AgencyLevel", "ApiToken", "CHANNEL_LABELS", "CRITERIA", "CalendarOverride", "Channel",
    "Comment", "Counter", "DocumentExemption", "Dossier", "DossierFile", "DossierStatus", "Event", "Field",
    "FileKind", "ItReport", "Kiosk", "Leg", "LoginSession",
    "MessageStatus", "NotificationConsent", "OPEN_STATUSES", "OutboxMessage",
    "Overall", "Pause", "PersonalDataView", "Procedure", "QueueCounter", "QueueService", "QueueTicket", "Role", "RouteStep", "STATUS_LABELS", "STATUS_NUMBERS",
    "Setting", "StaffReminder", "Survey", "SurveyChannel", "TIMELINESS_LABELS", "TicketStatus", "Timeliness", "UNIT_LABELS", "User",
]
