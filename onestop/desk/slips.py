"""Printable slips of the workflow (A5), numbered by the dossier's regime (onestop/regimes.py): supplement
(02), refusal (03), apology (04), process control (05 of 2018, 06 of 2025) and the stop notice (05 of 2025)."""
from datetime import datetime

from flask import abort
from flask_login import current_user

from .. import handovers, receipts, transfers
from ..i18n import printed_in_vietnamese
from ..models import Dossier, Event
from .views import bp


def _visible(code: str) -> Dossier:
    dossier = transfers.find_for(current_user, code)
    if dossier is None:
        abort(404)
    return dossier


def _last(dossier: Dossier, action: str) -> Event:
    event = next((event for event in reversed(dossier.events) if event.action == action), None)
    if event is None:
        abort(404)
    return event


@printed_in_vietnamese
def _slip(template: str, dossier: Dossier, kind: str | None = None, **context):
    return receipts.render(f"receipts/{template}.html", dossier, kind or template, with_unit=False, **context)


@bp.get("/dossiers/<code>/supplement")
def supplement_slip(code):
    """Form 02: what the citizen must add or fix, and why."""
    dossier = _visible(code)
    if not dossier.pauses:
        abort(404)
    return _slip("supplement", dossier, pause=dossier.pauses[0], event=_last(dossier, "request_supplement"))


@bp.get("/dossiers/<code>/refusal")
def refusal_slip(code):
    """Form 03: the written reason the dossier is not resolved."""
    dossier = _visible(code)
    return _slip("refusal", dossier, event=_last(dossier, "refuse"))


@bp.get("/dossiers/<code>/apology")
def apology_slip(code):
    """Form 04: the apology and the new appointment, signed by the head of the agency."""
    dossier = _visible(code)
    event = _last(dossier, "apologize")
    return _slip("apology", dossier, event=event, old_promise=datetime.fromisoformat(event.data["old_promised_at"]),
                 new_promise=datetime.fromisoformat(event.data["new_promised_at"]))


@bp.get("/dossiers/<code>/stop-notice")
def stop_notice(code):
    """Form 05 of Circular 03/2025: the agency stops processing the dossier, with the reason (Decree 118 art. 21)."""
    dossier = _visible(code)
    return _slip("stop_notice", dossier, "stop", event=_last(dossier, "stop"))


@bp.get("/dossiers/<code>/control")
def control(code):
    """Form 05: every hand-over with its time and whether the step was early, on time or late."""
    dossier = _visible(code)
    return _slip("control", dossier, rows=handovers.control_rows(dossier),
                 partners=handovers.co_operating_agencies(dossier))
