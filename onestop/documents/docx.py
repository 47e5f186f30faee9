"""The statistics form as a Word report in the Decree 30/2020 layout, for the leader to sign."""
from io import BytesIO

from docx.shared import Mm

from . import form06
from .layout import Letterhead, body, figures_table, foot, head, new_document, paragraph

# 165 mm of text width on A4 with 30/15 mm margins: number, field, then eleven figure columns.
WIDTHS = [Mm(9), Mm(28), *[Mm(11.6)] * 11]
# Up to this many agencies (a district and its communes) each gets its own form; a province's
# 150 would make a 150-page document, so there the agencies are the lines of one table instead
# (the XLSX keeps a sheet per agency).
UNIT_FORMS_LIMIT = 20


def tthc_docx(report, letterhead: Letterhead, receiver: str = "") -> bytes:
    """A BÁO CÁO of the period's figures with the Biểu 06 table(s), signature block and 'Nơi nhận'."""
    document = new_document()
    summary = report.summary
    head(document, letterhead, f"Tình hình, kết quả giải quyết thủ tục hành chính {summary.period.title.lower()}")
    body(document, f"{letterhead.body_lines[-1].title()} báo cáo tình hình, kết quả giải quyết thủ tục hành chính "
                   f"{_lower_first(summary.period.label)} như sau:")
    total = summary.total
    body(document, f"1. Tổng số hồ sơ tiếp nhận: {total.received} hồ sơ (tiếp nhận trực tuyến {total.online}, "
                   f"qua {form06.ONLINE_CHANNEL}; "
                   f"trực tiếp hoặc qua dịch vụ bưu chính {total.direct}; kỳ trước chuyển qua {total.carried_over}).")
    body(document, f"2. Số hồ sơ đã giải quyết: {total.resolved} hồ sơ (trước hạn {total.early}; đúng hạn "
                   f"{total.on_time}; quá hạn {total.late}); tỷ lệ giải quyết trước và đúng hạn "
                   f"{form06.on_time_percent(total)}.")
    body(document, f"3. Số hồ sơ đang giải quyết: {total.in_progress} hồ sơ (trong hạn {total.within_deadline}; "
                   f"quá hạn {total.overdue}).")
    body(document, "Số liệu chi tiết theo từng lĩnh vực như biểu sau:")
    first = _form(document, summary, receiver)
    if len(report.units) > UNIT_FORMS_LIMIT:
        paragraph(document, "", space_after=6)
        body(document, "Số liệu chi tiết theo từng cơ quan, đơn vị như biểu sau:").paragraph_format.keep_with_next = True
        figures_table(document, form06.UNIT_HEADER_ROWS, form06.unit_rows(report), WIDTHS, form06.MERGES, size=9)
    else:
        for unit in report.units:
            paragraph(document, "", space_after=6)
            body(document, f"Chi tiết: {unit.agency_name} ({unit.agency_code})", bold=True
                 ).paragraph_format.keep_with_next = True
            _form(document, unit, receiver, like=first)
    foot(document, letterhead)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _form(document, table, receiver: str, like=None):
    lines = f"Đơn vị báo cáo: {table.agency_name}" + (f" — Đơn vị nhận báo cáo: {receiver}" if receiver else "")
    for text, italic in ((form06.FORM_NAME, True), (lines, False)):
        paragraph(document, text, size=11, italic=italic, space_after=3).paragraph_format.keep_with_next = True
    return figures_table(document, form06.HEADER_ROWS, form06.body_rows(table), WIDTHS, form06.MERGES, size=9,
                         like=like)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
