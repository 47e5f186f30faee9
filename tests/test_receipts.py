"""The receipt (Form 01), the folder label and the code images behind them, as the desk serves them."""
import html
import io
import re
from datetime import datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from PIL import Image
from pyzbar.pyzbar import decode

from onestop import calendars, codes, dossiers, receipts, settings
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import Agency, Procedure, User

RECEIVED = datetime(2026, 3, 5, 9, 0, tzinfo=VN)  # the pinned "now" of the test app
LAND_OFFICE = "000.00.31.H57"
DOCUMENTS = [
    {"name": "Tờ khai đăng ký khai sinh theo mẫu", "kind": "original", "count": 1},
    {"name": "Giấy chứng sinh", "kind": "copy", "count": 2},
    {"name": "Giấy tờ tùy thân của người yêu cầu", "kind": "certified", "count": 1},
]
NHUNG = dossiers.Applicant(name="Nguyễn Thị Hồng Nhung", id_number="046123456789", phone="0912345678",
                           email="nhung.nguyen@example.vn", address="Thôn Phước Thanh, xã Quảng Thọ")


def receive(app, procedure_code="1.001193", applicant=NHUNG, username="clerk", **intake) -> str:
    """Receive and commit a dossier as the user's agency, at the pinned time; its code."""
    with app.app_context():
        procedure = db.session.scalar(sa.select(Procedure).filter_by(code=procedure_code))
        user = db.session.scalar(sa.select(User).filter_by(username=username))
        dossier = dossiers.receive(procedure, applicant, dossiers.Intake(**intake), agency=user.agency, clerk=user,
                                   now=RECEIVED, calendar=calendars.current())
        db.session.commit()
        return dossier.code


def visible_text(page: str) -> str:
    """What a reader sees: no SVG, scripts or tags, entities decoded, runs of spaces made one."""
    page = re.sub(r"<(svg|script)\b.*?</\1>", "", page, flags=re.S)
    page = re.sub(r"</?(?:p|div|li|tr|td|th|h1|br)\b[^>]*>", " ", page)  # blocks and cells stand apart
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def expected_lookup_url(app, code) -> str:
    with app.test_request_context():
        return receipts.lookup_url(code)


@pytest.fixture
def code(demo):
    with demo.app_context():
        settings.put("contact_phone", "0234 3551 234")
        db.session.commit()
    return receive(demo, documents=DOCUMENTS, quantity=2)


# The receipt


def test_receipt_carries_every_field_of_form_01(client, login, code):
    login("clerk")
    response = client.get(f"/desk/dossiers/{code}/receipt")
    assert response.status_code == 200
    text = visible_text(response.text)
    for expected in [
        # Received in 2026: Circular 03/2025's Form 01, under the commune's public-service centre, no district.
        "Mẫu số 01", "UBND XÃ QUẢNG THỌ", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Quảng Thọ, ngày 05 tháng 03 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {code}",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Hồng Nhung",
        "Địa chỉ: Thôn Phước Thanh, xã Quảng Thọ",
        "Số điện thoại: 0912345678", "Thư điện tử: nhung.nguyen@example.vn",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã 1.001193)",
        "1 Tờ khai đăng ký khai sinh theo mẫu Bản chính 1",
        "2 Giấy chứng sinh Bản sao 2",
        "3 Giấy tờ tùy thân của người yêu cầu Bản sao chứng thực 1",
        "Số lượng hồ sơ: 02 bộ",
        "Thời gian giải quyết hồ sơ theo quy định: Trong ngày",
        "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 05/03/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 05/03/2026",
        "Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công",
        "Phí, lệ phí: Miễn lệ phí khi đăng ký đúng hạn",
        "Quyển số: 2026, Số thứ tự: 1",
        "Điện thoại liên hệ: 0234 3551 234",
        "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", "Lê Thị Thu",
    ]:
        assert expected in text
    assert text.index("NGƯỜI TIẾP NHẬN HỒ SƠ") < text.index("Lê Thị Thu")  # the clerk signs the right box
    assert "HUYỆN" not in text and "BỘ PHẬN TIẾP NHẬN" not in text  # districts were abolished on 01/07/2025


def test_receipt_carries_both_codes_inline_at_natural_size(app, client, login, code):
    login("clerk")
    page = client.get(f"/desk/dossiers/{code}/receipt").text
    assert codes.code128_svg(code) in page
    assert codes.qr_svg(expected_lookup_url(app, code)) in page
    assert 'width="92.400mm"' in page  # the size python-barcode gave it, 0.3 mm modules


def test_receipt_prints_the_processing_time_in_force_at_intake(app, client, login, code):
    with app.app_context():  # the catalogue changes after the dossier was received
        procedure = db.session.scalar(sa.select(Procedure).filter_by(code="1.001193"))
        procedure.deadline_value, procedure.deadline_unit = Decimal(5), "working_days"
        db.session.commit()
    login("clerk")
    text = visible_text(client.get(f"/desk/dossiers/{code}/receipt").text)
    assert "theo quy định: Trong ngày" in text
    assert "5 ngày làm việc" not in text


def test_receipt_of_a_sparse_postal_dossier(client, login, demo):
    code = receive(demo, "1.004837", dossiers.Applicant(name="Trần Văn An"), result_delivery="post")
    login("clerk")
    page = client.get(f"/desk/dossiers/{code}/receipt").text
    text = visible_text(page)
    assert "Thời gian giải quyết hồ sơ theo quy định: 3 ngày làm việc" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 10/03/2026" in text
    assert "Đăng ký nhận kết quả tại: Qua dịch vụ bưu chính công ích" in text
    assert "Số lượng hồ sơ: 01 bộ" in text
    assert "Điện thoại liên hệ" not in text  # no contact phone set
    assert "None" not in text
    assert page.count('class="blank"') == 3  # address, phone and e-mail left to fill in by hand


def test_receipt_is_a_print_page_with_a_print_button_and_no_inline_script(client, login, code):
    login("clerk")
    page = client.get(f"/desk/dossiers/{code}/receipt").text
    assert "<button" in page and "data-print" in page
    assert f'href="/desk/dossiers/{code}"' in page and "Quay lại" in page
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.css\?v=[0-9a-f]{12}">', page)
    assert "/static/css/app.css" not in page  # its own layout, not the staff pages'
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert len(scripts) == 1 and re.fullmatch(r'<script src="/static/js/print\.js\?v=[0-9a-f]{12}" defer>', scripts[0])
    assert re.search(r"\son[a-z]+=", page) is None  # no inline event handlers either


# The folder label


def test_label_has_the_code_procedure_applicant_and_due_date(client, login, demo):
    code = receive(demo, "XA.CT.01")
    login("clerk")
    page = client.get(f"/desk/dossiers/{code}/label").text
    text = visible_text(page)
    assert codes.code128_svg(code) in page
    assert "XA.CT.01 · Chứng thực hợp đồng, giao dịch" in text
    assert "Người nộp: Nguyễn Thị Hồng Nhung" in text
    assert "Hạn giải quyết: 09:00 09/03/2026" in text  # two working days
    assert "data-print" in page and f'href="/desk/dossiers/{code}"' in page


def test_label_shortens_a_long_procedure_name(client, login, demo):
    with demo.app_context():
        procedure = db.session.scalar(sa.select(Procedure).filter_by(code="1.004837"))
        procedure.name = "Đăng ký giám hộ " + "cho người chưa thành niên và người mất năng lực hành vi dân sự " * 4
        db.session.commit()
    code = receive(demo, "1.004837")
    login("clerk")
    line = re.search(r'<p class="procedure"[^>]*>(.*?)</p>', client.get(f"/desk/dossiers/{code}/label").text)[1]
    assert line.endswith("…")
    assert len(line) < 130
    assert not line[:-1].endswith(" ")  # cut between words, not inside one


# Code images


@pytest.mark.parametrize("path, mimetype", [("code128.svg", "image/svg+xml"), ("qr.svg", "image/svg+xml"),
                                            ("code128.png", "image/png"), ("qr.png", "image/png")])
def test_code_images_answer_with_their_mimetype(client, login, code, path, mimetype):
    login("clerk")
    response = client.get(f"/desk/dossiers/{code}/{path}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    if path.endswith(".svg"):
        assert response.text.startswith("<svg")


@pytest.mark.zbar
def test_code_image_pngs_read_back_as_the_code_and_the_lookup_url(app, client, login, code):
    login("clerk")
    code128 = decode(Image.open(io.BytesIO(client.get(f"/desk/dossiers/{code}/code128.png").data)))
    qr = decode(Image.open(io.BytesIO(client.get(f"/desk/dossiers/{code}/qr.png").data)))
    assert [(symbol.type, symbol.data.decode()) for symbol in code128] == [("CODE128", code)]
    assert [(symbol.type, symbol.data.decode()) for symbol in qr] == [("QRCODE", expected_lookup_url(app, code))]
    url = qr[0].data.decode()
    assert f"/tra-cuu/{code}?t=" in url
    assert codes.check_lookup_token(code, url.split("?t=", 1)[1], app.config["SECRET_KEY"])


PRINTABLES = ["receipt", "label", "code128.svg", "code128.png", "qr.svg", "qr.png"]


@pytest.mark.parametrize("path", PRINTABLES)
def test_printables_send_anonymous_users_to_login(client, code, path):
    response = client.get(f"/desk/dossiers/{code}/{path}")
    assert response.status_code == 302
    assert "/auth/login" in response.location


@pytest.mark.parametrize("path", PRINTABLES)
def test_printables_of_another_agencys_dossier_are_not_found(client, login, demo, path):
    with demo.app_context():
        assert db.session.scalar(sa.select(User.agency_id).filter_by(username="partner")) == \
            db.session.scalar(sa.select(Agency.id).filter_by(code=LAND_OFFICE))
    other = receive(demo, username="partner")
    assert other.startswith(LAND_OFFICE)
    login("clerk")
    assert client.get(f"/desk/dossiers/{other}/{path}").status_code == 404


def test_unknown_image_kind_is_not_found(client, login, code):
    login("clerk")
    assert client.get(f"/desk/dossiers/{code}/code128.gif").status_code == 404
