"""The head and signature block of the agency's reports, from the settings (Decree 30/2020, domain.md §7)."""
from datetime import date

from . import settings
from .documents.layout import Letterhead
from .models import Agency, AgencyLevel

COMMITTEE = "ỦY BAN NHÂN DÂN"


def body_lines(agency: Agency) -> tuple[str, ...]:
    """'UBND xã Quảng Thọ' → ('ỦY BAN NHÂN DÂN', 'XÃ QUẢNG THỌ'); another body's name in capitals."""
    name = agency.name.strip()
    for prefix in ("UBND ", "Ủy ban nhân dân ", "ỦY BAN NHÂN DÂN "):
        if name.startswith(prefix):
            return COMMITTEE, name[len(prefix):].upper()
    return (name.upper(),)


def report_number(number: int | None, kind: str = "BC-UBND") -> str:
    """'Số: 05/BC-UBND' (leading zero below 10); left blank for the clerk of records when not given."""
    return f"Số: {number:02d}/{kind}" if number else f"Số:{chr(0xA0) * 8}/{kind}"


def report_recipient(agency: Agency, values: dict | None = None) -> str:
    """"Đơn vị nhận báo cáo": the setting, else the agency's province (a commune's parent since 01/07/2025,
    when the district level was abolished), else its parent."""
    values = values if values is not None else settings.get_all()
    chosen = (values.get("report_recipient") or "").strip()
    if chosen:
        return chosen
    seen, parent = set(), agency.parent
    while parent is not None and parent.id not in seen:
        if parent.level == AgencyLevel.PROVINCE:
            return parent.name
        seen.add(parent.id)
        parent = parent.parent
    return agency.parent.name if agency.parent is not None else ""


def for_agency(agency: Agency, issued_on: date, number: int | None = None) -> Letterhead:
    """The letterhead of a report issued by `agency`, signed by the leader named in the settings."""
    values = settings.get_all()
    title = (values.get("leader_title") or "CHỦ TỊCH").upper()
    # Decree 30 art. 13: the chair signs "TM." the committee; a deputy signs "KT." for the chair.
    authority = f"TM. {COMMITTEE}" if title == "CHỦ TỊCH" else "KT. CHỦ TỊCH"
    recipient = report_recipient(agency, values)
    recipients = (recipient,) if recipient else ()
    return Letterhead(body_lines(agency), report_number(number), values.get("place_name") or "", issued_on,
                      authority, title, values.get("leader_name") or "", recipients)
