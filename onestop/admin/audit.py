"""Audit pages: the dossier events and the privacy log, filtered in SQL and paginated."""
from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import audit, paging
from ..extensions import db
from ..formatting import parse_user_date
from .views import bp

PER_PAGE = 50


def _filters(*names: str) -> dict:
    """The filters typed in the query string; a malformed date is dropped with a message."""
    values = {name: request.args.get(name, "").strip()[:64] for name in names}
    if values.get("day"):
        try:
            values["day"] = parse_user_date(values["day"])
        except ValueError:
            flash(_("Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy, ví dụ 09/03/2026."), "error")
            values["day"] = None
    return values


def _page(select):
    return db.paginate(select, page=paging.requested_page(), per_page=PER_PAGE, error_out=False)


@bp.get("/events")
def events():
    """Every event of the agency's dossiers, newest first, by dossier code, user, action and day."""
    filters = _filters("code", "username", "action", "day")
    return render_template("admin/events.html", page=_page(audit.events_query(current_user.agency, **filters)),
                           filters=request.args, actions=audit.event_actions())


@bp.get("/privacy-log")
def privacy_log():
    """Who looked at the personal data of which of the agency's dossiers, where, and when."""
    filters = _filters("code", "username", "day")
    return render_template("admin/privacy_log.html", page=_page(audit.views_query(current_user.agency, **filters)),
                           filters=request.args, via_labels=audit.VIA_LABELS)
