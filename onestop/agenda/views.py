"""/admin/agenda: the week's schedule, with adding, correcting and removing entries."""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import agendas, clock
from ..access import require_role
from ..extensions import db
from ..formatting import parse_user_date, vn_date
from ..models import AgendaEntry
from .forms import DeleteForm, EntryForm

bp = Blueprint("agenda", __name__, url_prefix="/admin/agenda")
bp.before_request(require_role("admin", "leader", "clerk"))


def _entry_or_404(entry_id: int) -> AgendaEntry:
    entry = agendas.find(current_user.agency, entry_id)
    if entry is None:
        abort(404)
    return entry


def _chosen_monday():
    """The Monday of ?week= (any day of it, dd/mm/yyyy or yyyy-mm-dd), else of this week."""
    try:
        return agendas.week_start(parse_user_date(request.args.get("week", "")))
    except ValueError:
        return agendas.week_start(clock.today())


def _as_typed(entry: AgendaEntry) -> dict:
    start = entry.start_time.strftime("%H:%M") if entry.start_time else ""
    return {"day": vn_date(entry.held_on), "start_time": start, "content": entry.content,
            "presiding": entry.presiding, "place": entry.place}


def _back_to_week(day):
    return redirect(url_for("agenda.week", week=day.isoformat()))


@bp.get("/")
def week():
    """The chosen week, day by day, with its entries."""
    monday = _chosen_monday()
    return render_template("agenda/week.html", days=agendas.week_by_day(current_user.agency, monday),
                           monday=monday, previous=monday - timedelta(days=7), next=monday + timedelta(days=7),
                           today=clock.today(), delete_form=DeleteForm(), weekday_name=agendas.weekday_name)


@bp.route("/new", methods=["GET", "POST"])
def add():
    """Add an entry; the form starts on the day given by ?day=."""
    form = EntryForm(data={"day": request.args.get("day", "")})
    if form.validate_on_submit():
        entry = agendas.add(current_user.agency, form.entry_data(), author=current_user)
        db.session.commit()
        flash(_("Đã thêm lịch ngày %(day)s.", day=vn_date(entry.held_on)), "success")
        return _back_to_week(entry.held_on)
    return render_template("agenda/edit.html", form=form, entry=None)


@bp.route("/<int:entry_id>/edit", methods=["GET", "POST"])
def edit(entry_id):
    """Correct an entry."""
    entry = _entry_or_404(entry_id)
    form = EntryForm(data=_as_typed(entry))  # a POST's own values win over these
    if form.validate_on_submit():
        agendas.update(entry, form.entry_data())
        db.session.commit()
        flash(_("Đã sửa lịch ngày %(day)s.", day=vn_date(entry.held_on)), "success")
        return _back_to_week(entry.held_on)
    return render_template("agenda/edit.html", form=form, entry=entry)


@bp.post("/<int:entry_id>/delete")
def delete(entry_id):
    """Take an entry off the schedule."""
    entry = _entry_or_404(entry_id)
    if DeleteForm().validate_on_submit():
        day = entry.held_on
        agendas.remove(entry)
        db.session.commit()
        flash(_("Đã xoá một mục khỏi lịch ngày %(day)s.", day=vn_date(day)), "success")
        return _back_to_week(day)
    abort(400)
