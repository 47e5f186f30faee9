"""/tra-cuu/<code>: status and dates for anyone; with the receipt's token, what the kiosk shows."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from .. import clock, dossiers, lookups, settings
from ..extensions import db, limiter
from ..notifications import outbox

bp = Blueprint("public", __name__)


@bp.get("/tra-cuu/<code>")
@limiter.limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"])
def lookup(code):
    """Where the dossier is now, in plain words; never the applicant's personal data."""
    view = lookups.lookup(code, request.args.get("t"), where="phone")
    if view is None:
        return render_template("public/lookup.html", code=code, view=None), 404
    notify = outbox.consent_state(view.code) if view.full else None  # only the receipt's holder may stop them
    return render_template("public/lookup.html", code=view.code, view=view, notify=notify,
                           token=request.args.get("t"), contact=_contact(view.code))


def _contact(code: str) -> dict:
    """Whom the citizen may call about the dossier: the receiving agency, its phone and its opening hours."""
    dossier, values = dossiers.find_by_code(code), settings.get_all()
    return {"agency": dossier.agency.name if dossier else "", "phone": values.get("contact_phone", ""),
            "hours": ", ".join(f"{start}–{end}" for start, end in values["sessions"])}


@bp.post("/tra-cuu/<code>/ngung-thong-bao")
@limiter.limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"])
def stop_notifications(code):
    """The citizen stops the messages about the dossier; the receipt's token proves it is theirs."""
    token = request.form.get("t", "")
    dossier = dossiers.find_by_code(code)
    if dossier is None or not lookups.token_opens_details(dossier, token):
        abort(404)
    outbox.withdraw_consent(dossier, now=clock.now())
    db.session.commit()
    return redirect(url_for("public.lookup", code=dossier.code, t=token))
