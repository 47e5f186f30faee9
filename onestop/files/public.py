"""/tra-cuu/<code>/ket-qua?t=<token>: the citizen downloads the electronic result with the receipt's QR token.

Only once the result has been returned (Decree 118/2025 art. 17: results are kept and given as electronic
copies); without the token, or before that, there is nothing at this address (404).
"""
import sqlalchemy as sa
from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _

from .. import codes, dossiers
from ..extensions import db, limiter
from ..models import DossierStatus
from ..public.views import bp
from . import store
from .models import DossierFile, FileKind
from .responses import file_response


def latest_result(dossier) -> DossierFile | None:
    """The result file attached last: a corrected result replaces the earlier one."""
    return db.session.scalar(sa.select(DossierFile).where(DossierFile.dossier_id == dossier.id,
                                                         DossierFile.kind == FileKind.RESULT)
                             .order_by(DossierFile.id.desc()).limit(1))


@bp.get("/tra-cuu/<code>/ket-qua")
@limiter.limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"])
def e_result(code):
    """The signed result as a download, for the holder of the receipt's token once it is returned."""
    token = request.args.get("t")
    if not codes.check_lookup_token(code, token, current_app.config["SECRET_KEY"]):
        abort(404)
    dossier = dossiers.find_by_code(code)
    stored = latest_result(dossier) if dossier is not None and dossier.status == DossierStatus.RETURNED else None
    if stored is None:
        abort(404)
    try:
        return file_response(stored, store.read(stored))
    except store.FileMissing:
        message = _("Bản điện tử của kết quả tạm thời không tải được; mời ông/bà liên hệ Bộ phận Một cửa.")
        return render_template("errors/error.html", status=404, message=message), 404


@bp.app_template_global()
def e_result_link(code: str) -> str | None:
    """The lookup page's link to the electronic result, when the token opened it and there is one."""
    token = request.args.get("t")
    if not codes.check_lookup_token(code, token, current_app.config["SECRET_KEY"]):
        return None
    dossier = dossiers.find_by_code(code)
    if dossier is None or dossier.status != DossierStatus.RETURNED or latest_result(dossier) is None:
        return None
    return url_for("public.e_result", code=dossier.code, t=token)
