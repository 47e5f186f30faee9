"""/tra-cuu/<code>: status and dates for anyone; the masked name and holder with the receipt's token."""
from flask import Blueprint, current_app, render_template, request

from .. import codes, dossiers
from ..extensions import limiter
from ..privacy import mask_name

bp = Blueprint("public", __name__)


@bp.get("/tra-cuu/<code>")
@limiter.limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"])
def lookup(code):
    """Where the dossier is now, in plain words; never the applicant's personal data."""
    dossier = dossiers.find_by_code(code)
    token_ok = dossier is not None and codes.check_lookup_token(
        dossier.code, request.args.get("t", ""), current_app.config["SECRET_KEY"])
    masked = mask_name(dossier.applicant_name, dossier.applicant_is_organisation) if token_ok else None
    return render_template("public/lookup.html", code=code, dossier=dossier, full=token_ok, masked_name=masked), \
        200 if dossier else 404
