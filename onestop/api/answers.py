"""A dossier as the API answers it (intake, one dossier, a workflow step), written out by hand.

`schemas.DossierSchema` describes this answer in the OpenAPI document; dumping through it cost a twelfth
of an API intake's Python calls (BENCHMARKS.md, "API intake"). tests/test_api_actions.py checks that the
answer equals the schema's dump, for dossiers with and without documents, legs, results and an actor-less event.
"""
from ..models import Dossier
from .fields import moment
from .schemas import document_item


def dossier(found: Dossier) -> dict:
    """DossierSchema's dump of the dossier."""
    return {
        "code": found.code,
        "procedure": {"code": found.procedure.code, "name": found.procedure.name},
        "agency": found.agency.code,
        "applicant": {
            "name": found.applicant_name, "id_number": found.applicant_id_number, "phone": found.applicant_phone,
            "email": found.applicant_email, "address": found.applicant_address,
            "is_organisation": bool(found.applicant_is_organisation),
            "date_of_birth": _day(found.applicant_date_of_birth), "sex": found.applicant_sex,
        },
        "channel": found.channel.value,
        "quantity": found.quantity,
        "status": found.status.value,
        "status_number": found.status_number,
        "status_label": found.status_label,
        "received_at": moment(found.received_at),
        "due_at": moment(found.due_at),
        "promised_at": moment(found.promised_at),
        "completed_at": moment(found.completed_at),
        "returned_at": moment(found.returned_at),
        "timeliness": None if found.timeliness is None else found.timeliness.value,
        "documents": [document_item(each) for each in found.documents],
        "note": found.note,
        "events": [{"at": moment(event.at), "action": event.action,
                    "actor": None if event.actor is None else event.actor.username, "note": event.note}
                   for event in found.events],
        "legs": [{"partner_code": leg.partner.code, "sent_at": moment(leg.sent_at), "due_at": moment(leg.due_at),
                  "returned_at": moment(leg.returned_at)} for leg in found.legs],
    }


def _day(value):
    return None if value is None else value.isoformat()
