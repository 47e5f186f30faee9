"""The working calendar page: a year of days off and make-up days, and the admin's overrides."""
from calendar import Calendar as MonthLayout
from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import calendars, clock, schedule
from ..errors import WorkflowError
from ..extensions import db
from ..formatting import vn_date
from ..models import CalendarOverride
from .forms import ConfirmDaysForm, OverrideForm, RemoveOverrideForm
from .views import bp

PREVIEW_ROWS = 300  # a province-wide change can move thousands; the page stays light


@bp.get("/calendar", endpoint="calendar")
def year_view():
    """Twelve month grids with days off, make-up days and overrides; the form to add one."""
    year = request.args.get("year", type=int) or clock.today().year
    if not 1990 <= year <= 2100:
        abort(404)
    return _year_page(year, OverrideForm())


@bp.post("/calendar/overrides", endpoint="add_override")
def add_override():
    """Preview what a new override moves ("Xem trước"), or save it and move them ("Lưu")."""
    form = OverrideForm()
    if not form.validate_on_submit():
        return _year_page(getattr(form, "parsed_day", clock.today()).year, form)
    day, kind, reason, now = form.parsed_day, form.kind.data, form.reason.data, clock.now()
    try:
        if request.form.get("action") != "save":
            return _preview(schedule.preview_override(day, kind, reason, now), form=form,
                            title=_("Thêm %(kind)s %(day)s", kind=_kind(kind), day=vn_date(day)), reason=reason,
                            rejudges=schedule.completed_for_override(day, kind, reason))
        moves = schedule.add_override(day, kind, reason, current_user, now, _rejudge_ids())[1]
    except WorkflowError as error:
        getattr(form, error.field or "day").errors.append(str(error))
        return _year_page(day.year, form)
    db.session.commit()
    flash(_("Đã lưu %(kind)s %(day)s; %(count)d hồ sơ được đổi hẹn.", kind=_kind(kind), day=vn_date(day),
            count=schedule.moved_dossiers(moves)), "success")
    return redirect(url_for("admin.calendar", year=day.year))


@bp.post("/calendar/overrides/<int:override_id>/remove", endpoint="remove_override")
def remove_override(override_id):
    """Preview what removing an override moves back, or remove it and move them."""
    override, form = db.get_or_404(CalendarOverride, override_id), RemoveOverrideForm()
    if not form.validate_on_submit():
        abort(400)
    day, kind = override.day, override.kind
    if request.form.get("action") != "save":
        return _preview(schedule.preview_removal(override, clock.now()), form=form, override=override,
                        title=_("Bỏ %(kind)s %(day)s", kind=_kind(kind), day=vn_date(day)),
                        reason=schedule.removal_reason(override), rejudges=schedule.completed_for_removal(override))
    moves = schedule.remove_override(override, current_user, clock.now(), _rejudge_ids())
    db.session.commit()
    flash(_("Đã bỏ %(kind)s %(day)s; %(count)d hồ sơ được đổi hẹn.", kind=_kind(kind), day=vn_date(day),
            count=schedule.moved_dossiers(moves)), "success")
    return redirect(url_for("admin.calendar", year=day.year))


@bp.post("/calendar/confirm", endpoint="confirm_days")
def confirm_days():
    """Preview, then save, an admin's confirmation of unconfirmed days as the calendar shows them."""
    form = ConfirmDaysForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        days = [date.fromisoformat(text) for text in request.form.getlist("day")]
    except ValueError:
        abort(400)
    year = days[0].year if days else request.form.get("year", type=int) or clock.today().year
    reason, now = form.basis.data or "", clock.now()
    try:
        if request.form.get("action") != "save":
            return _preview(schedule.preview_confirmation(days, reason, now), form=form, days=sorted(set(days)),
                            title=_("Xác nhận %(count)d ngày", count=len(set(days))), reason=reason,
                            confirm=True, year=year, rejudges=schedule.completed_for_confirmation(days, reason))
        moves = schedule.confirm_days(days, reason, current_user, now, _rejudge_ids())
    except WorkflowError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.calendar", year=year) + "#unconfirmed")
    db.session.commit()
    flash(_("Đã xác nhận %(days)d ngày; %(count)d hồ sơ được đổi hẹn.", days=len(set(days)),
            count=schedule.moved_dossiers(moves)), "success")
    return redirect(url_for("admin.calendar", year=year))


def _rejudge_ids() -> list[int]:
    # The completed dossiers the admin ticked in the preview; anything else is ignored.
    return [int(value) for value in request.form.getlist("rejudge") if value.isdigit()]


def _kind(kind: str) -> str:
    return _("ngày nghỉ") if kind == "off" else _("ngày làm việc")


def _preview(moves, **context):
    return render_template("admin/calendar_preview.html", moves=moves[:PREVIEW_ROWS], total=len(moves),
                           dossier_count=schedule.moved_dossiers(moves),
                           day_length=calendars.current().day_length, **context)


def _year_page(year: int, form: OverrideForm):
    calendar = calendars.current()
    info = calendar.year(year)
    overrides = db.session.scalars(sa.select(CalendarOverride).order_by(CalendarOverride.day.desc()))
    unconfirmed = [(day, source, schedule.confirmation_kind(calendar, day)) for day, source in info.unconfirmed()]
    return render_template("admin/calendar.html", year=year, info=info, months=_months(year, info),
                           form=form, overrides=list(overrides), remove_form=RemoveOverrideForm(),
                           unconfirmed=unconfirmed, confirm_form=ConfirmDaysForm(), source_text=source_text,
                           unconfirmed_days={day for day, _, _ in unconfirmed})


def source_text(source) -> str:
    """Where a day's status comes from, in words, for the grid's titles and the lists."""
    if source is None:
        return ""
    if source.origin == "override":
        return _("Quản trị xác nhận/điều chỉnh: %(reason)s", reason=source.name)
    if source.origin == "library":
        return _("Theo thư viện holidays, chưa xác nhận")
    document = source.document + (f" ({_date_text(source.document_date)})" if source.document_date else "")
    if source.status != "in_force":
        return _("Chưa áp dụng, chờ xác nhận: %(document)s", document=document)
    if source.verified:
        return _("Theo %(document)s, đã đối chiếu", document=document)
    return _("Theo %(document)s, chưa đối chiếu văn bản", document=document)


def _date_text(text: str) -> str:
    try:
        return vn_date(date.fromisoformat(text))
    except ValueError:
        return text


def _months(year: int, info) -> list[tuple[int, list[list[dict | None]]]]:
    """Each month's weeks, Monday first, with how each day is marked (None outside the month)."""
    today, layout = clock.today(), MonthLayout(firstweekday=0)
    return [(month, [[_cell(day, info, today) if day.month == month else None for day in week]
                     for week in layout.monthdatescalendar(year, month)]) for month in range(1, 13)]


def _cell(day, info, today) -> dict:
    cell = _marks(day, info, today)
    source = info.sources.get(day) or info.pending.get(day)
    if source is not None and cell["kind"] not in ("override-off", "override-workday"):
        cell["title"] = f"{cell['title']} — {source_text(source)}" if cell["title"] else source_text(source)
    cell["unconfirmed"] = source is not None and not source.confirmed and day not in info.overrides
    return cell


def _marks(day, info, today) -> dict:
    # Colour AND a letter, so the marks read on a grey-scale print and for colour-blind eyes.
    override = info.overrides.get(day)
    if override is not None and override.kind == "off":
        kind, mark, title = "override-off", "N", _("Nghỉ theo điều chỉnh: %(reason)s", reason=override.reason)
    elif override is not None:
        kind, mark, title = "override-workday", "V", _("Làm việc theo điều chỉnh: %(reason)s", reason=override.reason)
    elif day in info.days_off:
        kind, mark, title = "holiday", "L", info.days_off[day]
    elif day in info.workdays:
        kind, mark, title = "makeup", "B", info.workdays[day]
    else:
        kind, mark, title = ("weekend", "", _("Cuối tuần")) if day.weekday() >= 5 else ("", "", "")
    return {"day": day, "kind": kind, "mark": mark, "title": title, "today": day == today}
