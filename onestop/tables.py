"""Reading the spreadsheets people bring (catalogue, register): CSV or XLSX, into rows of text (DESIGN.md §8)."""
import csv
import io
import re
import unicodedata
import warnings
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import openpyxl
from openpyxl.worksheet import _reader as openpyxl_sheet_reader
from openpyxl.worksheet.dimensions import SheetDimension

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
BOM = b"\xef\xbb\xbf"
# Bounds on what one import may cost: a district's register of a year is a few MB as CSV, and an XLSX
# of a few MB can unpack to gigabytes (a "zip bomb") that openpyxl would try to hold in memory.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# Bytes are not enough: 600 KB of XLSX can hold 17 million empty cells, which take a minute to parse.
# The lines and columns of a file are bounded too, checked while the file is read (never unpacked
# whole), so a file is refused after no more work than the largest file accepted (measured by
# `make bench`). A register of 20,000 dossiers is a district desk's year; the catalogue has ~2,000.
MAX_ROWS = 20_000
MAX_COLUMNS = 30  # the register has 17 columns, the catalogue 11
TITLE_LINES = 20  # lines a file may have above its header (see _header_index)
LINE_KEY = "_line"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)")
_QUOTED = re.compile(r'"[^"]*"')
_FORMAT_LITERALS = re.compile(r'\[[^\]]*\]|"[^"]*"')


def _dimensions_before_the_data(parser):
    """A sheet's <dimension>, looked for only above its data, where the file format puts it.

    openpyxl's own version (3.1.5) waits for the end of <sheetData> before giving up, so opening a sheet
    without a <dimension> in read-only mode parses every cell first: 17 million of them for a 300 KB file.
    """
    for _event, element in openpyxl_sheet_reader.iterparse(parser.source, events=("start",)):
        if element.tag == openpyxl_sheet_reader.DIMENSION_TAG:
            return SheetDimension.from_tree(element).boundaries
        if element.tag == openpyxl_sheet_reader.DATA_TAG:
            return None
    return None


openpyxl_sheet_reader.WorkSheetParser.parse_dimensions = _dimensions_before_the_data


class TableError(ValueError):
    """A file that cannot be read as a table; the message is for the person who brought it."""


def read_table(data: bytes, filename: str, required: tuple[str, ...] = (),
               max_rows: int | None = None) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as dicts keyed by header, each with its line number under `_line`."""
    max_rows = max_rows or MAX_ROWS
    if len(data) > MAX_FILE_BYTES:
        raise TableError(f"Tệp quá lớn ({_megabytes(len(data))} MB, tối đa {_megabytes(MAX_FILE_BYTES)} MB): "
                         "hãy chia thành nhiều tệp nhỏ hơn rồi nhập từng tệp.")
    if not data.strip() or data.strip() == BOM:
        raise TableError("Tệp rỗng, không có dữ liệu.")
    if data.startswith(OLE_MAGIC):
        raise TableError("Tệp Excel 97-2003 (.xls) không được hỗ trợ: hãy lưu lại thành .xlsx hoặc CSV UTF-8.")
    if data.startswith(ZIP_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        lines = _xlsx_lines(data, max_rows)
    else:
        lines = _csv_lines(data, max_rows)
    return _rows(lines, required)


def parse_decimal(text: str) -> Decimal:
    """A number written with a decimal comma or point, such as `0,5` or `0.5`."""
    cleaned = text.strip()
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(f"«{text}» không phải là số (viết phần thập phân sau dấu phẩy, ví dụ 0,5).")
    return Decimal(cleaned.replace(",", "."))


def _bounded(lines, max_rows: int, text=str) -> list[list[str]]:
    """The lines read one by one, refused as soon as there are too many lines, columns or cells.

    Cells past MAX_COLUMNS count (empty, they are dropped) so that a line of 16,384 formatted empty
    cells costs its share of the budget; one with text there is refused.
    """
    kept, budget = [], (max_rows + TITLE_LINES) * MAX_COLUMNS
    for number, cells in enumerate(lines, start=1):
        if number > max_rows + TITLE_LINES:
            raise TableError(f"Tệp có hơn {_count(max_rows)} dòng (tối đa {_count(max_rows)} dòng mỗi tệp): "
                             "hãy chia thành nhiều tệp nhỏ hơn rồi nhập từng tệp.")
        budget -= len(cells)
        if budget < 0:
            raise TableError(f"Tệp có quá nhiều ô (tối đa {_count(max_rows)} dòng × {MAX_COLUMNS} cột): "
                             "hãy xoá các cột và dòng thừa, hoặc chia thành nhiều tệp nhỏ hơn.")
        extra = next((index for index in range(MAX_COLUMNS, len(cells)) if _has_value(cells[index])), None)
        if extra is not None:
            raise TableError(f"Dòng {number} có dữ liệu ở cột thứ {extra + 1}; tệp chỉ được có tối đa "
                             f"{MAX_COLUMNS} cột. Hãy xoá các cột thừa rồi gửi lại.")
        kept.append([text(cell) for cell in cells[:MAX_COLUMNS]])
    return kept


def _has_value(cell) -> bool:
    value = getattr(cell, "value", cell)  # an openpyxl cell, or a CSV field
    return value is not None and value != ""


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")  # 20.000, as Vietnamese writes it


def _csv_lines(data: bytes, max_rows: int) -> list[list[str]]:
    """The cells of a CSV file, line by line, with the separator taken from its header line."""
    try:
        text = data.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError:
        raise TableError(
            "Tệp CSV không được lưu ở bảng mã UTF-8. Trong Excel, hãy lưu tệp với kiểu «CSV UTF-8 (Comma delimited)» "
            "rồi gửi lại."
        ) from None
    if "\x00" in text:
        raise TableError("Tệp không phải là bảng CSV hay Excel đọc được.")
    try:
        return _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text)), max_rows)
    except csv.Error as error:
        raise TableError(f"Tệp CSV bị lỗi định dạng: {error}.") from None


def _separator(text: str) -> str:
    """`;` when the header line has more of them than commas, as Excel writes in a Vietnamese locale."""
    # Quoted cells go first: a header such as "Phí, lệ phí" or one broken over two lines is one cell.
    unquoted = _QUOTED.sub("", text[:65536])
    header = next((line for line in unquoted.splitlines() if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0")


def _check_unpacked_size(data: bytes) -> None:
    """Refuse an XLSX whose parts unpack to more than MAX_UNPACKED_BYTES, before anything is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # zipfile stops reading a part at its declared size, so a lying header cannot get round this.
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        return  # not a readable zip: openpyxl's refusal below says the file is damaged
    if unpacked > MAX_UNPACKED_BYTES:
        raise TableError(f"Tệp Excel quá lớn khi giải nén ({_megabytes(unpacked)} MB, tối đa "
                         f"{_megabytes(MAX_UNPACKED_BYTES)} MB): hãy chia thành nhiều tệp nhỏ hơn rồi nhập từng tệp.")


def _xlsx_lines(data: bytes, max_rows: int) -> list[list[str]]:
    """The cells of the first sheet of an XLSX file as text, line by line, read as a stream (read-only mode)."""
    _check_unpacked_size(data)
    try:
        # openpyxl warns about parts of Excel files it skips (styles, validation); nothing we read.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                # Some programs write a wrong size into the sheet; read every row that is there.
                sheet.reset_dimensions()
                return _bounded(sheet.iter_rows(), max_rows, _cell_text)
            finally:
                workbook.close()
    except TableError:
        raise
    except Exception:  # noqa: BLE001 - a damaged file makes openpyxl, zipfile or the XML parser raise anything
        raise TableError(
            "Tệp Excel bị hỏng hoặc không phải tệp .xlsx (tệp .ods hay .xls: hãy lưu lại thành .xlsx)."
        ) from None


def _cell_text(cell) -> str:
    """What a cell holds, as text: dates in ISO form, whole numbers without `.0`."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        value = _nearest_second(value)
        return value.date().isoformat() if _shows_date_only(cell) else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    return str(value)


def _nearest_second(moment: datetime) -> datetime:
    """Excel keeps times as fractions of a day, so 09:00 can come back as 08:59:59.999999."""
    return (moment + timedelta(microseconds=500_000)).replace(microsecond=0)


def _shows_date_only(cell) -> bool:
    """Whether the cell's number format shows no hours, minutes or seconds."""
    number_format = _FORMAT_LITERALS.sub("", getattr(cell, "number_format", "") or "").lower()
    return "h" not in number_format and "s" not in number_format


def _rows(lines: list[list[str]], required: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows keyed by the header line's names, without empty ones, checking the required headers."""
    numbered = [(number, [_clean(cell) for cell in cells]) for number, cells in enumerate(lines, start=1)]
    numbered = [(number, cells) for number, cells in numbered if any(cells)]
    if not numbered:
        raise TableError("Tệp rỗng, không có dữ liệu.")
    header_at = _header_index(numbered, required)
    headers = [_header(name) for name in numbered[header_at][1]]
    _check_headers(headers, required)
    rows = []
    for number, cells in numbered[header_at + 1:]:
        row = {name: cells[index] if index < len(cells) else "" for index, name in enumerate(headers) if name}
        if any(row.values()):
            rows.append({**row, LINE_KEY: str(number)})
    return rows


def _header_index(numbered: list[tuple[int, list[str]]], required: tuple[str, ...]) -> int:
    """The first line that has every required header, else the first line; title lines above it are skipped."""
    wanted = {_header(name) for name in required}
    for index, (_, cells) in enumerate(numbered[:20]):
        if wanted <= {_header(cell) for cell in cells}:
            return index
    return 0


def _check_headers(headers: list[str], required: tuple[str, ...]) -> None:
    """Refuse a header line that lacks a required name or repeats one."""
    missing = [name for name in required if _header(name) not in headers]
    if missing:
        listed = ", ".join(f"«{name}»" for name in missing)
        raise TableError(f"Tệp thiếu cột bắt buộc: {listed}. Dòng tiêu đề phải có đúng các tên cột này.")
    named = [name for name in headers if name]
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        raise TableError(f"Cột {', '.join(f'«{name}»' for name in repeated)} xuất hiện nhiều lần.")


def _clean(text: str) -> str:
    """Text in NFC form, trimmed, with Windows line ends inside a cell made plain."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


def _header(text: str) -> str:
    """A column name as we compare it: NFC, trimmed, and a line break typed inside the cell (Alt+Enter) as a space."""
    return " ".join(unicodedata.normalize("NFC", text).split())
