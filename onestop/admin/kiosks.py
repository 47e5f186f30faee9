"""/admin/kiosks/: enrol a lobby screen with a one-time link, list the kiosks, revoke one (issue 16)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import agencies, clock, kiosks
from ..errors import WorkflowError
from ..extensions import db
from ..models import Kiosk
from .forms import ConfirmForm, KioskForm
from .views import bp


@bp.get("/kiosks/", endpoint="kiosks")
def list_kiosks():
    """The kiosks of the agencies the admin looks after, and the form to enrol one."""
    return _page(_form())


@bp.post("/kiosks/", endpoint="enrol_kiosk")
def enrol_kiosk():
    """A new kiosk: the page shows its one-time link once, to open on the kiosk itself."""
    form = _form()
    agency = next((agency for agency in _agencies() if agency.code == form.agency.data), None)
    if not form.validate_on_submit() or agency is None:
        if form.is_submitted() and agency is None:
            form.agency.errors = [*form.agency.errors, _("Chọn một cơ quan trong danh sách.")]
        return _page(form, status=422)
    try:
        kiosk, key = kiosks.enrol(agency, form.name.data, current_user, clock.now())
    except WorkflowError as error:
        form.name.errors = [*form.name.errors, str(error)]
        return _page(form, status=422)
    db.session.commit()
    link = url_for("kiosk.enroll", agency_code=agency.code, k=key, _external=True)
    return _page(_form(), new=(kiosk, link))  # rendered, not redirected: the key never enters a session


@bp.post("/kiosks/<int:kiosk_id>/revoke", endpoint="revoke_kiosk")
def revoke_kiosk(kiosk_id):
    """Stop a kiosk at once: its cookie no longer opens details or surveys."""
    kiosk = db.session.get(Kiosk, kiosk_id)
    if kiosk is None or kiosk.agency_id not in {agency.id for agency in _agencies()} or not ConfirmForm().validate():
        abort(404)
    kiosks.revoke(kiosk, clock.now())
    db.session.commit()
    flash(_("Đã thu hồi kiosk «%(name)s».", name=kiosk.name), "success")
    return redirect(url_for("admin.kiosks"))


def _agencies():
    """The agencies whose kiosks this admin enrols: their own and those under it (partners outside have none)."""
    return [agency for agency in agencies.managed_by(current_user.agency) if not agency.external]


def _form() -> KioskForm:
    form = KioskForm()
    form.agency.choices = [(agency.code, f"{agency.code} – {agency.name}") for agency in _agencies()]
    if not form.agency.data:
        form.agency.data = current_user.agency.code
    return form


def _page(form, new=None, status=200):
    return render_template("admin/kiosks.html", form=form, kiosks=kiosks.of_agencies(_agencies()), new=new,
                           confirm=ConfirmForm(), link_days=kiosks.LINK_DAYS), status
