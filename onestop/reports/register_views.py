"""/reports/register: the desk's register (Sổ theo dõi hồ sơ) for a period, its XLSX, and importing history."""
from io import BytesIO

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from .. import agencies, audit, ledger, ledger_import, report_files
from ..errors import upload_too_large
from ..extensions import db
from .forms import LedgerImportForm
from .views import bp, picked

SHOWN = 500  # lines on the page; the file has all of them


def _page(import_form, refused=None, status=200):
    form, agency, period = picked()
    lines = ledger.lines(agency, period) if period else []
    audit.note_list(agency, min(len(lines), SHOWN))
    return render_template("reports/register.html", form=form, agency=agency, period=period, lines=lines[:SHOWN],
                           hidden=max(0, len(lines) - SHOWN), import_form=import_form, refused=refused,
                           query=request.args.to_dict()), status


@bp.get("/register")
def register():
    """The register lines of the period: every dossier received by its end and not completed before its start."""
    return _page(LedgerImportForm())


@bp.get("/register.xlsx")
def register_file():
    """The register of the period as an Excel file (A4 landscape), which the import reads back."""
    _form, agency, period = picked()
    if period is None:
        return _page(LedgerImportForm(), status=422)
    lines = ledger.lines(agency, period)
    audit.note_list(agency, len(lines))
    return send_file(BytesIO(report_files.register(agency, period, lines)), mimetype=report_files.MIMETYPES["xlsx"],
                     as_attachment=True, download_name=f"so-theo-doi_{agency.code}_{period.start:%Y%m%d}-"
                                                       f"{period.end:%Y%m%d}.xlsx")


@bp.post("/register/import")
def import_register():
    """Add the dossiers of a register file to the user's desk, all of them or none."""
    form = LedgerImportForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    upload = form.file.data
    try:
        count = ledger_import.import_file(upload.read(), upload.filename or "", current_user.agency,
                                          also=_administered())
    except ledger_import.LedgerError as error:
        db.session.rollback()
        return _page(form, refused=error, status=422)
    db.session.commit()
    flash(_("Đã nhập %(count)s hồ sơ vào sổ theo dõi.", count=count), "success")
    return redirect(url_for("reports.register"))


def _administered():
    """Agencies whose codes an admin's file may carry besides the own: those under it (not external partners)."""
    if not current_user.has_role("admin"):
        return []
    return [agency for agency in agencies.managed_by(current_user.agency) if not agency.external]


def _refuse_too_large(limit: int):
    message = _("Tệp quá lớn: chỉ nhận tệp tới %(limit)d MB. Chưa nhập hồ sơ nào; hãy chia sổ thành "
                "nhiều tệp nhỏ hơn, mỗi tệp vài tháng.", limit=limit)
    return _page(LedgerImportForm(formdata=None), refused=message, status=413)


bp.register_error_handler(RequestEntityTooLarge, upload_too_large("reports.import_register", _refuse_too_large))
