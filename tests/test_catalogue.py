"""Importing the procedure catalogue from the files people bring (DESIGN.md §8)."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from conftest import xlsx
from onestop import catalogue, seed
from onestop.extensions import db
from onestop.models import Procedure

HEADER = "Mã TTHC;Tên TTHC;Lĩnh vực;Thời hạn;Đơn vị thời hạn;Mức độ DVC;Phí, lệ phí;Phê duyệt;Cơ quan phối hợp;Thời hạn liên thông"


def csv_bytes(*rows):
    return ("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8")


def count(session):
    return session.scalar(sa.select(sa.func.count(Procedure.id)))


def test_the_seed_catalogue_loads_every_procedure_of_a_commune(session):
    seed.load_demo_agencies()
    result = seed.load_catalogue()
    assert result.created >= 20
    birth = catalogue.find("1.001193")
    assert birth.name == "Đăng ký khai sinh" and birth.deadline_unit == "same_day"
    assert birth.field.name == "Hộ tịch" and birth.documents
    # Since 01/07/2025 the commune decides social assistance itself: no district leg (issue 14).
    allowance = catalogue.find("1.001776")
    assert allowance.route == [] and allowance.field.name == "Bảo trợ xã hội"
    land = catalogue.find("XA.DD.02")
    assert [step.agency.code for step in land.route] == ["000.00.31.H57"]  # the provincial land office's branch
    mediation = catalogue.find("XA.DD.01")
    assert (mediation.deadline_value, mediation.deadline_unit) == (30, "calendar_days")  # Land Law 2024


def test_a_good_csv_with_semicolons_bom_and_half_days_imports(session):
    seed.load_demo_agencies()
    data = csv_bytes("1.000001;Thủ tục thử;Chứng thực;0,5;ngày làm việc;3;10.000 đ;không;;",
                     "1.000002;Thủ tục liên thông;Đất đai;10;ngày làm việc;một phần;;có;000.00.31.H57;4")
    result = catalogue.import_file(data, "danh-muc.csv")
    assert (result.created, result.updated) == (2, 0)
    first = catalogue.find("1.000001")
    assert first.deadline_value == Decimal("0.5") and first.approval_required is False
    assert catalogue.find("1.000002").route[0].share_value == 4


def test_importing_an_existing_code_updates_it(session):
    seed.load_demo_agencies()
    catalogue.import_file(csv_bytes("1.000001;Tên cũ;Chứng thực;1;ngày làm việc;3;;;;"), "a.csv")
    result = catalogue.import_file(csv_bytes("1.000001;Tên mới;Chứng thực;2;ngày làm việc;3;;;;"), "a.csv")
    assert (result.created, result.updated) == (0, 1)
    assert catalogue.find("1.000001").name == "Tên mới" and count(session) == 1


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(session):
    seed.load_demo_agencies()
    data = csv_bytes("1.000001;Tốt;Chứng thực;1;ngày làm việc;3;;;;",
                     "1.000002;Đơn vị sai;Chứng thực;1;tuần;3;;;;",
                     "1.000003;Thời hạn sai;Chứng thực;abc;ngày làm việc;3;;;;",
                     "1.000004;Cơ quan lạ;Đất đai;5;ngày làm việc;3;;;999.99.99.H99;2")
    with pytest.raises(catalogue.CatalogueError) as raised:
        catalogue.import_file(data, "danh-muc.csv")
    lines = dict(raised.value.rows)
    assert set(lines) == {3, 4, 5}
    assert "đơn vị thời hạn" in lines[3] and "không phải là số" in lines[4] and "999.99.99.H99" in lines[5]
    assert count(session) == 0


def test_an_xlsx_catalogue_imports(session):
    data = xlsx(HEADER.split(";"), ["2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", None, "trong ngày",
                                    "2", "2.000 đ/trang", "có", None, None])
    assert catalogue.import_file(data, "danh-muc.xlsx").created == 1
    assert catalogue.find("2.000815").deadline_unit == "same_day"


def test_a_garbage_file_is_refused_with_a_message(session):
    with pytest.raises(catalogue.CatalogueError) as raised:
        catalogue.import_file(b"PK\x03\x04garbage", "danh-muc.xlsx")
    assert str(raised.value)
    assert count(session) == 0


@pytest.mark.parametrize("query", ["khai sinh", "Khai Sinh", "KHAI SINH", "1.001193", "đăng ký khai sinh", "dang ky khai sinh"])
def test_search_is_accent_and_case_insensitive(session, query):
    seed.load_demo_agencies()
    seed.load_catalogue()
    assert "1.001193" in [procedure.code for procedure in catalogue.search(query)]


@pytest.mark.parametrize("unit", ["ngày làm việc", "giờ làm việc"])
def test_zero_working_time_imports_as_a_same_day_deadline(session, unit):
    # Issue 15: 0 working days (or hours) is a same-day deadline wherever it enters.
    seed.load_demo_agencies()
    catalogue.import_file(csv_bytes(f"1.000009;Thủ tục trong ngày;Chứng thực;0;{unit};3;;;;"), "a.csv")
    procedure = catalogue.find("1.000009")
    assert procedure.deadline_unit == "same_day" and procedure.deadline_label == "Trong ngày"


def test_zero_calendar_days_is_still_refused(session):
    seed.load_demo_agencies()
    with pytest.raises(catalogue.CatalogueError):
        catalogue.import_file(csv_bytes("1.000009;Thủ tục;Chứng thực;0;ngày;3;;;;"), "a.csv")
