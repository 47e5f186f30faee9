"""The settings page: working sessions and cut-off (which move open dossiers), and the installation's details."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import calendars, clock, receipts, schedule, settings
from ..errors import WorkflowError
from ..extensions import db
from .forms import SettingsForm
from .views import bp


@bp.route("/settings", methods=["GET", "POST"], endpoint="settings")
def edit_settings():
    """Change the settings; new working hours are previewed before they move any appointment."""
    form = SettingsForm(data=SettingsForm.initial(settings.get_all()))
    if not form.validate_on_submit() or request.form.get("action") == "edit":
        return _page(form)
    try:
        moves = schedule.preview_hours(form.parsed_sessions, form.cutoff(), clock.now())
        if moves is not None and request.form.get("action") != "save":
            return _page(form, moves=moves)
        moves = schedule.change_hours(form.parsed_sessions, form.cutoff(), current_user, clock.now())
    except WorkflowError as error:
        form.session_errors.append(str(error))
        return _page(form)
    for key, value in form.general_values().items():
        settings.put(key, value)
    db.session.commit()
    flash(_("Đã lưu cài đặt; %(count)d hồ sơ được đổi hẹn.", count=schedule.moved_dossiers(moves)), "success")
    return redirect(url_for("admin.settings"))


def _page(form: SettingsForm, moves=None):
    return render_template("admin/settings.html", form=form, moves=moves, total=len(moves or ()),
                           dossier_count=schedule.moved_dossiers(moves or []),
                           day_length=calendars.current().day_length,
                           loopback=receipts.is_loopback(form.public_base_url.data))
