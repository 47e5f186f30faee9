"""The Decree 30/2020/NĐ-CP appendix I layout of an administrative report, with python-docx."""
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
SHORT_LINE = "\u00a0" * 14  # underlined no-break spaces: the short rule under a heading


@dataclass(frozen=True)
class Letterhead:
    """Who issues the report and who signs it: everything the page head and foot print."""

    body_lines: tuple[str, ...]           # ("ỦY BAN NHÂN DÂN", "XÃ QUẢNG THỌ")
    number: str                           # "Số: 05/BC-UBND"
    place: str
    issued_on: date
    authority: str                        # "TM. ỦY BAN NHÂN DÂN" or "KT. CHỦ TỊCH"
    signer_title: str                     # "CHỦ TỊCH" or "PHÓ CHỦ TỊCH"
    signer_name: str
    recipients: tuple[str, ...] = field(default=())


def place_and_date(place: str, day: date) -> str:
    """'Quảng Thọ, ngày 05 tháng 01 năm 2026': leading zeros for days below 10 and months 1–2 (Decree 30)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def new_document() -> Document:
    """An A4 portrait document with the decree's margins and Times New Roman 13 pt, East-Asian font too."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    set_fonts(style.element.get_or_add_rPr())
    style.paragraph_format.space_after = Pt(6)
    _page_numbers_from_page_two(section)
    return document


def set_fonts(rpr) -> None:
    """Times New Roman for every script: Word and LibreOffice pick the East-Asian slot for some Vietnamese text."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def paragraph(container, text: str = "", *, size: float = 13, bold=False, italic=False, underline=False,
              align=WD_ALIGN_PARAGRAPH.CENTER, space_after: float = 0, indent: bool = False):
    """A paragraph with one run in the given look."""
    para = container.add_paragraph()
    para.alignment = align
    para.paragraph_format.space_after = Pt(space_after)
    para.paragraph_format.space_before = Pt(0)
    if indent:
        para.paragraph_format.first_line_indent = Cm(1.27)
    if text:
        run = para.add_run(text)
        run.font.size = Pt(size)
        # Only what differs from Normal: an explicit "not bold" is three more XML elements in
        # every cell of every form, and a district's report repeats the form for each commune.
        run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
        set_fonts(run._element.get_or_add_rPr())
    return para


def body(document, text: str, *, bold=False):
    """A body paragraph: 14 pt, justified, first line indented 1.27 cm, 6 pt after (Decree 30)."""
    return paragraph(document, text, size=14, bold=bold, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6,
                     indent=True)


def head(document, letterhead: Letterhead, subject: str) -> None:
    """The national header, the issuing body, the number, place and date, and the title BÁO CÁO."""
    table = _layout_table(document, 2, (Mm(62), Mm(103)))
    left, right = table.rows[0].cells
    _first(left)
    for line in letterhead.body_lines:
        paragraph(left, line, size=13, bold=True)
    paragraph(left, SHORT_LINE, size=13, underline=True)
    paragraph(left, letterhead.number, size=13, space_after=0)
    _first(right)
    paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    paragraph(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True, space_after=6)
    paragraph(right, place_and_date(letterhead.place, letterhead.issued_on), size=14, italic=True)
    paragraph(document, "", space_after=6)
    paragraph(document, "BÁO CÁO", size=14, bold=True)
    paragraph(document, subject, size=14, bold=True)
    paragraph(document, SHORT_LINE, size=14, underline=True, space_after=12)


def foot(document, letterhead: Letterhead) -> None:
    """'Nơi nhận' on the left, level with the signature block on the right."""
    paragraph(document, "", space_after=6)
    table = _layout_table(document, 2, (Mm(75), Mm(90)))
    left, right = table.rows[0].cells
    _first(left)
    paragraph(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    lines = [*letterhead.recipients, "Lưu: VT."]
    for index, line in enumerate(lines):
        ending = "" if index == len(lines) - 1 else ";"
        paragraph(left, f"- {line.rstrip(';.')}{ending}" if ending else f"- {line}", size=11,
                  align=WD_ALIGN_PARAGRAPH.LEFT)
    _first(right)
    paragraph(right, letterhead.authority, size=14, bold=True)
    paragraph(right, letterhead.signer_title, size=14, bold=True)
    for _ in range(4):
        paragraph(right, "", size=14)
    paragraph(right, letterhead.signer_name, size=14, bold=True)


def figures_table(document, header_rows: list[list[str]], rows: list[list], widths: list, merges=(), *,
                  size: float = 10, like=None):
    """A bordered table of figures: header rows, then rows (the last one bold, the total); merges (r1, c1, r2, c2).

    `like`, a table this function made before with the same heading, is copied instead of built:
    python-docx builds cells slowly, and a district's report has a form for each of its communes.
    """
    if like is not None:
        return _table_like(document, like, len(header_rows), rows, widths, size)
    table = document.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, widths)
    _narrow_cell_margins(table)
    for cells in header_rows:
        _figures_row(table, cells, widths, size, head=True, bold=True)
    for index, cells in enumerate(rows):
        _figures_row(table, cells, widths, size, head=False, bold=index == len(rows) - 1)
    for r1, c1, r2, c2 in merges:
        merged = table.cell(r1, c1).merge(table.cell(r2, c2))
        for para in merged.paragraphs[1:]:  # merging joins the cells' paragraphs: keep the top-left one
            para._element.getparent().remove(para._element)
    return table


def _table_like(document, like, heading: int, rows: list[list], widths: list, size: float):
    """A copy of `like` with its heading and new lines, each line copied from `like`'s first or last line."""
    source = like._tbl.tr_lst
    plain, total = source[heading] if len(source) > heading + 1 else None, source[-1]
    table = document.add_table(rows=0, cols=len(like.columns))
    copy = deepcopy(like._tbl)
    for tr in copy.tr_lst[heading:]:
        copy.remove(tr)
    table._tbl.getparent().replace(table._tbl, copy)
    table = Table(copy, like._parent)
    for index, cells in enumerate(rows):
        is_total = index == len(rows) - 1
        model = total if is_total else plain
        if model is None or not _copy_row(copy, model, cells):
            _figures_row(table, cells, widths, size, head=False, bold=is_total)
    return table


def _figures_row(table, cells: list, widths: list, size: float, *, head: bool, bold: bool):
    row = table.add_row()
    _keep_row(row, repeat=head)
    row_cells = row.cells  # computed anew on each access: once per row, not per cell
    for column, value in enumerate(cells):
        cell = row_cells[column]
        cell.width = widths[column]
        _first(cell)
        align = WD_ALIGN_PARAGRAPH.LEFT if (column == 1 and not head) else WD_ALIGN_PARAGRAPH.CENTER
        paragraph(cell, str(value), size=size, bold=bold, align=align)
    return row


def _copy_row(tbl, model, cells: list) -> bool:
    """Append a copy of the row `model` with new texts; False if the texts don't fit its cells."""
    copy = deepcopy(model)
    tcs = copy.findall(qn("w:tc"))
    if len(tcs) != len(cells):
        return False
    for tc, value in zip(tcs, cells):
        text = tc.find(f".//{qn('w:t')}")
        if text is None and str(value):
            return False
        if text is not None:
            text.text = str(value)
    tbl.append(copy)
    return True


def _layout_table(document, columns: int, widths):
    table = document.add_table(rows=1, cols=columns)
    _fix_widths(table, widths)
    for cell, width in zip(table.rows[0].cells, widths):
        cell.width = width
    return table


def _fix_widths(table, widths) -> None:
    # LibreOffice lays a table out by its grid columns, Word by its cells: set both.
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width


def _narrow_cell_margins(table, twips: int = 40) -> None:
    # Thirteen columns on a portrait page: Word's 1.9 mm default padding would break the headings mid-word.
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def _keep_row(row, repeat: bool) -> None:
    """A row never splits across pages; heading rows repeat at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if repeat:
        properties.append(OxmlElement("w:tblHeader"))


def _first(cell) -> None:
    """Drop the empty paragraph every new cell starts with, so the cell holds only what is added."""
    for para in list(cell.paragraphs):
        if not para.text:
            para._element.getparent().remove(para._element)


def _page_numbers_from_page_two(section) -> None:
    # Decree 30: page numbers top centre, from the second page on (none on the first).
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run()
    run.font.size = Pt(13)
    set_fonts(run._element.get_or_add_rPr())
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
