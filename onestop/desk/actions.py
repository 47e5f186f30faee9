"""Workflow buttons: one POST per step on a dossier, and what the dossier page's actions panel offers."""
import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import calendars, clock, transfers, workflow
from ..errors import WorkflowError
from ..extensions import db
from ..files.forms import result_upload
from ..files.store import attach_all
from ..handovers import DESK_LABEL, STAFF_ROLES, is_holder
from ..history import ACTION_LABELS
from ..models import UNIT_LABELS, Dossier, User
from . import action_forms
from .views import bp


@bp.post("/dossiers/<code>/actions/<action>")
def act(code, action):
    """Take one workflow step on the dossier, commit once, then go back where the user was."""
    dossier = transfers.find_for(current_user, code, lock=True)
    form = action_forms.form_for(action)
    if dossier is None or form is None:
        abort(404)
    if not form.validate_on_submit():
        flash(action_forms.errors_of(form), "error")
        return redirect(_back(dossier, form))
    try:
        event = workflow.perform(action, dossier, current_user, now=clock.now(), calendar=calendars.current(),
                                 **form.params())
        if action == "mark_ready":  # the signed result may come with the step (issue 18)
            attach_all(dossier, current_user, [result_upload(request.files)], now=clock.now())
    except WorkflowError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_done(action, dossier, event), "success")
        if (event.data or {}).get("warning"):
            flash(event.data["warning"], "warning")
    return redirect(_back(dossier, form))


def _done(action: str, dossier: Dossier, event) -> str:
    """What happened, in words: "Đã bàn giao hồ sơ … cho Trần Văn Hùng." rather than the step's name."""
    if action == "hand_over" and event.to_user is not None:
        return _("Đã bàn giao hồ sơ %(code)s cho %(name)s.", code=dossier.code, name=event.to_user.display_name)
    if action == "send_to_partner" and event.to_agency is not None:
        return _("Đã chuyển hồ sơ %(code)s cho %(agency)s.", code=dossier.code, agency=event.to_agency.name)
    if action == "partner_returned" and dossier.agency_id != current_user.agency_id:
        return _("Đã trả hồ sơ %(code)s về %(agency)s.", code=dossier.code, agency=dossier.agency.name)
    if action == "partner_returned" and event.from_agency is not None:
        return _("Đã nhận lại hồ sơ %(code)s từ %(agency)s.", code=dossier.code, agency=event.from_agency.name)
    return _("Đã ghi nhận “%(step)s” cho hồ sơ %(code)s.", step=_(ACTION_LABELS[action]), code=dossier.code)


def _back(dossier: Dossier, form) -> str:
    # A partner agency's user cannot open the receiving agency's dossier page: back to the inbox.
    if form.back.data == "inbox" or dossier.agency_id != current_user.agency_id:
        return url_for("desk.inbox")
    return url_for("desk.show", code=dossier.code)


@bp.app_template_global()
def workflow_panel(dossier: Dossier) -> dict:
    """What the actions panel needs: the steps allowed now, colleagues, partners and the open leg."""
    actions = workflow.available_actions(dossier, current_user, clock.now())
    holder = dossier.holder_user
    return {
        "actions": actions,
        "taking": "hand_over" in actions and not is_holder(dossier, current_user),
        "holder_name": holder.display_name if holder else DESK_LABEL,
        "colleagues": _colleagues(dossier) if "hand_over" in actions else [],
        "partners": transfers.partner_choices(dossier) if "send_to_partner" in actions else [],
        "unit_label": UNIT_LABELS[transfers.share_unit(dossier)],
        "leg": transfers.open_leg(dossier),
    }


def _colleagues(dossier: Dossier) -> list[User]:
    query = (sa.select(User).where(User.agency_id == dossier.agency_id, User.active.is_(True),
                                   User.id != (dossier.holder_user_id or 0)).order_by(User.full_name))
    return [user for user in db.session.scalars(query) if user.has_role(*STAFF_ROLES)]
