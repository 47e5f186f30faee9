"""Issue 16 item 9: a small XLSX that unpacks to millions of cells is refused early, by lines, columns and cells
as well as bytes, for the register and the catalogue, with a Vietnamese message, and nothing is imported."""
import zipfile
from io import BytesIO

import openpyxl
import pytest
import sqlalchemy as sa

from onestop import catalogue, ledger, ledger_import, seed, tables
from onestop.bench import sheets
from onestop.extensions import db
from onestop.models import Dossier, Procedure

ROWS = 300  # the bound the tests set, so that the files stay small and quick


@pytest.fixture
def bounded(monkeypatch):
    monkeypatch.setattr(tables, "MAX_ROWS", ROWS)
    monkeypatch.setattr(catalogue, "MAX_ROWS", ROWS)


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.count(Dossier.id))),
                db.session.scalar(sa.select(sa.func.count(Procedure.id))))


def test_the_bomb_of_the_report_is_small_and_unpacks_under_the_byte_limit():
    data = sheets.bomb(1_000_000, 17)  # 17 million cells
    assert len(data) < 600 * 1024
    unpacked = sum(part.file_size for part in zipfile.ZipFile(BytesIO(data)).infolist())
    assert unpacked < tables.MAX_UNPACKED_BYTES  # the byte limits alone let it through


@pytest.mark.parametrize("importer", ["register", "catalogue"])
def test_a_small_xlsx_of_many_empty_lines_is_refused_by_its_lines(app, demo, bounded, importer):
    header = list(ledger.HEADERS if importer == "register" else catalogue.HEADERS)
    data = sheets.bomb(100_000, 17, header=header)  # 1.7 million cells in ~30 KB
    before = _counts(app)
    with app.app_context(), pytest.raises((ledger_import.LedgerError, catalogue.CatalogueError)) as refused:
        if importer == "register":
            ledger_import.import_file(data, "so.xlsx", seed.home_agency())
        else:
            catalogue.import_file(data, "danh-muc.xlsx")
    assert f"Tệp có hơn {ROWS} dòng (tối đa {ROWS} dòng mỗi tệp)" in str(refused.value)
    assert _counts(app) == before


def test_the_file_is_read_only_as_far_as_the_bound(bounded):
    """A file broken at its very end is refused for its lines: nothing past the bound was read.

    openpyxl itself, opening a sheet without a <dimension>, reads every cell to the end first."""
    data = sheets.bomb(100_000, 17, end=b"<row><c><is>")  # not even XML past the last line
    with pytest.raises(tables.TableError) as refused:
        tables.read_table(data, "so.xlsx")
    assert f"Tệp có hơn {ROWS} dòng" in str(refused.value)


def test_a_line_of_thousands_of_empty_cells_is_refused_by_its_cells(bounded):
    data = sheets.bomb(10, 16_384)  # Excel's last column, on every line
    with pytest.raises(tables.TableError, match="Tệp có quá nhiều ô"):
        tables.read_table(data, "so.xlsx")


def test_text_beyond_the_last_column_allowed_is_refused_with_its_line(bounded):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Mã TTHC", "Tên TTHC"])
    workbook.active.append(["1.000001", "Thủ tục"] + [None] * (tables.MAX_COLUMNS - 2) + ["thừa"])
    buffer = BytesIO()
    workbook.save(buffer)
    with pytest.raises(tables.TableError, match=f"Dòng 2 có dữ liệu ở cột thứ {tables.MAX_COLUMNS + 1}"):
        tables.read_table(buffer.getvalue(), "danh-muc.xlsx")


def test_a_csv_of_too_many_lines_is_refused_too(bounded):
    data = ("Mã TTHC;Tên TTHC\n" + "\n".join(f"1.{n:06d};Thủ tục {n}" for n in range(ROWS + 25))).encode()
    with pytest.raises(tables.TableError, match=f"Tệp có hơn {ROWS} dòng"):
        tables.read_table(data, "danh-muc.csv")


def test_a_file_at_the_bound_is_read_whole(bounded):
    header = ["Mã TTHC", "Tên TTHC"]
    data = sheets.xlsx(header, lambda row, column: f"{row}-{column}", ROWS)
    rows = tables.read_table(data, "danh-muc.xlsx", required=tuple(header))
    assert len(rows) == ROWS and rows[-1]["Tên TTHC"] == f"{ROWS}-1"


def test_xlsx_is_read_as_a_stream(monkeypatch):
    modes = []
    real = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *args, **kwargs: modes.append(kwargs) or real(*args, **kwargs))
    tables.read_table(sheets.xlsx(["a"], lambda row, column: "x", 3), "t.xlsx")
    assert modes and modes[0].get("read_only") is True


def test_the_register_page_refuses_the_bomb_in_vietnamese(app, client, login, bounded):
    login("clerk")
    data = sheets.bomb(100_000, 17, header=list(ledger.HEADERS))
    response = client.post("/reports/register/import", data={"file": (BytesIO(data), "so.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert f"Tệp có hơn {ROWS} dòng" in response.text and "chia thành nhiều tệp" in response.text
    assert _counts(app)[0] == 0


def test_the_catalogue_page_refuses_the_bomb_in_vietnamese(app, client, login, bounded):
    login("admin")
    before = _counts(app)
    data = sheets.bomb(100_000, 17, header=list(catalogue.HEADERS))
    response = client.post("/admin/catalogue/import", data={"file": (BytesIO(data), "danh-muc.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and f"Tệp có hơn {ROWS} dòng" in response.text
    assert _counts(app) == before
