"""The statistics form of an agency as a file to download or write: figures, letterhead, layout."""
from datetime import date

from . import itreports, ledger, letterheads, regimes, statistics
from .documents.docx import tthc_docx
from .documents.itdocx import it_docx
from .documents.xlsx import register_xlsx, tthc_xlsx
from .files import figures as files_figures
from .formatting import vn_date
from .models import Agency
from .periods import Period, official_months

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def tthc(agency: Agency, period: Period, today: date, kind: str, number: int | None = None) -> bytes:
    """The period's statistics form as XLSX or DOCX (kind), for `agency` and its children."""
    report = statistics.tthc_report(agency, period, today)
    receiver = letterheads.report_recipient(agency)
    if kind == "xlsx":
        return tthc_xlsx(report, agency.name, receiver)
    if kind == "docx":
        return tthc_docx(report, letterheads.for_agency(agency, today, number), receiver)
    raise ValueError(f"Định dạng không hỗ trợ: {kind} (chỉ .xlsx hoặc .docx).")


def file_name(agency: Agency, period: Period, kind: str) -> str:
    """'bieu06_000.13.31.H57_20260215-20260314.xlsx'."""
    return f"bieu06_{agency.code}_{period.start:%Y%m%d}-{period.end:%Y%m%d}.{kind}"


def it_report(agency: Agency, period: Period, sections: dict, number: int | None, issued_on: date) -> bytes:
    """The yearly IT report as DOCX: the entered sections and the one-stop figures counted for the period."""
    figures = statistics.it_figures(agency, period, sections.get("desk_total"), issued_on)
    letterhead = letterheads.for_agency(agency, issued_on, number)
    span = f"từ ngày {vn_date(period.start)} đến ngày {vn_date(period.end)}"
    when = f"năm {period.end.year}" if period == official_months(period.end.year, 12) else span
    subject = f"Kết quả ứng dụng công nghệ thông tin, chuyển đổi số {when}"
    intro = (f"{letterhead.body_lines[-1].title()} báo cáo kết quả ứng dụng công nghệ thông tin, chuyển đổi số "
             f"trong hoạt động của cơ quan {span} như sau:")
    lines = itreports.one_stop_lines(figures) + files_figures.report_lines(files_figures.digitisation(agency, period))
    return it_docx(subject, intro, sections, dict(itreports.SECTIONS), lines, letterhead)


def register(agency: Agency, period: Period, lines: list[ledger.Line] | None = None) -> bytes:
    """The register of the desk for a period as XLSX, ready to print or to import elsewhere."""
    return register_xlsx(ledger.lines(agency, period) if lines is None else lines, (*ledger.HEADERS, *ledger.OPTIONAL_HEADERS), agency.name,
                         f"Kỳ: {period.label}", ledger.form_label(regimes.on(period.end)))
