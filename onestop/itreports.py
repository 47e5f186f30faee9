"""The yearly e-government IT report (domain.md §8): what people enter, kept to pre-fill the next report."""
from datetime import date, timedelta

import sqlalchemy as sa

from .extensions import db
from .models import Agency, ItReport, User
from .periods import Period, official_months

# The sections people write, in the report's order: (key, heading).
SECTIONS = (
    ("staff", "Nguồn nhân lực công nghệ thông tin"),
    ("policies", "Cơ chế, chính sách đã ban hành"),
    ("portal", "Cổng/Trang thông tin điện tử"),
    ("documents", "Quản lý văn bản và chữ ký số"),
    ("email", "Thư điện tử công vụ"),
    ("software", "Phần mềm dùng chung, nội bộ đang sử dụng"),
    ("difficulties", "Khó khăn, vướng mắc"),
    ("next_steps", "Phương hướng, nhiệm vụ thời gian tới"),
)
EQUIPMENT_KEYS = ("item", "quantity", "state", "note")
LEVEL_LABELS = {"toàn trình": "dịch vụ công trực tuyến toàn trình", "một phần": "dịch vụ công trực tuyến một phần",
                "": "chưa cung cấp trực tuyến"}


def level_label(level: str) -> str:
    """How the report names an online level: 'toàn trình', 'một phần', legacy 'mức độ 3', or none."""
    return LEVEL_LABELS.get(level, f"mức độ {level}")


def issued(agency: Agency, limit: int = 10) -> list[ItReport]:
    """The agency's IT reports, newest first."""
    query = sa.select(ItReport).where(ItReport.agency_id == agency.id)
    return list(db.session.scalars(query.order_by(ItReport.created_at.desc(), ItReport.id.desc()).limit(limit)))


def previous(agency: Agency) -> ItReport | None:
    """The agency's latest IT report, whose text pre-fills the next one."""
    return next(iter(issued(agency, 1)), None)


def draft(agency: Agency, today: date) -> tuple[Period, dict]:
    """The period and sections a new report starts from: the year after the previous report, with its text."""
    last = previous(agency)
    if last is None:  # the last reporting year already over (it ends on 14/12)
        year = today.year if today > date(today.year, 12, 14) else today.year - 1
        return official_months(year, 12), empty_sections()
    after = last.period_end + timedelta(days=1)
    year = after.year + 1 if after > date(after.year, 12, 14) else after.year
    return official_months(year, 12), {**empty_sections(), **last.sections}


def empty_sections() -> dict:
    """Every section blank, no equipment rows, the desk total left to the computed number."""
    return {**{key: "" for key, _ in SECTIONS}, "equipment": [], "desk_total": None}


def issue(agency: Agency, period: Period, number: int | None, sections: dict, author: User | None) -> ItReport:
    """Keep what was entered for this report (the caller commits); the figures are recomputed when printed."""
    kept = {**empty_sections(), **{key: value for key, value in sections.items() if key in empty_sections()}}
    report = ItReport(agency=agency, period_start=period.start, period_end=period.end, number=number,
                      sections=kept, author_id=author.id if author else None)
    db.session.add(report)
    db.session.flush()
    return report


def find(agency: Agency, report_id: int) -> ItReport | None:
    """One of the agency's own IT reports."""
    return db.session.scalar(sa.select(ItReport).where(ItReport.id == report_id, ItReport.agency_id == agency.id))


def one_stop_lines(figures) -> list[str]:
    """The one-stop section's sentences, shown on the form before export and printed in the report."""
    levels = "; ".join(f"{level_label(level)}: {count}" for level, count in figures.procedures_by_level)
    return [
        f"Số hồ sơ tiếp nhận, giải quyết và trả kết quả qua phần mềm một cửa: {figures.received} hồ sơ, "
        f"chiếm {percent(figures.software_share)} tổng số hồ sơ tiếp nhận tại Bộ phận một cửa "
        f"({figures.desk_total} hồ sơ).",
        f"Số hồ sơ được đánh giá mức độ hài lòng tại ki-ốt: {figures.surveyed_at_kiosk} hồ sơ.",
        f"Số thủ tục hành chính thuộc thẩm quyền giải quyết: {figures.procedures} thủ tục"
        + (f" ({levels})." if levels else "."),
        on_time_line(figures),
        f"Số hồ sơ liên thông tiếp nhận trong kỳ: {figures.inter_agency} hồ sơ.",
    ]


def on_time_line(figures) -> str:
    """The template's own definition: returned early or on time over received ("hồ sơ trả đúng hạn / hồ sơ tiếp
    nhận thụ lý", the commune's 2019 report gives 388/388), with the dossiers still in progress within their
    deadline beside it, so an open period is not read as a failure; no percentage for an empty period."""
    text = f"Hồ sơ giải quyết trước và đúng hạn: {figures.returned_on_time}/{figures.received} hồ sơ"
    if figures.on_time_share is None:
        return text + " (không có hồ sơ tiếp nhận trong kỳ)."
    return (f"{text}, đạt {percent(figures.on_time_share)}; "
            f"đang giải quyết trong hạn: {figures.in_progress_within} hồ sơ.")


def percent(share: float) -> str:
    """'93,3%' (one decimal, comma), '100%' for whole numbers."""
    text = f"{share * 100:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"
