"""Importing a register file (DESIGN.md §8): history from paper or another system, all rows or none."""
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

import sqlalchemy as sa

from . import codes, counters
from .clock import VN, local
from .errors import WorkflowError
from .extensions import db
from .ledger import HEADERS, STATED_STATUSES
from .models import (
    CHANNEL_LABELS, STATUS_LABELS, Agency, Dossier, DossierStatus, Event, Leg, Pause, Procedure, Timeliness,
)
from .tables import TableError, read_table

DAY_END = time(17, 0)  # a date without a time means the end of the working day (DESIGN.md §8)
PHONE = re.compile(r"^\+?[\d .()-]{8,20}$")
CHANNELS = {label.lower(): channel for channel, label in CHANNEL_LABELS.items()}
STATUSES = {label.lower(): status for status, label in STATUS_LABELS.items()}


class LedgerError(WorkflowError):
    """The file was refused; `rows` lists every bad row as (line, reason)."""

    def __init__(self, message: str, rows: list[tuple[int, str]] = ()):
        super().__init__(message)
        self.rows = list(rows)


@dataclass
class Row:
    line: int
    values: dict


def import_file(data: bytes, filename: str, agency: Agency, also: Iterable[Agency] = ()) -> int:
    """Add every dossier of the file to `agency`'s desk, or none if any row is bad; returns how many.

    A code in the dossier-code shape must be of `agency` (or of one in `also`, those its importer
    administers): another agency's code would stop that agency's intake the day its counter reaches it.
    """
    try:
        rows = read_table(data, filename, required=HEADERS)
    except TableError as error:
        raise LedgerError(str(error)) from error
    procedures = {p.code: p for p in db.session.scalars(sa.select(Procedure))}
    owners = {agency.code: agency, **{other.code: other for other in also}}
    parsed, problems, seen = [], [], set()
    for row in rows:
        line = int(row["_line"])
        try:
            values = _parse(row, procedures)
            _check_owner(values["code"], agency, owners)
            if values["code"] in seen:
                raise ValueError(_taken_message(values["code"]))
            seen.add(values["code"])
            parsed.append(Row(line, values))
        except ValueError as error:
            problems.append((line, str(error)))
    _advance_counters(parsed, owners)  # first: an intake of those days now waits for this import
    problems = sorted(problems + _already_taken(parsed))
    if problems:
        raise LedgerError(f"Tệp có {len(problems)} dòng không hợp lệ; chưa nhập hồ sơ nào.", problems)
    if not parsed:
        raise LedgerError("Tệp không có dòng hồ sơ nào.")
    known = _known_agencies()
    for row in parsed:
        _save(row.values, agency, known)
    db.session.flush()
    return len(parsed)


def _taken_message(code: str) -> str:
    return f"mã hồ sơ {code} đã có (trong hệ thống hoặc ở dòng trước)"


def _check_owner(code: str, agency: Agency, owners: dict[str, Agency]) -> None:
    parts = codes.dossier_code_parts(code)
    if parts is not None and parts.agency not in owners:
        raise ValueError(f"mã hồ sơ {code} mang mã cơ quan {parts.agency}, không phải của {agency.name} "
                         f"({agency.code}): chỉ nhập hồ sơ do chính cơ quan mình tiếp nhận")


def _advance_counters(parsed: list[Row], owners: dict[str, Agency]) -> None:
    """Move each day's code counter past the imported numbers, so intake goes on after them."""
    numbers = defaultdict(set)
    for row in parsed:
        parts = codes.dossier_code_parts(row.values["code"])
        if parts is not None and parts.day is not None:
            numbers[(owners[parts.agency].id, f"code:{parts.day}")].add(parts.number)
    for (agency_id, key), taken in sorted(numbers.items()):  # one order for every caller: no crosswise waits
        counters.advance_past(agency_id, key, taken)


def _already_taken(parsed: list[Row], chunk: int = 500) -> list[tuple[int, str]]:
    wanted = [row.values["code"] for row in parsed]
    existing = set()
    for start in range(0, len(wanted), chunk):
        batch = wanted[start:start + chunk]
        existing.update(db.session.scalars(sa.select(Dossier.code).where(Dossier.code.in_(batch))))
    return [(row.line, _taken_message(row.values["code"])) for row in parsed if row.values["code"] in existing]


def parse_moment(text: str, what: str) -> datetime | None:
    """'dd/mm/yyyy HH:MM' local time, a date alone (17:00), or the ISO form an Excel date is read as."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=VN)
        except ValueError:
            continue
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.combine(datetime.strptime(text, pattern).date(), DAY_END, VN)
        except ValueError:
            continue
    raise ValueError(f"{what} «{text}» không hợp lệ (cần dd/mm/yyyy HH:MM hoặc dd/mm/yyyy)")


def _parse(row: dict, procedures: dict) -> dict:
    code, name = row["Mã hồ sơ"], row["Tên cá nhân, tổ chức"]
    # A code is the agency's e-ID (≤ 35 characters, Decision 20/2020/QĐ-TTg), the day and the number (DESIGN.md §3).
    if not code or len(code) > 64 or not code.isascii():
        raise ValueError("thiếu mã hồ sơ, hoặc mã dài quá 64 ký tự, hoặc có ký tự ngoài bảng ASCII")
    code = codes.parse_dossier_code(code) or code  # `…-1` is `…-0001`, as the desk and the kiosk read it
    if not name:
        raise ValueError("thiếu tên cá nhân, tổ chức")
    procedure = procedures.get(row["Mã TTHC"])
    if procedure is None:
        raise ValueError(f"mã TTHC «{row['Mã TTHC']}» không có trong danh mục (nhập danh mục trước)")
    received = parse_moment(row["Ngày nhận hồ sơ"], "ngày nhận hồ sơ")
    due = parse_moment(row["Ngày hẹn trả kết quả"], "ngày hẹn trả kết quả")
    if received is None or due is None:
        raise ValueError("thiếu ngày nhận hồ sơ hoặc ngày hẹn trả kết quả")
    sent = parse_moment(row["Ngày chuyển hồ sơ"], "ngày chuyển hồ sơ")
    completed = parse_moment(row["Ngày nhận kết quả"], "ngày nhận kết quả")
    returned = parse_moment(row["Ngày trả kết quả"], "ngày trả kết quả")
    status = _status(row.get("Trạng thái", ""), completed or returned, returned)
    completed = completed or (returned if status in (DossierStatus.REFUSED, DossierStatus.WITHDRAWN,
                                                     DossierStatus.STOPPED) else None)
    if returned and not completed:
        raise ValueError("có ngày trả kết quả nhưng thiếu ngày nhận kết quả")
    for later, earlier, what in ((due, received, "ngày hẹn trả kết quả sớm hơn ngày nhận hồ sơ"),
                                 (completed, received, "ngày nhận kết quả sớm hơn ngày nhận hồ sơ"),
                                 (returned, completed, "ngày trả kết quả sớm hơn ngày nhận kết quả"),
                                 (sent, received, "ngày chuyển hồ sơ sớm hơn ngày nhận hồ sơ")):
        if later and earlier and later < earlier:
            raise ValueError(what)
    channel = CHANNELS.get((row.get("Kênh") or "trực tiếp").lower())
    if channel is None:
        raise ValueError(f"kênh «{row['Kênh']}» không hợp lệ (trực tiếp, trực tuyến hoặc bưu chính)")
    return dict(code=code, name=name, procedure=procedure, quantity=_quantity(row["Số lượng hồ sơ"]),
                contact=row["Địa chỉ, số điện thoại"], lead=row["Cơ quan chủ trì giải quyết"], received=received,
                due=due, sent=sent, completed=completed, returned=returned, status=status, channel=channel,
                signed_by=row["Ký nhận"], note=row["Ghi chú"])


def _quantity(text: str) -> int:
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise ValueError(f"số lượng hồ sơ «{text}» phải là số nguyên từ 1 đến 1000")
    return int(text)


def _status(text: str, completed, returned) -> DossierStatus:
    if text:
        stated = STATUSES.get(text.lower())
        if stated not in STATED_STATUSES:
            raise ValueError(f"trạng thái «{text}» không hợp lệ: chỉ ghi «Từ chối giải quyết», «Công dân rút hồ sơ», "
                             "«Dừng giải quyết» hoặc «Chờ bổ sung»")
        if stated == DossierStatus.AWAITING_SUPPLEMENT:
            if completed is not None:
                raise ValueError("hồ sơ chờ bổ sung không có ngày nhận hoặc trả kết quả")
            return stated
        if completed is None:
            raise ValueError("hồ sơ từ chối hoặc rút cần ngày kết thúc (ngày nhận hoặc ngày trả kết quả)")
        return stated
    if returned:
        return DossierStatus.RETURNED
    return DossierStatus.RESULT_READY if completed else DossierStatus.PROCESSING


def _save(values: dict, agency: Agency, known: dict) -> Dossier:
    lead = _lead_agency(values["lead"], agency, known)
    address, phone = _split_contact(values["contact"])
    status = values["status"]
    if lead != agency and status == DossierStatus.PROCESSING and values["sent"]:
        status = DossierStatus.AT_PARTNER
    dossier = Dossier(
        code=values["code"], procedure=values["procedure"], agency=agency, holder_agency=agency,
        applicant_name=values["name"], applicant_address=address, applicant_phone=phone,
        channel=values["channel"], quantity=values["quantity"], note=values["note"],
        deadline_value=values["procedure"].deadline_value, deadline_unit=values["procedure"].deadline_unit,
        received_at=values["received"], due_at=values["due"], promised_at=values["due"],
        completed_at=values["completed"], returned_at=values["returned"], returned_to=values["signed_by"],
        status=status, timeliness=_timeliness(values["completed"], values["due"]),
        book_number=str(local(values["received"]).year),
        ledger_number=counters.next_number(agency.id, f"ledger:{local(values['received']).year}"))
    db.session.add(dossier)
    if lead != agency:  # another lead agency: an inter-agency dossier with one leg (DESIGN.md §8)
        db.session.add(Leg(dossier=dossier, partner=lead, sent_at=values["sent"] or values["received"],
                           due_at=values["due"], returned_at=values["completed"]))
    if status == DossierStatus.AWAITING_SUPPLEMENT:  # the register has no date for the request: from intake on
        db.session.add(Pause(dossier=dossier, started_at=values["received"], reason="Nhập từ sổ: đang chờ bổ sung"))
    db.session.add(Event(dossier=dossier, action="import", at=values["received"], to_status=status.value,
                         to_agency_id=agency.id, note="Nhập từ sổ theo dõi hồ sơ"))
    return dossier


def _timeliness(completed, due) -> Timeliness | None:
    # By local date of completion against the local date of the deadline (DESIGN.md §3).
    if completed is None:
        return None
    done, limit = local(completed).date(), local(due).date()
    return Timeliness.EARLY if done < limit else Timeliness.ON_TIME if done == limit else Timeliness.LATE


def _known_agencies() -> dict[str, Agency]:
    """Every agency by code and by name, compared case-insensitively (the list is short)."""
    known = {}
    for agency in db.session.scalars(sa.select(Agency)):
        known[agency.name.casefold()] = known.get(agency.name.casefold(), agency)
        known[agency.code.casefold()] = agency
    return known


def _lead_agency(text: str, agency: Agency, known: dict) -> Agency:
    """The agency named (by code or name); an unknown name becomes an external agency (DESIGN.md §8)."""
    text = unicodedata.normalize("NFC", text or "").strip()
    if not text:
        return agency
    found = known.get(text.casefold())
    if found is None:
        number = db.session.scalar(sa.select(sa.func.count(Agency.id)).where(Agency.code.like("NGOAI.%"))) + 1
        found = Agency(code=f"NGOAI.{number:04d}", name=text[:255], external=True)
        db.session.add(found)
        db.session.flush()
        known[text.casefold()] = found
    return found


def _split_contact(text: str) -> tuple[str, str]:
    """'Thôn A, xã B; 0912345678' → the address and the phone; otherwise all of it is the address."""
    head, _, tail = (text or "").rpartition(";")
    if head and PHONE.match(tail.strip()):
        return head.strip()[:500], tail.strip()[:20]
    if PHONE.match((text or "").strip()):
        return "", text.strip()[:20]
    return (text or "").strip()[:500], ""
