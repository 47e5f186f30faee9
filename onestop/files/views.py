"""The desk's file pages: attach scans to a dossier, see their thumbnails, open, download or delete them."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock, transfers
from ..access import require_role
from ..errors import WorkflowError
from ..extensions import db
from ..models import Dossier
from . import exemptions, figures, store, thumbnails
from .forms import ACCEPT, ExemptionForm, UploadForm
from .models import DossierFile
from .responses import file_response

bp = Blueprint("files", __name__, url_prefix="/desk/dossiers/<code>/files")
bp.before_request(require_role("clerk", "officer", "leader"))


def _dossier_or_404(code: str, *, lock: bool = False) -> Dossier:
    dossier = transfers.find_for(current_user, code, lock=lock)  # another agency's dossier is not there
    if dossier is None:
        abort(404)
    return dossier


def _file_or_404(code: str, file_id: int) -> DossierFile:
    stored = store.find(_dossier_or_404(code), file_id)
    if stored is None:
        abort(404)
    return stored


def _back(dossier: Dossier) -> str:
    return url_for("desk.show", code=dossier.code, _anchor="files")


@bp.post("")
def upload(code):
    """Attach the chosen scans to a document line (or as the result); one commit for all of them."""
    dossier = _dossier_or_404(code, lock=True)
    form = UploadForm()
    uploads = form.uploads(request.files) if form.validate_on_submit() else []
    if not uploads:
        flash(_("Chưa chọn tệp nào để đính kèm."), "error")
        return redirect(_back(dossier))
    try:
        for item in uploads:
            store.attach(dossier, current_user, item, now=clock.now())
    except WorkflowError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Đã đính kèm %(count)s tệp.", count=len(uploads)), "success")
    return redirect(_back(dossier))


@bp.get("/<int:file_id>")
def download(code, file_id):
    """The file as a download with a safe name (logged in the personal-data log)."""
    return _send(_file_or_404(code, file_id), inline=False)


@bp.get("/<int:file_id>/view")
def view(code, file_id):
    """The file opened in the browser's own PDF or image viewer (logged in the personal-data log)."""
    return _send(_file_or_404(code, file_id), inline=True)


def _send(stored: DossierFile, *, inline: bool):
    try:
        return file_response(stored, store.read(stored), inline=inline)
    except store.FileMissing:
        message = _("Tệp %(name)s không còn trong kho lưu trữ; hãy báo quản trị viên.", name=stored.name)
        return render_template("errors/error.html", status=404, message=message), 404


@bp.get("/<int:file_id>/thumbnail.png")
def thumbnail(code, file_id):
    """A small picture of the first page, made once and cached (the bytes never change for a file)."""
    stored = _file_or_404(code, file_id)
    try:
        picture = thumbnails.thumbnail(stored)
    except store.FileMissing:
        return Response(status=404)  # the page shows the file as missing; no picture to draw
    response = Response(picture, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.set_etag(stored.sha256)
    return response.make_conditional(request)


@bp.post("/<int:file_id>/delete")
def delete(code, file_id):
    """Delete a file one uploaded while the dossier is open; the history keeps a line of it."""
    dossier = _dossier_or_404(code, lock=True)
    stored = store.find(dossier, file_id) or abort(404)
    try:
        sha = store.remove(stored, current_user, now=clock.now())
    except WorkflowError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        store.discard_unreferenced([sha])
        flash(_("Đã xóa tệp %(name)s.", name=stored.name), "success")
    return redirect(_back(dossier))


@bp.post("/exemptions")
def exempt(code):
    """Record that a document line is not scanned, and why (one of the listed exceptions), or clear it."""
    dossier = _dossier_or_404(code, lock=True)
    form = ExemptionForm()
    try:
        if not form.validate_on_submit():
            raise WorkflowError(_("Dòng giấy tờ không hợp lệ."))
        store.set_exemption(dossier, current_user, form.document.data, form.reason.data or "", now=clock.now())
    except WorkflowError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
    return redirect(_back(dossier))


@bp.app_template_global()
def dossier_files(dossier: Dossier) -> dict:
    """What the dossier page's files panel needs: lines with their state, loose papers, results, reasons."""
    lines, loose, results = exemptions.coverage(dossier)
    return {"lines": lines, "loose": loose, "results": results, "reasons": exemptions.REASONS, "accept": ACCEPT,
            "may_attach": dossier.agency_id == current_user.agency_id}


@bp.app_template_global()
def digitisation_figures(agency, period) -> figures.Digitisation:
    """The reports page's digitisation block: counted in SQL for the agency and those under it."""
    return figures.digitisation(agency, period)


@bp.app_template_global("share")
def share_text(value: float) -> str:
    """A share as the reports write it: '93,3%'."""
    from ..itreports import percent

    return percent(value)
