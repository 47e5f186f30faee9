"""The kiosk's pages (the full kiosk arrives with its own issue; this is its home)."""
import sqlalchemy as sa
from flask import Blueprint, abort, render_template

from onestop.extensions import db
from onestop.models import Agency

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk/<agency_code>")


@bp.get("/")
def home(agency_code):
    """The kiosk's welcome screen for one agency."""
    agency = db.session.scalar(sa.select(Agency).where(Agency.code == agency_code))
    if agency is None:
        abort(404)
    return render_template("kiosk/home.html", agency=agency)
