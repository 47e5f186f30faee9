"""The forms of the 2025 regime as Chromium prints them (issue 14): number, title and masthead on one A5 sheet,
read back from the PDF; the 2019 history keeps the 2018 forms; a 35-character e-ID's code still scans."""
import shutil
import subprocess
from datetime import datetime

import pytest
import sqlalchemy as sa

from lifecycle import build, people
from onestop import calendars, dossiers, seed, workflow
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import Procedure, User
from test_receipt import print_pages, size_mm, zbarimg
from test_regimes import import_2019

pytestmark = [pytest.mark.browser, pytest.mark.zbar]

NOW = datetime(2026, 3, 5, 9, 0, tzinfo=VN)
LONG = "H57.UBND.XAQUANGTHO.TTPVHCC.2025.01"
LONG_APPLICANT = "Tôn Nữ Thị Hoàng Phương Thảo"


def log_in(page, live_server, username="leader", password="demo") -> str:
    url = live_server.config["LIVE_URL"]
    page.goto(f"{url}/auth/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda address: "/auth/login" not in address)
    return url


def pdf_text(tmp_path, name, *options) -> str:
    return subprocess.run(["pdftotext", *options, str(tmp_path / f"{name}.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout


def printed(page, url, tmp_path, name, screenshot_dir) -> str:
    """Print a form as Chromium does: one A5 sheet, kept as a picture in test-artifacts/; its text."""
    page.goto(url)
    sheets = print_pages(page, tmp_path, name, format="A5")
    assert len(sheets) == 1, name
    assert size_mm(sheets[0]) == pytest.approx((148, 210), abs=0.5)
    shutil.copy(sheets[0], screenshot_dir / f"{name}.png")
    return " ".join(pdf_text(tmp_path, name).split())  # the masthead's narrow column wraps its lines


def test_the_2025_receipt_form_04_and_form_05_print_with_their_numbers(page, live_server, tmp_path, screenshot_dir):
    with live_server.app_context():
        people()
        apologised, stopped = build("apologized").code, build("processing")
        workflow.stop(stopped, db.session.scalar(sa.select(User).filter_by(username="leader")),
                      reason="Có văn bản của Tòa án nhân dân khu vực yêu cầu tạm dừng giải quyết", now=NOW,
                      calendar=calendars.current())
        stopped = stopped.code
        db.session.commit()
    url = log_in(page, live_server)

    receipt = printed(page, f"{url}/desk/dossiers/{apologised}/receipt", tmp_path, "regime-2025-receipt", screenshot_dir)
    for expected in ("Mẫu số 01", "UBND XÃ QUẢNG THỌ", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
                     "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"):
        assert expected in receipt
    assert "HUYỆN" not in receipt
    # The number sits at the top right, above the national title, as the official templates carry it.
    lines = [line for line in pdf_text(tmp_path, "regime-2025-receipt", "-layout").splitlines() if line.strip()]
    assert lines[0].strip() == "Mẫu số 01" and lines[0].startswith(" " * 40)

    apology = printed(page, f"{url}/desk/dossiers/{apologised}/apology", tmp_path, "regime-2025-form04", screenshot_dir)
    assert "Mẫu số 04" in apology and "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in apology
    assert "đồng ý gia hạn" in apology

    notice = printed(page, f"{url}/desk/dossiers/{stopped}/stop-notice", tmp_path, "regime-2025-form05", screenshot_dir)
    assert "Mẫu số 05" in notice and "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in notice and "Tòa án nhân dân" in notice


def test_a_dossier_from_2019_prints_the_2018_receipt_under_the_district(page, live_server, tmp_path, screenshot_dir):
    code = import_2019(live_server)
    url = log_in(page, live_server, "clerk")
    receipt = printed(page, f"{url}/desk/dossiers/{code}/receipt", tmp_path, "regime-2018-receipt", screenshot_dir)
    for expected in ("Mẫu số 01", "UBND HUYỆN QUẢNG ĐIỀN", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"):
        assert expected in receipt
    control = printed(page, f"{url}/desk/dossiers/{code}/control", tmp_path, "regime-2018-control", screenshot_dir)
    assert "Mẫu số 05" in control and "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in control


def test_a_35_character_e_id_prints_a_receipt_and_label_that_scan(page, live_server, tmp_path, screenshot_dir):
    with live_server.app_context():
        home = seed.home_agency()
        home.code = LONG  # an e-ID re-issued after the 2025 mergers, before any dossier carried the old one
        db.session.commit()
        clerk = db.session.scalar(sa.select(User).filter_by(username="clerk"))
        procedure = db.session.scalar(sa.select(Procedure).filter_by(code="1.001193"))
        documents = [{"name": name, "kind": "original", "count": 1} for name in procedure.documents]
        code = dossiers.receive(procedure, dossiers.Applicant(name=LONG_APPLICANT, address="Thôn Phước Thanh"),
                                dossiers.Intake(documents=documents), agency=clerk.agency, clerk=clerk, now=NOW,
                                calendar=calendars.current()).code
        db.session.commit()
    assert code == f"{LONG}-260305-0001"
    url = log_in(page, live_server, "clerk")
    receipt = printed(page, f"{url}/desk/dossiers/{code}/receipt", tmp_path, "regime-long-eid-receipt", screenshot_dir)
    assert f"Mã hồ sơ: {code}" in receipt
    # Nothing overflows the sheet, so Chromium does not shrink the page: the sheet's text keeps its size.
    assert page.evaluate("() => { const s = document.querySelector('.sheet'); return s.scrollWidth <= s.clientWidth; }")
    symbols = dict(zbarimg(tmp_path / "regime-long-eid-receipt-1.png"))
    assert symbols["CODE-128"] == code and f"/tra-cuu/{code}?t=" in symbols["QR-Code"]

    page.goto(f"{url}/desk/dossiers/{code}/label")
    sheets = print_pages(page, tmp_path, "regime-long-eid-label", prefer_css_page_size=True)
    assert len(sheets) == 1 and size_mm(sheets[0]) == pytest.approx((100, 50), abs=0.5)
    shutil.copy(sheets[0], screenshot_dir / "regime-long-eid-label.png")
    assert zbarimg(sheets[0]) == [("CODE-128", code)]
