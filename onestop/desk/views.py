"""Reception desk: staff receive dossiers, find them by scanning and hand results back."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import calendars, clock, codes, dossiers, receipts, settings
from ..access import require_role
from ..errors import WorkflowError
from ..extensions import db
from ..models import Dossier
from .forms import DOCUMENT_KINDS, ReceiveForm, submitted_documents

bp = Blueprint("desk", __name__, url_prefix="/desk")
bp.before_request(require_role("clerk", "officer", "leader"))


def _dossier_or_404(code: str, *, history: bool = False) -> Dossier:
    dossier = dossiers.find_by_code(code, agency=current_user.agency, history=history)
    if dossier is None:
        abort(404)
    return dossier


@bp.get("/")
def home():
    """Today's intake, due today, overdue and results waiting to be returned."""
    agency, now = current_user.agency, clock.now()
    return render_template("desk/home.html", today=clock.today(),
                           received=dossiers.received_on(agency, clock.today()),
                           due=dossiers.due_on(agency, clock.today(), now),
                           overdue=dossiers.overdue(agency, now), ready=dossiers.ready_for_pickup(agency))


@bp.route("/receive", methods=["GET", "POST"])
def receive():
    """Intake form; on success go to the new dossier and its receipt."""
    form = ReceiveForm()
    if form.validate_on_submit():
        try:
            dossier = dossiers.receive(form.procedure, form.applicant(), form.intake(submitted_documents(request.form)),
                                       agency=current_user.agency, clerk=current_user, now=clock.now(),
                                       calendar=calendars.current())
        except WorkflowError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Đã tiếp nhận hồ sơ %(code)s.", code=dossier.code), "success")
            return redirect(url_for("desk.show", code=dossier.code))
    return render_template("desk/receive.html", form=form, kinds=DOCUMENT_KINDS,
                           checked=submitted_documents(request.form))


@bp.get("/scan")
def scan():
    """The barcode gun typed a code and Enter: open that dossier, or say it is unknown."""
    text = request.args.get("code", "")
    dossier = dossiers.find_by_code(text, agency=current_user.agency)
    if dossier is None:
        flash(_("Không tìm thấy hồ sơ có mã “%(code)s”. Kiểm tra lại mã rồi quét lại.", code=text.strip()[:40]), "error")
        return redirect(request.referrer if _same_site(request.referrer) else url_for("desk.home"))
    return redirect(url_for("desk.show", code=dossier.code))


@bp.get("/search")
def search():
    """Find dossiers by code, name, phone or ID number."""
    query = request.args.get("q", "")
    return render_template("desk/search.html", q=query, results=dossiers.search(current_user.agency, query))


@bp.get("/dossiers/<code>")
def show(code):
    """Everything about one dossier: applicant, dates, time left, history."""
    dossier = _dossier_or_404(code, history=True)
    calendar = calendars.current()
    return render_template("desk/show.html", dossier=dossier,
                           left=dossiers.time_left(dossier, clock.now(), calendar), day_length=calendar.day_length)


@bp.get("/dossiers/<code>/receipt")
def receipt(code):
    """Form 01, the receipt and appointment slip (A5), with Code128 and QR."""
    dossier = _dossier_or_404(code)
    lookup_url = receipts.lookup_url(dossier.code)
    return render_template("receipts/receipt.html", dossier=dossier, settings=settings.get_all(),
                           kinds=DOCUMENT_KINDS, lookup_url=lookup_url,
                           code128=codes.code128_svg(dossier.code), qr=codes.qr_svg(lookup_url))


@bp.get("/dossiers/<code>/label")
def label(code):
    """The sticker for the paper folder: Code128, code, procedure, due date."""
    dossier = _dossier_or_404(code)
    return render_template("receipts/label.html", dossier=dossier, code128=codes.code128_svg(dossier.code))


@bp.get("/dossiers/<code>/code128.<kind>")
def code128_image(code, kind):
    """The dossier code as a Code128 barcode (SVG or 300 dpi PNG)."""
    dossier = _dossier_or_404(code)
    return _image(kind, codes.code128_svg, codes.code128_png, dossier.code)


@bp.get("/dossiers/<code>/qr.<kind>")
def qr_image(code, kind):
    """The public lookup URL as a QR code (SVG or PNG)."""
    dossier = _dossier_or_404(code)
    return _image(kind, codes.qr_svg, codes.qr_png, receipts.lookup_url(dossier.code))


def _image(kind, svg, png, value):
    if kind == "svg":
        return Response(svg(value), mimetype="image/svg+xml")
    if kind == "png":
        return Response(png(value), mimetype="image/png")
    abort(404)


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)
