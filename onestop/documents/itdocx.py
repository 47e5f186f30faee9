"""The yearly e-government IT report as a Word document in the Decree 30/2020 layout (domain.md §7, §8)."""
from io import BytesIO

from docx.shared import Mm

from .layout import Letterhead, body, figures_table, foot, head, new_document, paragraph

EQUIPMENT_HEADER = [["STT", "Tên thiết bị", "Số lượng", "Tình trạng", "Ghi chú"]]
EQUIPMENT_WIDTHS = [Mm(12), Mm(65), Mm(22), Mm(33), Mm(33)]
NOTHING = "Không có."


def it_docx(subject: str, intro: str, sections: dict, headings: dict, one_stop: list[str],
            letterhead: Letterhead) -> bytes:
    """The report: equipment table, the written sections, the computed one-stop figures, signature block."""
    document = new_document()
    head(document, letterhead, subject)
    body(document, intro)
    body(document, "I. KẾT QUẢ ĐẠT ĐƯỢC", bold=True)
    body(document, "1. Hạ tầng kỹ thuật, trang thiết bị công nghệ thông tin", bold=True)
    _equipment(document, sections.get("equipment") or [])
    number = 2
    for key in ("staff", "policies", "portal", "documents", "email", "software"):
        body(document, f"{number}. {headings[key]}", bold=True)
        _text(document, sections.get(key, ""))
        number += 1
    body(document, f"{number}. Giải quyết thủ tục hành chính theo cơ chế một cửa, một cửa liên thông", bold=True)
    for line in one_stop:
        body(document, f"- {line}")
    body(document, f"II. {headings['difficulties'].upper()}", bold=True)
    _text(document, sections.get("difficulties", ""))
    body(document, f"III. {headings['next_steps'].upper()}", bold=True)
    _text(document, sections.get("next_steps", ""))
    foot(document, letterhead)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _text(document, text: str) -> None:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines or [NOTHING]:
        body(document, line)


def _equipment(document, rows: list[dict]) -> None:
    if not rows:
        body(document, NOTHING)
        return
    lines = [[index, row.get("item", ""), row.get("quantity", ""), row.get("state", ""), row.get("note", "")]
             for index, row in enumerate(rows, start=1)]
    total = sum(int(row.get("quantity") or 0) for row in rows)
    figures_table(document, EQUIPMENT_HEADER, [*lines, ["", "Tổng số", total, "", ""]], EQUIPMENT_WIDTHS, size=12)
    paragraph(document, "", size=6)  # room between the table and the next heading

