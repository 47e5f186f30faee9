"""The yearly IT report: figures counted for the period, the form pre-filled from the last report, DOCX and PDF."""
import shutil
import subprocess
from datetime import date
from io import BytesIO

import docx
import pytest
import sqlalchemy as sa

from onestop import itreports, periods, seed, statistics
from onestop.extensions import db
from onestop.models import Dossier, ItReport, Leg, Survey

from reportdata import build

MARCH = periods.official_month(2026, 3)
# Received 15/02–14/03 at the commune and its child: #1, #2, #3, #6, #9–#13; done early or on time: #1, #2, #10, #13.
MARCH_FORM = {"start": "15/02/2026", "end": "14/03/2026"}


def _extras():
    """A kiosk survey on #2, a phone survey on #1 (not counted), an inter-agency leg on #6."""
    def dossier(number):
        return db.session.scalar(sa.select(Dossier).where(Dossier.code.like(f"%-T-{number:04d}")))
    db.session.add_all([Survey(dossier=dossier(2), overall="satisfied", channel="kiosk"),
                        Survey(dossier=dossier(1), overall="very_satisfied", channel="web")])
    six = dossier(6)
    db.session.add(Leg(dossier=six, partner=six.agency, sent_at=six.received_at, due_at=six.due_at))


@pytest.fixture
def dataset(demo):
    with demo.app_context():
        build(seed.home_agency())
        _extras()
        db.session.commit()
    return demo


def test_the_one_stop_figures_of_a_period(session):
    built = build()
    _extras()
    figures = statistics.it_figures(built.home, MARCH)
    assert (figures.received, figures.desk_total, figures.surveyed_at_kiosk, figures.returned_on_time,
            figures.inter_agency) == (9, 9, 1, 4, 1)
    assert (figures.procedures, figures.procedures_by_level) == (2, (("", 2),))
    lines = itreports.one_stop_lines(statistics.it_figures(built.home, MARCH, desk_total=12))
    assert lines[0].startswith("Số hồ sơ tiếp nhận, giải quyết và trả kết quả qua phần mềm một cửa: 9 hồ sơ, chiếm 75%")
    # Judged at the period's end (14/03): only #9, paused, is still within its deadline.
    assert lines[3] == "Hồ sơ giải quyết trước và đúng hạn: 4/9 hồ sơ, đạt 44,4%; đang giải quyết trong hạn: 1 hồ sơ."
    assert lines[4] == "Số hồ sơ liên thông tiếp nhận trong kỳ: 1 hồ sơ."


def test_an_open_period_says_how_many_are_still_within_their_deadline_and_an_empty_one_gives_no_percent(session):
    built = build()
    # On 05/03, inside the period: #6 (due 06/03) and #9 (paused) are in progress within their deadline.
    figures = statistics.it_figures(built.home, MARCH, today=date(2026, 3, 5))
    assert figures.in_progress_within == 2
    assert itreports.on_time_line(figures).endswith("đạt 44,4%; đang giải quyết trong hạn: 2 hồ sơ.")
    empty = statistics.it_figures(built.home, periods.official_month(2025, 7))
    assert empty.received == 0 and empty.on_time_share is None
    line = itreports.on_time_line(empty)
    assert line == "Hồ sơ giải quyết trước và đúng hạn: 0/0 hồ sơ (không có hồ sơ tiếp nhận trong kỳ)."
    assert "%" not in line


def test_procedures_are_counted_by_online_level(demo):
    with demo.app_context():
        figures = statistics.it_figures(seed.home_agency(), MARCH)
        levels = dict(figures.procedures_by_level)
        assert figures.procedures == sum(levels.values()) > 0
        assert levels["toàn trình"] > 0 and "toàn trình: " in itreports.one_stop_lines(figures)[2].replace(
            "dịch vụ công trực tuyến ", "")


def _filled(**changes):
    form = {**MARCH_FORM, "number": "7", "desk_total": "", "staff": "02 công chức phụ trách CNTT kiêm nhiệm.",
            "difficulties": "Đường truyền chậm.\nMáy tính cũ.", "equipment-0-item": "Máy tính để bàn",
            "equipment-0-quantity": "12", "equipment-0-state": "Tốt", "equipment-1-item": "Máy quét",
            "equipment-1-quantity": "2", "equipment-1-state": "Hỏng 1", "save": "1"}
    return {**form, **changes}


def test_the_form_shows_the_figures_and_keeps_the_report(client, login, dataset):
    login("leader")
    page = client.get("/reports/it").text
    assert 'value="15/12/2024"' in page and 'value="14/12/2025"' in page  # the last reporting year
    preview = client.post("/reports/it", data={**MARCH_FORM, "preview": "1"})
    assert preview.status_code == 200 and "4/9 hồ sơ, đạt 44,4%; đang giải quyết trong hạn: 2 hồ sơ" in preview.text
    assert client.post("/reports/it", data=_filled()).status_code == 302
    with dataset.app_context():
        kept = db.session.scalars(sa.select(ItReport)).one()
        assert kept.number == 7 and kept.sections["equipment"][1] == {
            "item": "Máy quét", "quantity": 2, "state": "Hỏng 1", "note": ""}
    again = client.get("/reports/it").text  # the next report starts from this one
    assert "02 công chức phụ trách CNTT kiêm nhiệm." in again and 'value="Máy tính để bàn"' in again
    assert 'value="15/12/2025"' in again and 'value="14/12/2026"' in again  # the reporting year after it


def test_bad_input_is_explained_and_saves_nothing(client, login, dataset):
    login("leader")
    response = client.post("/reports/it", data=_filled(**{"equipment-2-quantity": "3", "end": "01/01/2026"}))
    assert response.status_code == 422
    assert "Cần ghi tên thiết bị." in response.text and "Ngày kết thúc phải sau ngày bắt đầu." in response.text
    with dataset.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ItReport.id))) == 0


def _saved_docx(client, dataset) -> docx.Document:
    client.post("/reports/it", data=_filled())
    with dataset.app_context():
        report_id = db.session.scalars(sa.select(ItReport.id)).one()
    response = client.get(f"/reports/it/{report_id}.docx")
    assert response.status_code == 200
    return docx.Document(BytesIO(response.data))


def test_the_word_report_has_the_sections_figures_and_signature(client, login, dataset):
    login("leader")
    document = _saved_docx(client, dataset)
    texts = [p.text for p in document.paragraphs]
    assert "Số: 07/BC-UBND" in document.tables[0].rows[0].cells[0].text
    assert "BÁO CÁO" in texts
    assert "Kết quả ứng dụng công nghệ thông tin, chuyển đổi số từ ngày 15/02/2026 đến ngày 14/03/2026" in texts
    assert "- Hồ sơ giải quyết trước và đúng hạn: 4/9 hồ sơ, đạt 44,4%; đang giải quyết trong hạn: 2 hồ sơ." in texts
    assert "- Số hồ sơ được đánh giá mức độ hài lòng tại ki-ốt: 1 hồ sơ." in texts
    assert "Đường truyền chậm." in texts and "Máy tính cũ." in texts
    equipment = document.tables[1]
    assert [c.text for c in equipment.rows[0].cells] == ["STT", "Tên thiết bị", "Số lượng", "Tình trạng", "Ghi chú"]
    assert [c.text for c in equipment.rows[-1].cells][1:3] == ["Tổng số", "14"]
    note, signature = document.tables[-1].rows[0].cells
    assert note.paragraphs[0].text == "Nơi nhận:" and "TM. ỦY BAN NHÂN DÂN" in signature.text


def test_another_agencys_report_is_not_found(client, login, dataset):
    login("leader")
    assert client.get("/reports/it/999999.docx").status_code == 404


def test_report_it_writes_the_docx_from_the_last_entered_sections(runner, client, login, dataset, tmp_path):
    login("leader")
    client.post("/reports/it", data=_filled())
    output = tmp_path / "cntt.docx"
    result = runner.invoke(args=["report", "it", "--from", "15/12/2025", "--to", "14/12/2026", "-o", str(output)])
    assert result.exit_code == 0, result.output
    texts = [p.text for p in docx.Document(str(output)).paragraphs]
    assert "Kết quả ứng dụng công nghệ thông tin, chuyển đổi số năm 2026" in texts
    assert "02 công chức phụ trách CNTT kiêm nhiệm." in texts
    wrong = runner.invoke(args=["report", "it", "--from", "15/12/2025", "--to", "14/12/2026",
                                "-o", str(tmp_path / "a.xlsx")])
    assert wrong.exit_code != 0 and ".docx" in wrong.output


@pytest.mark.libreoffice
def test_the_it_report_converts_to_pdf_with_libreoffice(client, login, dataset, tmp_path, screenshot_dir):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    login("leader")
    source = tmp_path / "bao-cao-cntt.docx"
    _saved_docx(client, dataset).save(str(source))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "bao-cao-cntt.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 2
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "LiberationSerif" in fonts or "TimesNewRoman" in fonts.replace(" ", "")
    picture = screenshot_dir / "it-report-page1"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(picture)], check=True)
    assert (screenshot_dir / "it-report-page1.png").stat().st_size > 10_000
