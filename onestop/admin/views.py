"""Administration pages, for the `admin` role only."""
from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from ..access import require_role

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_role("admin"))

# (endpoint, label) of each admin page, in the order shown on the admin home.
ADMIN_LINKS = [
    ("admin.users", _l("Tài khoản cán bộ")), ("admin.agencies", _l("Cơ quan")),
    ("admin.catalogue", _l("Danh mục thủ tục")), ("admin.calendar", _l("Lịch làm việc")),
    ("admin.settings", _l("Giờ làm việc")), ("agenda.week", _l("Lịch công tác tuần")),
    ("admin.kiosks", _l("Kiosk tra cứu")), ("admin.events", _l("Nhật ký hồ sơ")),
    ("admin.privacy_log", _l("Nhật ký truy cập dữ liệu cá nhân")),
    ("notifications.outbox", _l("Hộp thư đi")), ("queue.admin", _l("Xếp hàng: dịch vụ và quầy")),
]


@bp.get("/")
def home():
    """What an administrator can look after."""
    return render_template("admin/home.html", admin_links=ADMIN_LINKS)
