"""API v1 endpoints (DESIGN.md §6): the catalogue, agencies and the dossiers of the caller's agency."""
import sqlalchemy as sa
from flask import jsonify, url_for
from flask_babel import gettext as _
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from .. import audit, calendars, catalogue, clock, codes, deadlines, dossiers
from ..extensions import db
from ..models import OPEN_STATUSES, Agency, Dossier, DossierStatus, Event, Leg, Procedure
from ..notifications import outbox
from . import answers, auth, errors
from .errors import ApiError
from .schemas import (
    AgencyPage, AppointmentQuery, AppointmentSchema, DossierInput, DossierPage, DossierQuery, DossierSchema,
    PageQuery, ProcedurePage, ProcedureQuery, ProcedureSchema,
)

# Every @bp.arguments here and in the other API modules gets a schema instance: given a class, webargs builds
# a new schema, nested ones and copied fields included, on every request (a fifteenth of an intake's calls).
bp = Blueprint("api", __name__, url_prefix="/api/v1", description="onestop API v1")
errors.init_blueprint(bp)
auth.init_blueprint(bp)

PAGE_SIZE = 50
READERS = ("clerk", "officer", "leader")


@bp.get("/agencies")
@auth.allow(*auth.STAFF)
@bp.arguments(PageQuery(), location="query")
@bp.response(200, AgencyPage)
def agencies(query):
    """Every agency of the installation, with its parent."""
    select = sa.select(Agency).options(selectinload(Agency.parent)).order_by(Agency.code)
    return _page(select, query["page"])


@bp.get("/procedures")
@auth.allow(*auth.STAFF)
@bp.arguments(ProcedureQuery(), location="query")
@bp.response(200, ProcedurePage)
def procedures(query):
    """Procedures whose code or name contains the words typed (accents and case optional)."""
    return _page(catalogue.search_query(query["q"]).options(selectinload(Procedure.field)), query["page"])


@bp.get("/procedures/<code>")
@auth.allow(*auth.STAFF)
@bp.response(200, ProcedureSchema)
@bp.alt_response(404, response="NOT_FOUND")
def procedure(code):
    """One procedure: deadline, fee, documents to bring and inter-agency route."""
    return _procedure_or_404(code)


@bp.get("/procedures/<code>/appointment")
@auth.allow(*auth.STAFF)
@bp.arguments(AppointmentQuery(), location="query")
@bp.response(200, AppointmentSchema)
@bp.alt_response(404, response="NOT_FOUND")
def appointment(query, code):
    """The appointment a dossier of this procedure would get if received at `received_at` (default: now)."""
    found = _procedure_or_404(code)
    received_at = query.get("received_at") or clock.now()
    return {"received_at": received_at, "due_at": deadlines.due_at(received_at, found.deadline, calendars.current())}


@bp.post("/dossiers")
@auth.allow("clerk")
@bp.arguments(DossierInput())
@bp.response(201, DossierSchema)
@bp.alt_response(409, response="CONFLICT")
def receive(data):
    """Receive a dossier at the desk of the caller's agency; answers the new dossier with its code."""
    clerk = auth.current()
    dossier = dossiers.receive(data["procedure"], data["applicant"], data["intake"], agency=clerk.agency,
                               clerk=clerk, now=clock.now(), calendar=data["calendar"])
    outbox.record_consent(dossier, data["notify"], now=dossier.received_at)
    session = db.session()
    session.expire_on_commit = False  # answer with the dossier as saved, not loaded again query by query
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    return jsonify(answers.dossier(dossier)), 201, {"Location": url_for("api.dossier", code=dossier.code)}


@bp.get("/dossiers", endpoint="dossiers")
@auth.allow(*READERS)
@bp.arguments(DossierQuery(), location="query")
@bp.response(200, DossierPage)
def list_dossiers(query):
    """The agency's dossiers, newest first, 50 a page; filter by status, overdue and day of receipt."""
    page = _page(_dossier_filter(query), query["page"])
    audit.note_list(auth.current().agency, len(page["items"]))  # the privacy log: one row for the page
    return page


@bp.get("/dossiers/<code>")
@auth.allow(*READERS)
@bp.response(200, DossierSchema)
@bp.alt_response(404, response="NOT_FOUND")
def dossier(code):
    """One dossier of the caller's agency, with its history and inter-agency legs."""
    return jsonify(answers.dossier(_dossier_or_404(code)))


def _page(select, page: int) -> dict:
    result = db.paginate(select, page=page, per_page=PAGE_SIZE, error_out=False)
    return {"items": result.items, "page": page, "pages": result.pages, "total": result.total}


def _procedure_or_404(code: str) -> Procedure:
    found = catalogue.find(code)
    if found is None:
        raise ApiError(404, _("Không tìm thấy thủ tục có mã “%(code)s”.", code=code[:40]))
    return found


def _dossier_or_404(code: str) -> Dossier:
    select = (sa.select(Dossier)
              .where(Dossier.code == (codes.parse_dossier_code(code) or code),
                     Dossier.agency_id == auth.current().agency_id)  # another agency's dossier is not there
              .options(selectinload(Dossier.procedure), selectinload(Dossier.agency),
                       selectinload(Dossier.events).selectinload(Event.actor),
                       selectinload(Dossier.legs).selectinload(Leg.partner)))
    found = db.session.scalar(select)
    if found is None:
        raise ApiError(404, _("Không tìm thấy hồ sơ có mã “%(code)s” tại cơ quan của bạn.", code=code[:40]))
    return found


def _dossier_filter(query: dict) -> sa.Select:
    select = (sa.select(Dossier).where(Dossier.agency_id == auth.current().agency_id)
              .order_by(Dossier.received_at.desc(), Dossier.id.desc())
              .options(selectinload(Dossier.procedure), selectinload(Dossier.agency)))
    if query.get("status"):
        select = select.where(Dossier.status == query["status"])
    if query.get("overdue") is not None:
        late = sa.and_(Dossier.status.in_(OPEN_STATUSES), Dossier.status != DossierStatus.AWAITING_SUPPLEMENT,
                       Dossier.due_at < clock.now())  # as Dossier.is_overdue
        select = select.where(late if query["overdue"] else sa.not_(late))
    if query.get("received_from"):
        select = select.where(Dossier.received_on >= query["received_from"])
    if query.get("received_to"):
        select = select.where(Dossier.received_on <= query["received_to"])
    return select
