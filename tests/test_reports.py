"""The reports screen, its files, the stats API and `flask report tthc`, on the hand-built dataset."""
import re
from datetime import date
from io import BytesIO

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from onestop import periods, seed, settings, statistics
from onestop.documents.docx import UNIT_FORMS_LIMIT, tthc_docx
from onestop.documents.layout import Letterhead
from onestop.extensions import db

from reportdata import CHILD_CODE, build

MARCH = {"kind": "month", "year": 2026, "number": 3}
# Columns (3)–(13) of the summed total for 15/02–14/03/2026 (tests/test_statistics.py explains each dossier).
TOTAL = [11, 3, 6, 2, 6, 1, 3, 2, 5, 2, 3]
HOME_TOTAL = [10, 2, 6, 2, 5, 1, 2, 2, 5, 2, 3]


@pytest.fixture
def dataset(demo):
    with demo.app_context():
        build(seed.home_agency())
        settings.put("leader_name", "Trần Văn Chủ")
        db.session.commit()
    return demo


def _total_rows(html: str) -> list[list[int]]:
    rows = re.findall(r'<tr class="total">(.*?)</tr>', html, re.S)
    return [[int(value) for value in re.findall(r'<td class="number">(\d+)</td>', row)] for row in rows]


def test_a_leader_sees_the_form_of_the_commune_and_its_child(client, login, dataset):
    login("leader")
    response = client.get("/reports/", query_string=MARCH)
    assert response.status_code == 200
    html = response.text
    assert "Tháng 03/2026 (từ 15/02/2026 đến 14/03/2026)" in html
    assert _total_rows(html) == [TOTAL, HOME_TOTAL, [1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0]]
    assert "UBND xã Con" in html


def test_the_page_opens_on_the_current_reporting_month(client, login, dataset):
    login("clerk")
    html = client.get("/reports/").text
    assert "từ 15/02/2026 đến 14/03/2026" in html  # today is 05/03/2026
    assert _total_rows(html)[0] == TOTAL


def test_a_range_of_days_can_be_picked(client, login, dataset):
    login("leader")
    html = client.get("/reports/", query_string={"kind": "range", "start": "01/03/2026", "end": "05/03/2026"}).text
    # Received 01/03–05/03: #6, #9, #10, #11 and the child's #13; carried over: #3, #5, #12.
    assert _total_rows(html)[0][:4] == [8, 2, 3, 3]


def test_an_impossible_period_is_explained_and_shows_no_table(client, login, dataset):
    login("leader")
    html = client.get("/reports/", query_string={"kind": "range", "start": "05/03/2026", "end": "01/03/2026"}).text
    assert "Ngày kết thúc phải sau ngày bắt đầu." in html
    assert 'class="form06"' not in html
    html = client.get("/reports/", query_string={"kind": "range", "start": "32/01/2026", "end": "01/03/2026"}).text
    assert "Ngày không hợp lệ" in html


def test_officers_may_not_open_reports(client, login, dataset):
    login("officer")
    assert client.get("/reports/").status_code == 403


def test_the_excel_file_holds_the_figures_as_values(client, login, dataset):
    login("leader")
    response = client.get("/reports/tthc.xlsx", query_string=MARCH)
    assert response.status_code == 200
    assert "bieu06_000.13.31.H57_20260215-20260314.xlsx" in response.headers["Content-Disposition"]
    workbook = openpyxl.load_workbook(BytesIO(response.data))
    assert workbook.sheetnames == ["Tổng hợp", "000.13.31.H57", CHILD_CODE]
    sheet = workbook["Tổng hợp"]
    assert sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert sheet["A2"].value.startswith("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    assert sheet["A3"].value == "Kỳ báo cáo: Tháng 03/2026 (từ 15/02/2026 đến 14/03/2026)"
    assert [sheet.cell(10, column).value for column in (1, 7, 13)] == ["(1)", "(7)", "(13)"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=11, max_row=sheet.max_row)]
    assert rows[-1] == [None, "Tổng số", *TOTAL]
    assert {row[1]: row[2:] for row in rows[:-1]} == {
        "Chứng thực": [4, 1, 3, 0, 1, 0, 1, 0, 3, 1, 2], "Hộ tịch": [7, 2, 3, 2, 5, 1, 2, 2, 2, 1, 1]}
    assert all(cell.data_type == "n" for row in sheet.iter_rows(min_row=11, min_col=3) for cell in row)
    # Printed as it is filed: A4 landscape, all thirteen columns on the page's width.
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_the_stats_api_answers_the_rows(client, login, dataset):
    login("leader")
    response = client.get("/api/v1/stats/tthc", query_string={"from": "2026-02-15", "to": "2026-03-14"})
    assert response.status_code == 200, response.text
    body = response.json
    assert (body["from"], body["to"], body["agency"]["code"]) == ("2026-02-15", "2026-03-14", "000.13.31.H57")
    total = body["total"]
    assert [total[key] for key in ("received", "online", "direct", "carried_over", "resolved", "early", "on_time",
                                   "late", "in_progress", "within_deadline", "overdue")] == TOTAL
    assert [unit["agency"]["code"] for unit in body["units"]] == ["000.13.31.H57", CHILD_CODE]
    child = client.get("/api/v1/stats/tthc", query_string={"from": "2026-02-15", "to": "2026-03-14",
                                                           "agency": CHILD_CODE}).json
    assert (child["total"]["received"], child["units"]) == (1, [])


def test_the_stats_api_refuses_bad_input_and_other_agencies(client, login, dataset):
    login("leader")
    bad = client.get("/api/v1/stats/tthc", query_string={"from": "2026-03-14", "to": "2026-02-15"})
    assert bad.status_code == 422
    assert "Ngày kết thúc phải không sớm hơn ngày bắt đầu." in bad.json["error"]["fields"]["to"]
    other = client.get("/api/v1/stats/tthc", query_string={"from": "2026-02-15", "to": "2026-03-14",
                                                           "agency": "000.00.31.H57"})
    assert other.status_code == 404
    login("officer")
    assert client.get("/api/v1/stats/tthc", query_string={"from": "2026-02-15", "to": "2026-03-14"}).status_code == 403


def test_report_tthc_writes_a_decree_30_word_report(runner, dataset, tmp_path):
    output = tmp_path / "bieu06.docx"
    result = runner.invoke(args=["report", "tthc", "--from", "15/02/2026", "--to", "2026-03-14", "--number", "5",
                                 "-o", str(output)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(output))
    section = document.sections[0]
    measured = (section.page_width, section.page_height, section.top_margin, section.left_margin,
                section.right_margin)
    assert [round(length.mm) for length in measured] == [210, 297, 20, 30, 15]
    normal = document.styles["Normal"]
    assert (normal.font.name, normal.font.size) == ("Times New Roman", Pt(13))
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"
    head_left, head_right = document.tables[0].rows[0].cells
    assert [p.text for p in head_left.paragraphs][:2] == ["ỦY BAN NHÂN DÂN", "XÃ QUẢNG THỌ"]
    assert "Số: 05/BC-UBND" in head_left.text
    motto = head_right.paragraphs[1]
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.runs[0].bold and motto.runs[0].underline
    assert head_right.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    dated = head_right.paragraphs[2]
    assert dated.text == "Quảng Thọ, ngày 05 tháng 3 năm 2026" and dated.runs[0].italic
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    figures = document.tables[1]
    assert [cell.text for cell in figures.rows[-1].cells] == ["", "Tổng số", *map(str, TOTAL)]
    assert len(document.tables) == 5  # head, the summed form, each agency's form, the signature block
    note, signature = document.tables[-1].rows[0].cells
    assert note.paragraphs[0].text == "Nơi nhận:" and note.paragraphs[0].runs[0].italic
    assert note.paragraphs[-1].text == "- Lưu: VT."
    assert [p.text for p in signature.paragraphs if p.text] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn Chủ"]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and not section.first_page_header.paragraphs[0].text


def test_report_tthc_refuses_an_unknown_file_kind(runner, dataset, tmp_path):
    result = runner.invoke(args=["report", "tthc", "--from", "15/02/2026", "--to", "14/03/2026",
                                 "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and ".xlsx hoặc .docx" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_an_unknown_file_kind_is_not_found(client, login, dataset):
    login("leader")
    assert client.get("/reports/tthc.pdf", query_string=MARCH).status_code == 404


def _family_report(units: int):
    """A summed report over `units` agencies, each with a line for two fields."""
    period = periods.calendar_year(2025)
    tables = []
    for number in range(1, units + 1):
        rows = (statistics.Row("Chứng thực", online=number, direct=2, early=1),
                statistics.Row("Hộ tịch", direct=number, on_time=1, late=1))
        tables.append(statistics.Table(f"000.{number:02d}.41.H57", f"UBND xã số {number}", period, rows,
                                       sum(rows, statistics.Row(statistics.TOTAL_LABEL))))
    summed = sum((table.total for table in tables), statistics.Row(statistics.TOTAL_LABEL))
    summary = statistics.Table("000.00.41.H57", "UBND huyện số 1", period, (summed,), summed)
    return statistics.TthcReport(summary, tuple(tables))


LETTERHEAD = Letterhead(("ỦY BAN NHÂN DÂN", "HUYỆN SỐ 1"), "Số: 01/BC-UBND", "Huyện 1", date(2026, 1, 5),
                        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A")


def test_a_district_report_has_a_form_for_each_commune():
    document = docx.Document(BytesIO(tthc_docx(_family_report(UNIT_FORMS_LIMIT), LETTERHEAD)))
    forms = document.tables[1:-1]
    assert len(forms) == 1 + UNIT_FORMS_LIMIT  # the summed form, then one per commune
    last = forms[-1]
    assert [cell.text for cell in last.rows[4].cells][:4] == ["1", "Chứng thực", str(UNIT_FORMS_LIMIT + 2),
                                                               str(UNIT_FORMS_LIMIT)]
    assert [cell.text for cell in last.rows[-1].cells][1:4] == ["Tổng số", str(2 * UNIT_FORMS_LIMIT + 2),
                                                                str(UNIT_FORMS_LIMIT)]


def test_a_province_report_lists_its_agencies_in_one_table_not_one_form_each():
    count = UNIT_FORMS_LIMIT + 1
    report = _family_report(count)
    document = docx.Document(BytesIO(tthc_docx(report, LETTERHEAD)))
    forms = document.tables[1:-1]
    assert len(forms) == 2  # the summed form, and the agencies as the lines of one table
    lines = [[cell.text for cell in row.cells] for row in forms[1].rows]
    assert lines[0][1] == "Cơ quan, đơn vị"
    assert lines[4][:3] == ["1", "UBND xã số 1 (000.01.41.H57)", "4"]
    assert lines[-2][1] == f"UBND xã số {count} (000.{count:02d}.41.H57)"
    assert lines[-1][1:] == ["Tổng số", *map(str, report.summary.total.columns)]
    assert len(lines) == 4 + count + 1
