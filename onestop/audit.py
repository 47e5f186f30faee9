"""The audit trail: staff views of personal data are logged; events and views are listed for admins."""
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from . import clock, codes, dossiers
from .extensions import db
from .models import Agency, Dossier, Event, PersonalDataView, User

# Endpoints that show an applicant's personal data (Decree 13/2023), and what the log calls them.
PERSONAL_DATA_ENDPOINTS = {
    "desk.show": "desk", "api.dossier": "api", "desk.search": "search", "desk.receipt": "receipt",
    "desk.label": "label", "desk.supplement_slip": "supplement", "desk.refusal_slip": "refusal",
    "desk.apology_slip": "apology", "desk.control": "control", "desk.stop_notice": "stop",
    "files.download": "file", "files.view": "file", "api.dossier_file": "api_file",  # scans of personal papers
}
# Pages and API calls that list many dossiers with personal data: one row per request (what, filters, how many).
LIST_ENDPOINTS = {"api.dossiers": "api_list", "reports.register": "register", "reports.register_file": "register_file"}
LIST_KEY = "personal_data_list"
VIA_LABELS = {
    "desk": _l("Trang hồ sơ"), "api": "API", "search": _l("Kết quả tìm hồ sơ"),
    "api_list": _l("Danh sách hồ sơ qua API"), "register": _l("Sổ theo dõi hồ sơ (trang)"),
    "register_file": _l("Sổ theo dõi hồ sơ (tệp Excel)"),
    "receipt": _l("Giấy tiếp nhận (mẫu 01)"), "label": _l("Nhãn bìa hồ sơ"),
    "supplement": _l("Phiếu yêu cầu bổ sung (mẫu 02)"), "refusal": _l("Phiếu từ chối (mẫu 03)"),
    # The control record is Form 05 of Circular 01/2018 and Form 06 of Circular 03/2025 (onestop/regimes.py).
    "apology": _l("Phiếu xin lỗi (mẫu 04)"), "control": _l("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    "stop": _l("Thông báo dừng giải quyết hồ sơ (mẫu 05)"),
    "file": _l("Tệp số hóa"), "api_file": _l("Tệp số hóa (API)"),
}


def init_app(app):
    """Log personal-data views after each request that showed one."""
    app.after_request(_log_personal_data_view)


def note_list(agency: Agency, count: int) -> None:
    """Say that this request lists `count` dossiers of `agency` with their applicants (logged once it answers)."""
    g.setdefault(LIST_KEY, (agency.id, count))


def _log_personal_data_view(response):
    endpoint = request.endpoint or ""
    via = PERSONAL_DATA_ENDPOINTS.get(endpoint) or LIST_ENDPOINTS.get(endpoint)
    if via is None or response.status_code != 200:
        return response
    viewer = g.get("api_user") if via.startswith("api") else current_user._get_current_object()
    if viewer is None or not getattr(viewer, "id", None):
        return response
    row = {"user_id": viewer.id, "via": via, "at": clock.now(), "address": (request.remote_addr or "")[:45],
           "filters": request.query_string.decode("utf-8", "replace")[:500]}
    if endpoint in LIST_ENDPOINTS:
        agency_id, count = g.get(LIST_KEY, (viewer.agency_id, 0))
        rows = [{**row, "dossier_id": None, "agency_id": agency_id, "count": count}]
    else:
        shown = _shown_dossiers(via, viewer)
        count = len(shown) if via == "search" else None
        rows = [{**row, "dossier_id": dossier_id, "agency_id": None, "count": count} for dossier_id in shown]
    if rows:
        # In a transaction of its own that starts with the write, never the page's read upgraded to a
        # write (database.py); in Core, as the rows need none of the ORM's bookkeeping.
        with db.engine.begin() as connection:
            connection.execute(sa.insert(PersonalDataView.__table__), rows)
    return response


def _shown_dossiers(via: str, viewer: User) -> list[int]:
    """The dossiers whose applicant the response showed: the one in the URL, or each search result."""
    if via == "search":  # the same rows the page listed, each with a name, and found by phone or ID number
        return [dossier.id for dossier in dossiers.search(viewer.agency, request.args.get("q", ""))]
    code = codes.parse_dossier_code((request.view_args or {}).get("code", ""))
    if not code:
        return []
    # The page has just loaded it: take its id from the session rather than ask the database again.
    loaded = (item.id for item in db.session.identity_map.values() if isinstance(item, Dossier) and item.code == code)
    dossier_id = next(loaded, None) or db.session.scalar(sa.select(Dossier.id).where(Dossier.code == code))
    return [dossier_id] if dossier_id else []


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=clock.VN)
    return start, start + timedelta(days=1)


def events_query(agency: Agency, code: str = "", username: str = "", action: str = "", day: date | None = None):
    """The agency's dossier events newest first, narrowed in SQL by dossier code, username, action and local day."""
    select = (sa.select(Event).join(Event.dossier).outerjoin(Event.actor).where(Dossier.agency_id == agency.id)
              .order_by(Event.at.desc(), Event.id.desc()))
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


def views_query(agency: Agency, code: str = "", username: str = "", day: date | None = None):
    """Views of the personal data in the agency's dossiers and reads of its lists, newest first, narrowed in SQL."""
    select = (sa.select(PersonalDataView).outerjoin(PersonalDataView.dossier).join(PersonalDataView.user)
              .where(sa.or_(Dossier.agency_id == agency.id, PersonalDataView.agency_id == agency.id))
              .order_by(PersonalDataView.at.desc(), PersonalDataView.id.desc()))
    if code:
        select = select.where(Dossier.code == (codes.parse_dossier_code(code) or code.strip()))
    if username:
        select = select.where(User.username == username.strip())
    if day:
        start, end = _day_bounds(day)
        select = select.where(PersonalDataView.at >= start, PersonalDataView.at < end)
    return select
