"""The queue in the JSON API: other ticket machines take numbers, desk software calls them (DESIGN.md §6)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from .. import board, clock
from ..api import auth
from ..api.errors import ApiError
from ..api.fields import InputSchema, LocalDateTime, messages
from ..api.views import bp
from ..errors import WorkflowError
from ..extensions import db
from . import tickets
from .views import ticket_limit


class TicketInput(InputSchema):
    service = fields.String(required=True, error_messages=messages(_l("dịch vụ (service)")),
                            metadata={"description": "The service's letter, e.g. A"})


class TicketSchema(Schema):
    number = fields.String(metadata={"description": "e.g. A015; numbers restart at the agency's local midnight"})
    service = fields.String(metadata={"description": "The service's letter"})
    issued_at = LocalDateTime()
    ahead = fields.Integer(metadata={"description": "Tickets of the same service waiting before this one"})


class CallInput(InputSchema):
    counter = fields.Integer(strict=True, required=True, error_messages=messages(_l("số quầy (counter)")),
                             validate=validate.Range(1, 99, error=_l("Số quầy từ 1 đến 99.")))


class CallSchema(Schema):
    number = fields.String()
    service = fields.String()
    counter = fields.Integer()
    called_at = LocalDateTime()


@bp.post("/public/queue/<agency_code>/tickets")
@ticket_limit
@bp.doc(security=[])
@bp.arguments(TicketInput)
@bp.response(201, TicketSchema)
@bp.alt_response(404, response="NOT_FOUND")
def public_queue_ticket(data, agency_code):
    """Take a queue number for a service of the agency, as the kiosk's button does."""
    agency = board.find_agency(agency_code)
    if agency is None:
        raise ApiError(404, _("Không tìm thấy cơ quan “%(code)s”.", code=agency_code[:40]))
    service = tickets.service_by_letter(agency, data["service"])
    if service is None:
        raise ApiError(404, _("Không có dịch vụ “%(letter)s”.", letter=data["service"][:4]))
    ticket = tickets.take(service, clock.now())
    db.session.commit()
    return {"number": ticket.number, "service": service.letter, "issued_at": ticket.issued_at,
            "ahead": tickets.ahead(ticket)}, 201


@bp.post("/queue/call")
@auth.allow("clerk", "officer", "leader")
@bp.arguments(CallInput)
@bp.response(200, CallSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def queue_call(data):
    """Call the oldest waiting ticket of the counter's services; 409 when nobody waits."""
    user = auth.current()
    counter = tickets.counter_by_number(user.agency, data["counter"])
    if counter is None:
        raise ApiError(404, _("Không có quầy số %(number)s.", number=data["counter"]))
    try:
        ticket = tickets.call_next(counter, clock.now())
    except WorkflowError as error:
        db.session.rollback()
        raise ApiError(409, str(error)) from error
    db.session.commit()
    return {"number": ticket.number, "service": ticket.service.letter, "counter": counter.number,
            "called_at": ticket.called_at}
