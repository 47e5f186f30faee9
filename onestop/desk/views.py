"""Reception desk: staff receive dossiers, find them by scanning and hand results back."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from .. import calendars, clock, codes, dossiers, idcards, receipts, regimes, settings, transfers, workflow
from ..access import require_role
from ..errors import WorkflowError
from ..extensions import db
from ..files.forms import intake_uploads
from ..files.store import attach_all as attach_scans
from ..i18n import printed_in_vietnamese
from ..models import Dossier
from ..notifications import outbox
from ..queue import views as queue_views
from . import cards
from .forms import DOCUMENT_KINDS, ReceiveForm, submitted_documents

bp = Blueprint("desk", __name__, url_prefix="/desk")
# Room for the Code128 on the A5 receipt (128 mm of text width, less the QR beside it) and on the 100 x 50 mm
# label (92.4 mm between its margins): a long agency e-ID's code narrows its bars to fit (codes.module_mm),
# and on the receipt its QR takes 0.5 mm modules instead of 0.6 mm to leave the bars that room.
RECEIPT_BARCODE_MM = 104
LABEL_BARCODE_MM = 92.4
LABEL_MIN_MODULE_MM = 0.16
SMALL_QR_BOX = 5
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
    """Intake form: a card's QR fills the applicant; saving opens the receipt's print dialog (or the dossier)."""
    scan = cards.find(request.form) if request.method == "POST" else None
    if scan is not None:
        return _intake_page(ReceiveForm(formdata=scan.formdata), scan)
    form = ReceiveForm()
    if form.is_submitted() and (saved := dossiers.by_intake_token(form.intake_token.data)):
        return _already_received(saved)
    if form.validate_on_submit():
        documents = submitted_documents(request.form)
        if not documents and not form.no_documents.data:
            flash(_("Chưa đánh dấu giấy tờ nào đã nhận. Đánh dấu các giấy tờ, hoặc xác nhận tiếp nhận không có "
                    "giấy tờ."), "error")
            return _intake_page(form, ask_no_documents=True)
        try:
            dossier = dossiers.receive(form.procedure, form.applicant(), form.intake(documents),
                                       agency=current_user.agency, clerk=current_user, now=clock.now(),
                                       calendar=calendars.current())
            attach_scans(dossier, current_user, intake_uploads(request.form, request.files), now=clock.now())
            outbox.record_consent(dossier, form.notify.data, now=dossier.received_at)
            queue_views.link_intake(dossier)  # the queue ticket "Tiếp nhận" opened this form for (issue 20)
            db.session.commit()
        except WorkflowError as error:
            flash(str(error), "error")
        except IntegrityError:  # the same form submitted twice at once: the other request saved it
            db.session.rollback()
            return _already_received(dossiers.by_intake_token(form.intake_token.data) or abort(409))
        else:
            flash(_("Đã tiếp nhận hồ sơ %(code)s.", code=dossier.code), "success")
            if request.form.get("then") == "print":
                return redirect(url_for("desk.receipt", code=dossier.code, print=1))
            return redirect(url_for("desk.show", code=dossier.code))
    return _intake_page(form)


def _intake_page(form, scan=None, *, ask_no_documents=False):
    if scan is not None:
        flash(scan.message, "success" if scan.card else "error")
    earlier = dossiers.by_id_number(current_user.agency, scan.card.id_number) if scan and scan.card else None
    return render_template("desk/receive.html", form=form, kinds=DOCUMENT_KINDS, earlier=earlier,
                           checked=submitted_documents(scan.formdata if scan else request.form),
                           ask_no_documents=ask_no_documents or form.no_documents.data)


def _already_received(dossier):
    flash(_("Biểu mẫu này đã được tiếp nhận thành hồ sơ %(code)s; không tạo hồ sơ mới.", code=dossier.code),
          "warning")
    return redirect(url_for("desk.show", code=dossier.code))


@bp.get("/scan")
def scan():
    """The barcode gun typed a code (or an ID card's QR) and Enter: open that dossier, or the filled intake form."""
    text = request.args.get("code", "")
    back = request.referrer if _same_site(request.referrer) else url_for("desk.home")
    if not text.strip():  # an empty Enter
        return redirect(back)
    if idcards.looks_like_card(text):
        found = cards.find(MultiDict({"card": text}))
        return _intake_page(ReceiveForm(formdata=found.formdata), found)
    # The short form yyMMdd-NNNN means a code of the user's own agency, as at the kiosk.
    code = codes.expand_short_code(text, current_user.agency.code) or text
    dossier = dossiers.find_by_code(code, agency=current_user.agency) or transfers.sent_to(current_user, code)
    if dossier is None:
        flash(_("Không tìm thấy hồ sơ có mã “%(code)s”. Kiểm tra lại mã rồi quét lại.", code=text.strip()[:40]), "error")
        return redirect(back)
    return redirect(url_for("desk.show", code=dossier.code))


@bp.get("/search")
def search():
    """Find dossiers by code, name, phone or ID number."""
    query = request.args.get("q", "")
    return render_template("desk/search.html", q=query, results=dossiers.search(current_user.agency, query))


@bp.get("/dossiers/<code>")
def show(code):
    """Everything about one dossier: applicant, dates, time left, history (read-only for a partner during its leg)."""
    dossier = dossiers.find_by_code(code, agency=current_user.agency, history=True)
    partner_view = dossier is None
    dossier = dossier or transfers.sent_to(current_user, code, history=True) or abort(404)
    rules = calendars.in_force()
    return render_template("desk/show.html", dossier=dossier, approved=workflow.is_approved(dossier),
                           partner_view=partner_view, regime=regimes.of(dossier, rules.regime_switch),
                           left=dossiers.time_left(dossier, clock.now(), rules.calendar),
                           day_length=rules.calendar.day_length)


@bp.get("/dossiers/<code>/receipt")
@printed_in_vietnamese
def receipt(code):
    """Form 01, the receipt and appointment slip (A5), with Code128 and QR."""
    dossier = _dossier_or_404(code)
    lookup_url, values = receipts.lookup_url(dossier.code), settings.get_all()
    after = None
    if request.args.get("print"):  # one step from intake: print, (the folder label,) then a fresh intake form
        after = (url_for("desk.label", code=dossier.code, print=1) if values.get("print_label_at_intake")
                 else url_for("desk.receive"))
    long_code = codes.module_mm(dossier.code, RECEIPT_BARCODE_MM) < codes.MODULE_MM
    return receipts.render("receipts/receipt.html", dossier, "receipt", after_print=after, kinds=DOCUMENT_KINDS,
                           lookup_url=lookup_url, code128=codes.code128_svg(dossier.code, RECEIPT_BARCODE_MM),
                           qr=codes.qr_svg(lookup_url, SMALL_QR_BOX if long_code else codes.QR_SVG_BOX))


@bp.get("/dossiers/<code>/label")
@printed_in_vietnamese
def label(code):
    """The sticker for the paper folder: Code128, code, procedure, due date."""
    dossier = _dossier_or_404(code)
    after = url_for("desk.receive") if request.args.get("print") else None
    return receipts.render("receipts/label.html", dossier, "label", after_print=after,
                           code128=codes.code128_svg(dossier.code, LABEL_BARCODE_MM, LABEL_MIN_MODULE_MM))


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
