"""Excel workbooks: the statistics form and the register, numbers and dates written as values (no formulas).

Every text goes in as text, whatever it starts with: an applicant named "=HYPERLINK(...)" or a note
"+84..." is shown as typed in Excel and LibreOffice, never computed (formula injection, issue 16)."""
from datetime import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..clock import VN
from . import form06

THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT_WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
# One object per look: openpyxl hashes each new style object, a cost paid per cell on 150 sheets.
HEAD_FONT = Font(name="Times New Roman", bold=True, size=10)
LINE_FONT, TOTAL_FONT = Font(name="Times New Roman", size=11), Font(name="Times New Roman", bold=True, size=11)
FIRST_TABLE_ROW = 7
# What makes Excel or LibreOffice read typed text as a formula (or a DDE call) once the cell is edited.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def tthc_xlsx(report, reporting_body: str, receiver: str = "") -> bytes:
    """One sheet with the summed form, then one sheet per agency when the agency has children."""
    workbook = Workbook()
    sheet = workbook.active
    _fill(sheet, report.summary, reporting_body, receiver, title="Tổng hợp")
    for unit in report.units:
        _fill(workbook.create_sheet(), unit, unit.agency_name, receiver, title=unit.agency_code)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet, table, reporting_body: str, receiver: str, title: str) -> None:
    sheet.title = title[:31]
    _print_setup(sheet)
    last = get_column_letter(13)
    _write(sheet, 1, 1, form06.FORM_NAME)
    sheet["A1"].font = Font(name="Times New Roman", italic=True)
    sheet.merge_cells(f"A2:{last}2")
    _write(sheet, 2, 1, form06.TITLE)
    sheet["A2"].font = Font(name="Times New Roman", bold=True, size=13)
    sheet["A2"].alignment = WRAP
    sheet.row_dimensions[2].height = 36
    sheet.merge_cells(f"A3:{last}3")
    _write(sheet, 3, 1, f"Kỳ báo cáo: {table.period.label}")
    sheet["A3"].alignment = WRAP
    _write(sheet, 4, 1, f"Đơn vị báo cáo: {reporting_body}")
    _write(sheet, 4, 8, f"Đơn vị nhận báo cáo: {receiver}" if receiver else None)
    _write(sheet, 5, 1, form06.UNIT)
    _grid(sheet, table)


def _grid(sheet, table) -> None:
    top = FIRST_TABLE_ROW
    for offset, cells in enumerate(form06.HEADER_ROWS):
        for column, text in enumerate(cells, start=1):
            cell = _write(sheet, top + offset, column, text or None)
            cell.font, cell.alignment, cell.border = HEAD_FONT, WRAP, GRID
    for r1, c1, r2, c2 in form06.MERGES:
        sheet.merge_cells(start_row=top + r1, start_column=c1 + 1, end_row=top + r2, end_column=c2 + 1)
    lines = form06.body_rows(table)
    first = top + len(form06.HEADER_ROWS)
    for offset, values in enumerate(lines):
        is_total = offset == len(lines) - 1
        for column, value in enumerate(values, start=1):
            cell = _write(sheet, first + offset, column, value if value != "" else None)
            cell.border, cell.font = GRID, TOTAL_FONT if is_total else LINE_FONT
            cell.alignment = LEFT_WRAP if column == 2 else WRAP
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 30
    for column in range(3, 14):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.row_dimensions[top + 2].height = 75
    sheet.freeze_panes = sheet.cell(first, 3)


def _print_setup(sheet) -> None:
    """A4 landscape, every column on the page's width (as many pages down as it takes)."""
    sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def register_xlsx(lines, headers: tuple[str, ...], agency_name: str, period_label: str, form_label: str = "") -> bytes:
    """The register (Form 06 of 2018, Form 07 of 2025; A4 landscape) of a period; dates are real Excel dates in
    Vietnam time. `form_label` (row 4) names the form of the period's regime; each line names its own."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sổ theo dõi hồ sơ"
    sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    last = get_column_letter(len(headers))
    for row, text, size in ((1, agency_name.upper(), 12), (2, "SỔ THEO DÕI HỒ SƠ", 14), (3, period_label, 11)):
        sheet.merge_cells(f"A{row}:{last}{row}")
        _write(sheet, row, 1, text)
        sheet[f"A{row}"].font = Font(name="Times New Roman", bold=row < 3, size=size)
        sheet[f"A{row}"].alignment = Alignment(horizontal="center")
    if form_label:
        _write(sheet, 4, len(headers), form_label)
        sheet[f"{last}4"].font = Font(name="Times New Roman", bold=True, size=10)
        sheet[f"{last}4"].alignment = Alignment(horizontal="right")
    top = 5
    for column, name in enumerate(headers, start=1):
        cell = _write(sheet, top, column, name)
        cell.font, cell.alignment, cell.border = Font(name="Times New Roman", bold=True, size=10), WRAP, GRID
    for offset, line in enumerate(lines, start=1):
        for column, value in enumerate(line.cells, start=1):
            cell = _write(sheet, top + offset, column, _excel_value(value))
            cell.border = GRID
            if isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
    for column, width in enumerate((6, 26, 11, 30, 8, 22, 28, 24, 15, 15, 15, 15, 15, 16, 20, 11, 18, 24), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(top + 1, 3)
    sheet.print_title_rows = f"{top}:{top}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(sheet, row: int, column: int, value):
    """Put a value in a cell; text stays text even when it starts like a formula."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl makes any text starting with "=" a formula
        cell.quotePrefix = True  # Excel's leading apostrophe: editing the cell keeps it text
    return cell


def _excel_value(value):
    # Excel has no time zones: write the Vietnam wall-clock time the desk reads.
    if isinstance(value, datetime):
        return value.astimezone(VN).replace(tzinfo=None)
    return None if value == "" else value
