"""The audit trail: staff views of personal data are logged; events and views are listed for admins."""
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import g, request
from flask_login import current_user

from . import clock, codes
from .extensions import db
from .models import Dossier, Event, PersonalDataView, User

# Endpoints that show an applicant's personal data, and what the log calls them.
PERSONAL_DATA_ENDPOINTS = {"desk.show": "desk", "api.dossier": "api"}


def init_app(app):
    """Log personal-data views after each request that showed one."""
    app.after_request(_log_personal_data_view)


def _log_personal_data_view(response):
    via = PERSONAL_DATA_ENDPOINTS.get(request.endpoint or "")
    if via is None or response.status_code != 200:
        return response
    viewer = g.get("api_user") if via == "api" else current_user._get_current_object()
    code = codes.parse_dossier_code((request.view_args or {}).get("code", ""))
    dossier_id = db.session.scalar(sa.select(Dossier.id).where(Dossier.code == code)) if code else None
    if viewer is not None and getattr(viewer, "id", None) and dossier_id:
        db.session.add(PersonalDataView(user_id=viewer.id, dossier_id=dossier_id, via=via, at=clock.now(),
                                        address=(request.remote_addr or "")[:45]))
        db.session.commit()  # a GET commits nothing else: the log row is this request's only write
    return response


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=clock.VN)
    return start, start + timedelta(days=1)


def events_query(code: str = "", username: str = "", action: str = "", day: date | None = None):
    """Events newest first, narrowed in SQL by dossier code, actor's username, action and local day."""
    select = sa.select(Event).join(Event.dossier).outerjoin(Event.actor).order_by(Event.at.desc(), Event.id.desc())
    if code:
        select = select.where(Dossier.code == (codes.parse_dossier_code(code) or code.strip()))
    if username:
        select = select.where(User.username == username.strip())
    if action:
        select = select.where(Event.action == action)
    if day:
        start, end = _day_bounds(day)
        select = select.where(Event.at >= start, Event.at < end)
    return select


def event_actions() -> list[str]:
    """The actions present in the log, for the filter's choices."""
    return list(db.session.scalars(sa.select(Event.action).distinct().order_by(Event.action)))


def views_query(code: str = "", username: str = "", day: date | None = None):
    """Personal-data views newest first, narrowed in SQL like the events."""
    select = (sa.select(PersonalDataView).join(PersonalDataView.dossier).join(PersonalDataView.user)
              .order_by(PersonalDataView.at.desc(), PersonalDataView.id.desc()))
    if code:
        select = select.where(Dossier.code == (codes.parse_dossier_code(code) or code.strip()))
    if username:
        select = select.where(User.username == username.strip())
    if day:
        start, end = _day_bounds(day)
        select = select.where(PersonalDataView.at >= start, PersonalDataView.at < end)
    return select
