"""/tra-cuu/<code>: status and dates for anyone; with the receipt's token, what the kiosk shows."""
from flask import Blueprint, current_app, render_template, request

from .. import lookups
from ..extensions import limiter

bp = Blueprint("public", __name__)


@bp.get("/tra-cuu/<code>")
@limiter.limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"])
def lookup(code):
    """Where the dossier is now, in plain words; never the applicant's personal data."""
    view = lookups.lookup(code, request.args.get("t"), where="phone")
    if view is None:
        return render_template("public/lookup.html", code=code, view=None), 404
    return render_template("public/lookup.html", code=view.code, view=view)
