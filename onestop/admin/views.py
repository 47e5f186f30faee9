"""Administration pages, for the `admin` role only."""
from flask import Blueprint, render_template

from ..access import require_role

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_role("admin"))

# (endpoint, label) of each admin page, in the order shown on the admin home.
ADMIN_LINKS: list[tuple[str, str]] = [
    ("admin.calendar", "Lịch làm việc"), ("admin.settings", "Giờ làm việc"), ("agenda.week", "Lịch công tác tuần"),
    ("admin.events", "Nhật ký hồ sơ"), ("admin.privacy_log", "Nhật ký truy cập dữ liệu cá nhân"),
]


@bp.get("/")
def home():
    """What an administrator can look after."""
    return render_template("admin/home.html", admin_links=ADMIN_LINKS)
