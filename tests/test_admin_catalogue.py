"""/admin/catalogue/: the procedures, searched without accents, and a catalogue file imported all or nothing."""
from io import BytesIO

import sqlalchemy as sa

from onestop.extensions import db
from onestop.models import Procedure

from conftest import xlsx
from test_catalogue import HEADER, csv_bytes


def _procedure(app, code) -> Procedure | None:
    with app.app_context():
        found = db.session.scalar(sa.select(Procedure).where(Procedure.code == code))
        if found is not None:
            db.session.expunge(found)
        return found


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Procedure.id)))


def _upload(client, data: bytes, name: str):
    return client.post("/admin/catalogue/import", data={"file": (BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_the_catalogue_is_listed_and_searched_without_accents(client, login):
    login("admin")
    page = client.get("/admin/catalogue/").text
    assert "1.001193" in page and "Đăng ký khai sinh" in page and "Hộ tịch" in page
    found = client.get("/admin/catalogue/", query_string={"q": "khai sinh"}).text
    assert "Đăng ký khai sinh" in found and "Đăng ký kết hôn" not in found
    by_code = client.get("/admin/catalogue/", query_string={"q": "1.000894"}).text
    assert "Đăng ký kết hôn" in by_code and "Đăng ký khai sinh" not in by_code
    assert "Không có thủ tục nào khớp." in client.get("/admin/catalogue/", query_string={"q": "zzzz"}).text
    assert "Danh mục thủ tục" in client.get("/admin/").text


def test_a_good_file_adds_new_procedures_and_updates_known_ones(app, client, login):
    login("admin")
    before = _count(app)
    data = csv_bytes("1.000001;Thủ tục thử;Chứng thực;0,5;ngày làm việc;3;10.000 đ;không;;",
                     "1.001193;Đăng ký khai sinh (sửa);Hộ tịch;;trong ngày;toàn trình;;có;;")
    response = _upload(client, data, "danh-muc.csv")
    assert response.status_code == 302
    assert "Đã nhập 1 thủ tục mới, cập nhật 1 thủ tục." in client.get(response.location).text
    assert _count(app) == before + 1
    assert _procedure(app, "1.001193").name == "Đăng ký khai sinh (sửa)"


def test_an_xlsx_file_is_imported(app, client, login):
    login("admin")
    data = xlsx(HEADER.split(";"), ["2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", None, "trong ngày",
                                    "2", "2.000 đ/trang", "có", None, None])
    assert _upload(client, data, "danh-muc.xlsx").status_code == 302
    assert _procedure(app, "2.000815").deadline_unit == "same_day"


def test_a_file_with_bad_rows_lists_each_line_and_imports_nothing(app, client, login):
    login("admin")
    before = _count(app)
    data = csv_bytes("1.000001;Tốt;Chứng thực;1;ngày làm việc;3;;;;",
                     "1.001193;Đăng ký khai sinh (sửa);Hộ tịch;;trong ngày;toàn trình;;có;;",
                     "1.000002;Đơn vị sai;Chứng thực;1;tuần;3;;;;",
                     "1.000003;Thời hạn sai;Chứng thực;abc;ngày làm việc;3;;;;",
                     "1.000004;Cơ quan lạ;Đất đai;5;ngày làm việc;3;;;999.99.99.H99;2")
    response = _upload(client, data, "danh-muc.csv")
    assert response.status_code == 422
    assert "Tệp có 3 dòng không hợp lệ; chưa nhập thủ tục nào." in response.text
    assert "Dòng 4: đơn vị thời hạn" in response.text
    assert "Dòng 5: thời hạn “abc” không phải là số" in response.text
    assert "Dòng 6: không có cơ quan mã 999.99.99.H99" in response.text
    assert _count(app) == before and _procedure(app, "1.000001") is None
    assert _procedure(app, "1.001193").name == "Đăng ký khai sinh"  # the good rows were not applied either


def test_a_file_that_is_not_a_table_is_refused(app, client, login):
    login("admin")
    before = _count(app)
    wrong_kind = _upload(client, b"%PDF-1.4", "danh-muc.pdf")
    assert wrong_kind.status_code == 422 and "Chỉ nhận tệp .csv hoặc .xlsx." in wrong_kind.text
    truncated = _upload(client, b"PK\x03\x04garbage", "danh-muc.xlsx")
    assert truncated.status_code == 422 and "Tệp Excel bị hỏng" in truncated.text
    missing = client.post("/admin/catalogue/import", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "Cần chọn tệp để nhập." in missing.text
    assert _count(app) == before


def test_desk_staff_cannot_import_a_catalogue(app, client, login):
    login("leader")
    before = _count(app)
    assert _upload(client, csv_bytes("1.000001;Thử;Chứng thực;1;ngày làm việc;3;;;;"), "a.csv").status_code == 403
    assert _count(app) == before
