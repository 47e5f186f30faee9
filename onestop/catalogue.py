"""The procedure catalogue: import from the CSV/XLSX file people bring (DESIGN.md §8), and search."""
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from . import calendars, deadlines
from .collation import vietnamese
from .errors import WorkflowError
from .extensions import db
from .models import Agency, Field, Procedure, RouteStep
from .tables import TableError, parse_decimal, read_table
from .text import fold

MAX_ROWS = 5_000  # a province's whole catalogue is about 2,000 procedures
HEADERS = ("Mã TTHC", "Tên TTHC", "Lĩnh vực", "Thời hạn", "Đơn vị thời hạn", "Mức độ DVC", "Phí, lệ phí")
UNITS = {"ngày làm việc": "working_days", "giờ làm việc": "working_hours", "ngày": "calendar_days",
         "trong ngày": "same_day"}
LEVELS = {"1", "2", "3", "4", "toàn trình", "một phần"}


class CatalogueError(WorkflowError):
    """The file was refused; `rows` lists every bad row as (line, reason)."""

    def __init__(self, message: str, rows: list[tuple[int, str]] = ()):
        super().__init__(message)
        self.rows = list(rows)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


def import_file(data: bytes, filename: str) -> ImportResult:
    """Import or update every procedure of the file, or nothing if any row is bad."""
    try:
        rows = read_table(data, filename, required=HEADERS, max_rows=MAX_ROWS)
    except TableError as error:
        raise CatalogueError(str(error)) from error
    agencies = {code: agency for code, agency in db.session.execute(sa.select(Agency.code, Agency))}
    parsed, problems = [], []
    for row in rows:
        try:
            parsed.append((int(row["_line"]), _parse_row(row, agencies)))
        except ValueError as error:
            problems.append((int(row["_line"]), str(error)))
    _check_duplicates(parsed, problems)
    if problems:
        raise CatalogueError(f"Tệp có {len(problems)} dòng không hợp lệ; chưa nhập thủ tục nào.", sorted(problems))
    if not parsed:
        raise CatalogueError("Tệp không có dòng thủ tục nào.")
    result = ImportResult()
    for _line, values in parsed:
        _save(values, result)
    db.session.flush()
    return result


def search_query(text: str) -> sa.Select:
    """Procedures whose code or name contains every word typed, with or without accents, grouped by field in
    Vietnamese order ("Dân tộc", "Đất đai", "Giáo dục"), by name within a field; sorted in SQL, before paging."""
    query = (sa.select(Procedure).join(Procedure.field)
             .order_by(vietnamese(Field.name), vietnamese(Procedure.name), Procedure.code))
    for word in fold(text).split():
        query = query.where(Procedure.search_key.contains(word, autoescape=True))
    return query


def search(text: str, limit: int = 20) -> list[Procedure]:
    """The first procedures matching the words typed."""
    return list(db.session.scalars(search_query(text).limit(limit)))


def find(code: str) -> Procedure | None:
    """The procedure with exactly this code."""
    return db.session.scalar(_BY_CODE, {"code": (code or "").strip()})


def find_in_force(code: str) -> tuple[Procedure, deadlines.Calendar] | None:
    """The procedure with exactly this code and the calendar in force, read in one query (the API intake)."""
    found = db.session.execute(_BY_CODE_IN_FORCE, {"code": (code or "").strip()}).first()
    return None if found is None else (found.Procedure, calendars.at_stamp(found.calendar_stamp))


# Built once: intake runs them each time.
_BY_CODE = sa.select(Procedure).where(Procedure.code == sa.bindparam("code"))
_BY_CODE_IN_FORCE = _BY_CODE.add_columns(calendars.STAMP_COLUMN)


def _parse_row(row: dict, agencies: dict) -> dict:
    code, name, field = row["Mã TTHC"], row["Tên TTHC"], row["Lĩnh vực"]
    if not code or not name or not field:
        raise ValueError("thiếu mã, tên hoặc lĩnh vực của thủ tục")
    if len(code) > 32:
        raise ValueError(f"mã TTHC “{code[:40]}” dài quá 32 ký tự")
    unit = UNITS.get(row["Đơn vị thời hạn"].lower())
    if unit is None:
        raise ValueError(f"đơn vị thời hạn “{row['Đơn vị thời hạn']}” không hợp lệ "
                         "(ngày làm việc, giờ làm việc, ngày, trong ngày)")
    value = Decimal(0) if unit == "same_day" else _amount(row["Thời hạn"], "thời hạn", zero=unit != "calendar_days")
    if not value:  # 0 working days or hours is a same-day deadline (domain.md §3)
        unit = "same_day"
    level = row["Mức độ DVC"].lower()
    if level and level not in LEVELS:
        raise ValueError(f"mức độ DVC “{row['Mức độ DVC']}” không hợp lệ (1–4, toàn trình, một phần)")
    return dict(code=code, name=name, field=field, deadline_unit=unit, deadline_value=value, online_level=level,
                fee=row["Phí, lệ phí"], documents=_documents(row.get("Thành phần hồ sơ", "")),
                approval_required=_approval(row.get("Phê duyệt", "")), route=_route(row, agencies))


def _amount(text: str, what: str, zero: bool = False) -> Decimal:
    try:
        value = parse_decimal(text)
    except (ValueError, ArithmeticError):
        raise ValueError(f"{what} “{text}” không phải là số") from None
    if (value < 0 if zero else value <= 0) or value * 2 != int(value * 2):
        raise ValueError(f"{what} “{text}” phải là số dương, lẻ tối đa nửa ngày (0,5)")
    return value


def _documents(text: str) -> list[str]:
    return [item.strip() for item in text.replace("\n", ";").split(";") if item.strip()]


def _approval(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("", "có", "không"):
        raise ValueError(f"cột Phê duyệt “{text}” chỉ nhận “có” hoặc “không”")
    return value != "không"


def _route(row: dict, agencies: dict) -> list[tuple[Agency, Decimal]]:
    codes = [code.strip() for code in row.get("Cơ quan phối hợp", "").split(";") if code.strip()]
    shares = [share.strip() for share in row.get("Thời hạn liên thông", "").split(";") if share.strip()]
    if len(codes) != len(shares):
        raise ValueError("số cơ quan phối hợp và số thời hạn liên thông không bằng nhau")
    unknown = [code for code in codes if code not in agencies]
    if unknown:
        raise ValueError(f"không có cơ quan mã {', '.join(unknown)}")
    return [(agencies[code], _amount(share, "thời hạn liên thông")) for code, share in zip(codes, shares)]


def _check_duplicates(parsed: list[tuple[int, dict]], problems: list) -> None:
    seen = set()
    for line, values in parsed:
        if values["code"] in seen:
            problems.append((line, f"mã TTHC {values['code']} đã có ở một dòng trên"))
        seen.add(values["code"])


def _save(values: dict, result: ImportResult) -> None:
    field = db.session.scalar(sa.select(Field).where(Field.name == values["field"]))
    if field is None:
        field = Field(name=values["field"])
        db.session.add(field)
    procedure = find(values["code"])
    if procedure is None:
        procedure = Procedure(code=values["code"])
        db.session.add(procedure)
        result.created += 1
    else:
        result.updated += 1
    route = values.pop("route")
    for key, value in values.items():
        if key != "field":
            setattr(procedure, key, value)
    procedure.field = field
    procedure.route = [RouteStep(position=index, agency=agency, share_value=share)
                       for index, (agency, share) in enumerate(route)]
