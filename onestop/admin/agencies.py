"""/admin/agencies/: every agency listed; the admin's own, those under it and external partners edited."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import agencies
from ..errors import WorkflowError
from ..extensions import db
from ..models import Agency
from .forms import LEVEL_CHOICES, AgencyForm
from .views import bp


@bp.get("/agencies/", endpoint="agencies")
def list_agencies():
    """Every agency with its code, level and parent, and the form for a new one."""
    return _list_page(_form())


@bp.post("/agencies/", endpoint="create_agency")
def create_agency():
    """Add an agency, such as a partner that the catalogue's inter-agency routes send dossiers to."""
    form = _form()
    if not form.validate_on_submit():
        return _list_page(form, 422)
    try:
        agency = agencies.create(form.code.data, form.name.data, form.level.data, _parent(form), form.external.data,
                                 current_user.agency, receiving_unit=form.receiving_unit.data or "")
    except WorkflowError as error:
        return _list_page(_with_error(form, error), 422)
    db.session.commit()
    flash(_("Đã thêm cơ quan %(code)s – %(name)s.", code=agency.code, name=agency.name), "success")
    return redirect(url_for("admin.agencies"))


@bp.route("/agencies/<int:agency_id>", methods=["GET", "POST"], endpoint="edit_agency")
def edit_agency(agency_id):
    """Change an agency's code (while it has no dossiers), name, level, parent and external flag."""
    agency = agencies.find_managed(current_user.agency, agency_id) or abort(404)
    form = _form(agency)
    if not form.validate_on_submit():
        return _edit_page(agency, form, 422 if form.is_submitted() else 200)
    try:
        agencies.update(agency, form.code.data, form.name.data, form.level.data, _parent(form), form.external.data,
                        current_user.agency, receiving_unit=form.receiving_unit.data or "")
    except WorkflowError as error:
        return _edit_page(agency, _with_error(form, error), 422)
    db.session.commit()
    flash(_("Đã lưu cơ quan %(code)s – %(name)s.", code=agency.code, name=agency.name), "success")
    return redirect(url_for("admin.agencies"))


def _form(agency: Agency | None = None) -> AgencyForm:
    """The form with every other agency as a possible parent."""
    data = {} if agency is None else {"code": agency.code, "name": agency.name, "level": agency.level.value,
                                      "parent": str(agency.parent_id or ""), "external": agency.external,
                                      "receiving_unit": agency.receiving_unit}
    form = AgencyForm(data=data)
    form.parent.choices = [("", _("(không có)"))] + [
        (str(other.id), f"{other.code} – {other.name}") for other in agencies.every() if other is not agency]
    return form


def _parent(form: AgencyForm) -> Agency | None:
    if not form.parent.data:
        return None
    parent = db.session.get(Agency, int(form.parent.data)) if form.parent.data.isdigit() else None
    if parent is None:
        raise WorkflowError(_("Cơ quan cấp trên không có trong danh sách."), field="parent")
    return parent


def _with_error(form, error: WorkflowError):
    getattr(form, error.field or "code").errors.append(str(error))
    return form


def _list_page(form, status=200):
    managed = {agency.id for agency in agencies.managed_by(current_user.agency)}
    return render_template("admin/agencies.html", form=form, agencies=agencies.every(), managed=managed,
                           level_labels={choice.value: choice.label for choice in LEVEL_CHOICES}), status


def _edit_page(agency: Agency, form, status=200):
    return render_template("admin/agency.html", agency=agency, form=form), status
