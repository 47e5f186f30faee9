"""The dossier page tells the truth: who holds it now, and a badge that says where it stands."""
import re

import pytest

from lifecycle import build
from onestop.extensions import db


def holder_and_badge(client, code):
    page = client.get(f"/desk/dossiers/{code}").text
    holder = re.search(r'<dd id="holder">(.*?)</dd>', page, re.S)
    badge = re.search(r'id="status-badge">(.*?)</span>', page, re.S).group(1)
    return (" ".join(holder.group(1).split()) if holder else None), badge


@pytest.mark.parametrize(("state", "holder", "badge"), [
    ("received", "Lê Thị Thu (UBND xã Quảng Thọ)", "Đã tiếp nhận"),
    ("awaiting_approval", "Lãnh đạo UBND xã Quảng Thọ (chờ phê duyệt)", "Chờ phê duyệt"),
    ("approved", "Trần Văn Hùng (UBND xã Quảng Thọ)", "Đã phê duyệt"),
    ("at_partner", "Chi nhánh Văn phòng Đăng ký đất đai thành phố Huế tại Quảng Thọ (cơ quan phối hợp)", "Đang liên thông"),
    ("result_ready", "Bộ phận Tiếp nhận và Trả kết quả (chờ trả)", "Đã có kết quả, chờ trả"),
    ("returned", None, "Đã trả kết quả"),
])
def test_the_page_names_who_holds_the_dossier_now(app, client, login, state, holder, badge):
    with app.app_context():
        code = build(state).code
        db.session.commit()
    login("leader")
    assert holder_and_badge(client, code) == (holder, badge)
