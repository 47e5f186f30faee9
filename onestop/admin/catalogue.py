"""/admin/catalogue/: the procedures, searched without accents, and importing a catalogue file, all or nothing."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import RequestEntityTooLarge

from .. import catalogue, paging
from ..errors import upload_too_large
from ..extensions import db
from ..models import Procedure
from .forms import CatalogueImportForm
from .views import bp

PER_PAGE = 50


@bp.get("/catalogue/", endpoint="catalogue")
def list_procedures():
    """The procedures whose code or name has every word typed, 50 a page, and the import form."""
    return _page(CatalogueImportForm())


@bp.post("/catalogue/import", endpoint="import_catalogue")
def import_catalogue():
    """Add or update the file's procedures; a refused file lists every bad row and imports none."""
    form = CatalogueImportForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    upload = form.file.data
    try:
        result = catalogue.import_file(upload.read(), upload.filename or "")
    except catalogue.CatalogueError as error:
        db.session.rollback()
        return _page(form, refused=error, status=422)
    db.session.commit()
    flash(_("Đã nhập %(created)d thủ tục mới, cập nhật %(updated)d thủ tục.", created=result.created,
            updated=result.updated), "success")
    return redirect(url_for("admin.catalogue"))


def _refuse_too_large(limit: int):
    message = _("Tệp quá lớn: chỉ nhận tệp tới %(limit)d MB. Chưa nhập thủ tục nào; hãy chia danh mục thành "
                "nhiều tệp nhỏ hơn.", limit=limit)
    return _page(CatalogueImportForm(formdata=None), refused=message, status=413)


bp.register_error_handler(RequestEntityTooLarge, upload_too_large("admin.import_catalogue", _refuse_too_large))


def _page(form, refused=None, status=200):
    query = request.args.get("q", "").strip()[:100]
    found = db.paginate(catalogue.search_query(query).options(selectinload(Procedure.field)),
                        page=paging.requested_page(), per_page=PER_PAGE, error_out=False)
    return render_template("admin/catalogue.html", form=form, q=query, page=found, refused=refused), status
