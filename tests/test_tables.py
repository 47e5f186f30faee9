import io
import unicodedata
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import xlsx
from onestop.tables import TableError, parse_decimal, read_table

CATALOGUE_HEADERS = ("Mã TTHC", "Tên TTHC", "Thời hạn", "Phí, lệ phí")


# CSV


def test_semicolon_csv_with_bom_as_excel_writes_it():
    data = (
        "\ufeffMã TTHC;Tên TTHC;Thời hạn;Phí, lệ phí\r\n"
        "1.001193;Đăng ký khai sinh;;Miễn lệ phí\r\n"
        '2.000815; Chứng thực bản sao từ bản chính ;0,5;"2.000 đồng/trang; tối đa 200.000 đồng"\r\n'
    ).encode()
    rows = read_table(data, "danh-muc.csv", required=CATALOGUE_HEADERS)
    assert rows == [
        {"Mã TTHC": "1.001193", "Tên TTHC": "Đăng ký khai sinh", "Thời hạn": "", "Phí, lệ phí": "Miễn lệ phí",
         "_line": "2"},
        {"Mã TTHC": "2.000815", "Tên TTHC": "Chứng thực bản sao từ bản chính", "Thời hạn": "0,5",
         "Phí, lệ phí": "2.000 đồng/trang; tối đa 200.000 đồng", "_line": "3"},
    ]


def test_comma_csv_without_bom_and_with_a_quoted_comma_in_the_header():
    data = 'Mã TTHC,Tên TTHC,Thời hạn,"Phí, lệ phí"\n1.004837,Đăng ký giám hộ,3,Miễn lệ phí\n'.encode()
    rows = read_table(data, "danh-muc.csv", required=CATALOGUE_HEADERS)
    assert [row["Tên TTHC"] for row in rows] == ["Đăng ký giám hộ"]
    assert rows[0]["Phí, lệ phí"] == "Miễn lệ phí"


def test_headers_and_values_are_normalised_to_nfc_and_trimmed():
    decomposed = unicodedata.normalize("NFD", "Mã TTHC;  Tên TTHC \n1.000656;Đăng ký khai tử \n")
    rows = read_table(decomposed.encode(), "x.csv", required=("Mã TTHC", "Tên TTHC"))
    assert rows == [{"Mã TTHC": "1.000656", "Tên TTHC": "Đăng ký khai tử", "_line": "2"}]


def test_empty_rows_are_dropped_and_line_numbers_are_those_of_the_spreadsheet():
    data = "Mã TTHC;Tên TTHC\n\n1.001193;Khai sinh\n;\n1.000656;Khai tử\n".encode()
    assert [row["_line"] for row in read_table(data, "x.csv")] == ["3", "5"]


def test_a_cell_with_several_lines_keeps_them_and_counts_as_one_row():
    data = 'Mã TTHC;Thành phần hồ sơ\r\n1.001193;"Tờ khai\r\nGiấy chứng sinh"\r\n1.000656;Tờ khai\r\n'.encode()
    rows = read_table(data, "x.csv")
    assert rows[0]["Thành phần hồ sơ"] == "Tờ khai\nGiấy chứng sinh"
    assert [row["_line"] for row in rows] == ["2", "3"]


def test_short_rows_get_empty_values():
    rows = read_table("A;B;C\n1\n".encode(), "x.csv")
    assert rows == [{"A": "1", "B": "", "C": "", "_line": "2"}]


def test_csv_not_in_utf8_is_refused_with_a_way_out():
    data = "Mã TTHC;Tên TTHC\n1.001193;Đăng ký khai sinh\n".encode("cp1258", errors="replace")
    with pytest.raises(TableError, match="UTF-8"):
        read_table(data, "x.csv")


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf", "\ufeff;;\n;\n".encode()])
def test_an_empty_file_is_refused(data):
    with pytest.raises(TableError, match="rỗng"):
        read_table(data, "x.csv")


def test_a_header_line_alone_gives_no_rows():
    assert read_table("Mã TTHC;Tên TTHC\n".encode(), "x.csv") == []


def test_missing_required_headers_are_all_named():
    data = "Mã TTHC;Tên\n1.001193;Khai sinh\n".encode()
    with pytest.raises(TableError) as error:
        read_table(data, "x.csv", required=CATALOGUE_HEADERS)
    assert "«Tên TTHC»" in str(error.value) and "«Thời hạn»" in str(error.value)
    assert "«Phí, lệ phí»" in str(error.value) and "«Mã TTHC»" not in str(error.value)


def test_a_repeated_header_is_refused():
    with pytest.raises(TableError, match="«Mã TTHC»"):
        read_table("Mã TTHC;Mã TTHC\n1;2\n".encode(), "x.csv")


def test_title_lines_above_the_header_are_skipped_when_the_headers_are_known():
    data = "SỔ THEO DÕI HỒ SƠ;;\nNăm 2026;;\nMã TTHC;Tên TTHC;Thời hạn\n1.001193;Khai sinh;\n".encode()
    rows = read_table(data, "so.csv", required=("Mã TTHC", "Tên TTHC"))
    assert rows == [{"Mã TTHC": "1.001193", "Tên TTHC": "Khai sinh", "Thời hạn": "", "_line": "4"}]


def test_a_header_broken_over_two_lines_in_its_cell_still_matches():
    data = '"Ngày nhận\nhồ sơ";Mã hồ sơ\n05/03/2026 09:00;X\n'.encode()
    assert read_table(data, "x.csv", required=("Ngày nhận hồ sơ",))[0]["Ngày nhận hồ sơ"] == "05/03/2026 09:00"


def test_binary_garbage_is_refused():
    with pytest.raises(TableError):
        read_table(bytes(range(256)) * 20, "danh-muc.csv")


def test_nul_bytes_in_utf8_text_are_refused():
    with pytest.raises(TableError):
        read_table(b"Ma;Ten\n\x00\x00;x\n", "x.csv")


def test_old_xls_files_are_refused_with_a_way_out():
    with pytest.raises(TableError, match=".xlsx"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "so.xls")


# XLSX


def test_xlsx_rows_with_dates_times_and_numbers_as_text():
    data = xlsx(
        ["Mã hồ sơ", "Ngày nhận hồ sơ", "Ngày hẹn trả", "Giờ", "Số lượng hồ sơ", "Thời hạn", "Ghi chú"],
        ["000.13.31.H57-260305-0001", datetime(2026, 3, 5, 9, 0), datetime(2026, 3, 5), time(9, 30), 2, 0.5, None],
        ["000.13.31.H57-260305-0002", datetime(2026, 3, 5, 10, 15), date(2026, 3, 6), None, 3.0, 45.0, "  bổ sung "],
        formats={"B2": "dd/mm/yyyy hh:mm", "C2": "dd/mm/yyyy", "B3": "dd/mm/yyyy hh:mm", "C3": "dd/mm/yyyy"},
    )
    rows = read_table(data, "so-theo-doi.xlsx", required=("Mã hồ sơ", "Ngày nhận hồ sơ"))
    assert rows == [
        {"Mã hồ sơ": "000.13.31.H57-260305-0001", "Ngày nhận hồ sơ": "2026-03-05T09:00:00",
         "Ngày hẹn trả": "2026-03-05", "Giờ": "09:30:00", "Số lượng hồ sơ": "2", "Thời hạn": "0.5",
         "Ghi chú": "", "_line": "2"},
        {"Mã hồ sơ": "000.13.31.H57-260305-0002", "Ngày nhận hồ sơ": "2026-03-05T10:15:00",
         "Ngày hẹn trả": "2026-03-06", "Giờ": "", "Số lượng hồ sơ": "3", "Thời hạn": "45",
         "Ghi chú": "bổ sung", "_line": "3"},
    ]


def test_excel_time_a_hair_before_the_minute_is_rounded_to_the_second():
    data = xlsx(["Ngày nhận"], [datetime(2026, 3, 5, 8, 59, 59, 999_700)], formats={"A2": "dd/mm/yyyy hh:mm"})
    assert read_table(data, "x.xlsx")[0]["Ngày nhận"] == "2026-03-05T09:00:00"


def test_xlsx_empty_rows_are_dropped_and_line_numbers_kept():
    data = xlsx(["Mã TTHC", "Tên TTHC"], ["1.001193", "Khai sinh"], [None, None], [], ["1.000656", "Khai tử"])
    assert [row["_line"] for row in read_table(data, "x.xlsx")] == ["2", "5"]


def test_xlsx_is_recognised_by_its_content_whatever_its_name():
    data = xlsx(["Mã TTHC"], ["1.001193"])
    assert read_table(data, "danh-muc.csv") == [{"Mã TTHC": "1.001193", "_line": "2"}]


def test_xlsx_headers_are_normalised_and_required_ones_checked():
    data = xlsx([unicodedata.normalize("NFD", " Mã TTHC "), "Tên TTHC"], ["1.001193", "Khai sinh"])
    assert read_table(data, "x.xlsx", required=("Mã TTHC",))[0]["Mã TTHC"] == "1.001193"
    with pytest.raises(TableError, match="«Thời hạn»"):
        read_table(data, "x.xlsx", required=("Mã TTHC", "Thời hạn"))


def test_truncated_xlsx_is_refused():
    data = xlsx(["Mã TTHC", "Tên TTHC"], *[[f"1.{n:06d}", "Thủ tục"] for n in range(200)])
    with pytest.raises(TableError, match="Excel"):
        read_table(data[: len(data) // 2], "danh-muc.xlsx")


def test_garbage_named_xlsx_is_refused():
    with pytest.raises(TableError, match="Excel"):
        read_table(b"this is not a spreadsheet at all", "danh-muc.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(TableError, match="Excel"):
        read_table(buffer.getvalue(), "danh-muc.xlsx")


def test_an_empty_workbook_is_refused():
    with pytest.raises(TableError, match="rỗng"):
        read_table(xlsx(), "x.xlsx")


# Numbers


@pytest.mark.parametrize(
    ("text", "number"),
    [("0,5", Decimal("0.5")), ("0.5", Decimal("0.5")), (" 12 ", Decimal(12)), ("1,25", Decimal("1.25")),
     (",5", Decimal("0.5")), ("-3", Decimal(-3))],
)
def test_decimal_comma_or_point(text, number):
    assert parse_decimal(text) == number


@pytest.mark.parametrize("text", ["", "abc", "1.000,5", "1,2,3", "0,5 ngày", "nan", "1e3"])
def test_what_is_not_a_plain_number_is_refused(text):
    with pytest.raises(ValueError, match="không phải là số"):
        parse_decimal(text)


# The seed catalogue


CATALOGUE_FILE = Path(__file__).parent.parent / "onestop" / "data" / "procedures.csv"
EVERY_CATALOGUE_HEADER = (
    "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Thời hạn", "Đơn vị thời hạn", "Mức độ DVC", "Phí, lệ phí",
    "Thành phần hồ sơ", "Phê duyệt", "Cơ quan phối hợp", "Thời hạn liên thông",
)


def test_the_seed_catalogue_reads_in_the_import_format():
    rows = read_table(CATALOGUE_FILE.read_bytes(), CATALOGUE_FILE.name, required=EVERY_CATALOGUE_HEADER)
    assert len(rows) >= 20
    assert len({row["Mã TTHC"] for row in rows}) == len(rows)
    for row in rows:
        assert (row["Thời hạn"] == "") == (row["Đơn vị thời hạn"] == "trong ngày"), row["Mã TTHC"]
        partners = [code for code in row["Cơ quan phối hợp"].split(";") if code.strip()]
        shares = [parse_decimal(share) for share in row["Thời hạn liên thông"].split(";") if share.strip()]
        assert len(partners) == len(shares), row["Mã TTHC"]
        assert sum(shares) < parse_decimal(row["Thời hạn"] or "0") or not shares, row["Mã TTHC"]


def test_the_seed_catalogue_has_the_monthly_social_allowance_decided_at_the_commune():
    rows = read_table(CATALOGUE_FILE.read_bytes(), CATALOGUE_FILE.name)
    allowance = next(row for row in rows if row["Mã TTHC"] == "1.001776")
    assert (allowance["Thời hạn"], allowance["Đơn vị thời hạn"]) == ("22", "ngày làm việc")
    # No district since 01/07/2025: the commune decides, with no inter-agency leg (issue 14).
    assert (allowance["Cơ quan phối hợp"], allowance["Thời hạn liên thông"]) == ("", "")
