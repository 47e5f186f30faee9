"""The 2025 regime (issue 14): a dossier prints the forms of the regime in force on the day it was received.

A dossier received today (2026) prints Circular 03/2025/TT-VPCP's forms under the commune's Trung tâm Phục vụ
hành chính công, with no district; one imported from 2019 still prints Circular 01/2018's forms under the
district. Official documents stay Vietnamese whatever the screen's language.
"""
import io
from datetime import datetime

import openpyxl

from lifecycle import build, people
from onestop import ledger, ledger_import, regimes, report_files, seed, settings
from onestop.clock import VN
from onestop.extensions import db
from onestop.periods import Period
from test_receipts import visible_text

OLD_CODE = "000.13.31.H57-190315-0007"
HEADER = ";".join(ledger.HEADERS) + ";Kênh;Trạng thái\n"


def import_2019(app) -> str:
    """A 2019 dossier from the commune's old register, imported into the desk (DESIGN.md §8)."""
    row = (f"1;{OLD_CODE};1.001193;Đăng ký khai sinh;1;Hồ Thị Lài;Thôn Phước Lý;;15/03/2019 08:30;"
           "15/03/2019 17:00;;15/03/2019 10:00;15/03/2019 14:00;Lài;;;")
    with app.app_context():
        ledger_import.import_file(("\ufeff" + HEADER + row + "\n").encode(), "so-2019.csv", seed.home_agency())
        db.session.commit()
    return OLD_CODE


def build_and_commit(app, state: str) -> str:
    with app.app_context():
        people()
        code = build(state).code
        db.session.commit()
        return code


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.text)


def test_regime_of_a_day_follows_the_switch_date():
    switch = regimes.parse_switch(regimes.DEFAULT_SWITCH)
    assert switch == datetime(2025, 9, 15).date()
    assert regimes.on(datetime(2025, 9, 14).date(), switch) is regimes.REGIME_2018
    assert regimes.on(datetime(2025, 9, 15).date(), switch) is regimes.REGIME_2025
    # The local day decides: 14/09/2025 23:30 in Vietnam is 16:30 UTC, still the old regime.
    assert regimes.at(datetime(2025, 9, 14, 23, 30, tzinfo=VN), switch) is regimes.REGIME_2018
    assert [form.number for form in regimes.REGIME_2025.forms.values()] == ["01", "02", "03", "04", "05", "06", "07"]
    assert regimes.REGIME_2025.form("control").label == "Mẫu số 06" and regimes.REGIME_2018.form("stop") is None


def test_a_dossier_received_today_prints_the_2025_forms_without_a_district(app, client, login):
    code = build_and_commit(app, "apologized")
    login("leader")
    receipt = page(client, f"/desk/dossiers/{code}/receipt")
    for expected in ("Mẫu số 01", "UBND XÃ QUẢNG THỌ", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
                     "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"):
        assert expected in receipt
    assert receipt.index("UBND XÃ QUẢNG THỌ") < receipt.index("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG")  # under the committee
    control = page(client, f"/desk/dossiers/{code}/control")
    assert "Mẫu số 06" in control and "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in control
    apology = page(client, f"/desk/dossiers/{code}/apology")
    assert "Mẫu số 04" in apology and "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in apology
    for text in (receipt, control, apology):
        assert "HUYỆN" not in text and "Quảng Điền" not in text  # districts were abolished on 01/07/2025
    show = page(client, f"/desk/dossiers/{code}")
    assert "In phiếu kiểm soát (mẫu 06)" in show and "In văn bản xin lỗi, đề nghị gia hạn (mẫu 04)" in show


def test_the_supplement_and_refusal_slips_of_2025_carry_their_numbers(app, client, login):
    paused, refused = build_and_commit(app, "awaiting_supplement"), build_and_commit(app, "refused")
    login("clerk")
    supplement = page(client, f"/desk/dossiers/{paused}/supplement")
    assert "Mẫu số 02" in supplement and "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in supplement
    refusal = page(client, f"/desk/dossiers/{refused}/refusal")
    assert "Mẫu số 03" in refusal and "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in refusal


def test_a_dossier_imported_from_2019_still_prints_the_2018_forms(app, client, login):
    code = import_2019(app)
    login("clerk")
    receipt = page(client, f"/desk/dossiers/{code}/receipt")
    for expected in ("Mẫu số 01", "UBND HUYỆN QUẢNG ĐIỀN", "UBND XÃ QUẢNG THỌ", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
                     "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "ngày 15 tháng 03 năm 2019"):
        assert expected in receipt
    assert "TRUNG TÂM PHỤC VỤ" not in receipt  # the centres did not exist in 2019
    control = page(client, f"/desk/dossiers/{code}/control")
    assert "Mẫu số 05" in control and "Mẫu số 06" not in control
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in control and "UBND HUYỆN QUẢNG ĐIỀN" in control
    show = page(client, f"/desk/dossiers/{code}")
    assert "In phiếu kiểm soát (mẫu 05)" in show


def test_moving_the_switch_date_moves_which_forms_a_dossier_prints(app, client, login):
    code = build_and_commit(app, "processing")  # received Mon 02/03/2026
    login("clerk")
    assert "In phiếu kiểm soát (mẫu 06)" in page(client, f"/desk/dossiers/{code}")  # the calendar is cached now
    with app.app_context():
        settings.put(regimes.SWITCH_SETTING, "2026-03-03")
        db.session.commit()
    control = page(client, f"/desk/dossiers/{code}/control")
    assert "Mẫu số 05" in control and "BỘ PHẬN" not in control and "UBND HUYỆN QUẢNG ĐIỀN" in control
    assert "In phiếu kiểm soát (mẫu 05)" in page(client, f"/desk/dossiers/{code}")  # read with the calendar's stamp


def test_printed_forms_stay_vietnamese_when_the_screen_is_english(app, client, login):
    code = build_and_commit(app, "apologized")
    login("leader")
    client.get("/desk/?lang=en")
    show = client.get(f"/desk/dossiers/{code}").text
    assert "(form 06)" in show.lower() or "form 06" in show.lower()  # the screen itself speaks English
    for url in ("receipt", "control", "apology", "label"):
        response = client.get(f"/desk/dossiers/{code}/{url}")
        assert '<html lang="vi">' in response.text
    receipt = visible_text(client.get(f"/desk/dossiers/{code}/receipt").text)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in receipt and "Tiếp nhận hồ sơ của" in receipt
    assert "SOCIALIST REPUBLIC" not in receipt and "Received from" not in receipt
    apology = visible_text(client.get(f"/desk/dossiers/{code}/apology").text)
    assert "Kính gửi" in apology and "Dear" not in apology


def test_the_register_export_names_form_07_for_2025_rows_and_06_for_2018_rows(demo):
    app = demo
    import_2019(app)
    code = build_and_commit(app, "processing")
    with app.app_context():
        data = report_files.register(seed.home_agency(), Period(datetime(2019, 1, 1).date(),
                                                                datetime(2026, 3, 31).date(), "test"))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in sheet[5]]
    rows = {row[1]: row[header.index("Mẫu sổ")] for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert rows[OLD_CODE] == "Mẫu số 06 (Thông tư số 01/2018/TT-VPCP)"
    assert rows[code] == "Mẫu số 07 (Thông tư số 03/2025/TT-VPCP)"
    assert sheet.cell(4, len(header)).value == "Mẫu số 07 (Thông tư số 03/2025/TT-VPCP)"
    assert sheet["A2"].value == "SỔ THEO DÕI HỒ SƠ"


def test_the_statistics_form_reads_trong_han_names_the_online_channel_and_goes_to_the_province(demo):
    import docx  # python-docx

    with demo.app_context():
        home, period = seed.home_agency(), Period(datetime(2026, 2, 15).date(), datetime(2026, 3, 14).date(), "Tháng 03/2026")
        sheet = openpyxl.load_workbook(io.BytesIO(report_files.tthc(home, period, period.end, "xlsx"))).active
        document = docx.Document(io.BytesIO(report_files.tthc(home, period, period.end, "docx")))
    cells = [cell.value for row in sheet.iter_rows(max_row=12) for cell in row if cell.value]
    assert "Trong hạn" in cells and "Chưa đến hạn" not in cells  # column (12)
    assert "Đơn vị nhận báo cáo: UBND thành phố Huế" in cells  # the province, no district in between
    text = "\n".join(p.text for p in document.paragraphs)
    assert "qua Cổng Dịch vụ công quốc gia hoặc Hệ thống thông tin giải quyết thủ tục hành chính cấp tỉnh" in text
    assert "(trong hạn 0; quá hạn 0)" in text and "HUYỆN" not in text.upper()
