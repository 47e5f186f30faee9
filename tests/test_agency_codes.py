"""Agency e-IDs after the 2025 mergers (issue 14): dot-separated A–Z/0–9 segments, at most 35 characters, in
either level order (Decision 20/2020/QĐ-TTg); no fixed 13-character mask anywhere; the daily number grows past 4
digits."""
import io
from datetime import datetime

import pytest
import sqlalchemy as sa
from PIL import Image
from pyzbar.pyzbar import decode

from onestop import calendars, codes, counters, dossiers, seed
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import Agency, Counter, Procedure, User

LONG = "H57.UBND.XAQUANGTHO.TTPVHCC.2025.01"  # 35 characters, highest level first
NOW = datetime(2026, 3, 5, 9, 0, tzinfo=VN)


def test_the_shape_is_opaque_segments_up_to_35_characters():
    assert len(LONG) == 35
    for good in ("000.13.31.H57", LONG, "G22.101", "H57"):
        assert codes.is_agency_code(good), good
    for bad in (LONG + "X", "000.13.31.h57", "000..31.H57", ".000.13", "000.13.", "XA-THU", "000.13 31", "Đ.01"):
        assert not codes.is_agency_code(bad), bad
    full = f"{LONG}-260305-0001"
    assert codes.parse_dossier_code(full.lower()) == full
    assert codes.parse_dossier_code(f"https://motcua.example.vn/tra-cuu/{full}?t=x") == full
    assert codes.expand_short_code("260305-0001", LONG) == full
    assert codes.parse_dossier_code(f"{LONG}X-260305-0001") is None  # 36 characters


@pytest.fixture
def long_home(app, runner):
    """A commune set up with a 35-character e-ID, the demo catalogue and a clerk."""
    result = runner.invoke(args=["setup", "--agency-code", LONG, "--agency-name", "UBND xã Quảng Thọ",
                                 "--place", "Quảng Thọ"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        home = seed.home_agency()
        assert home.code == LONG
        seed.load_demo_agencies()  # the catalogue's partners (and the province above the commune)
        seed.load_catalogue()
        seed.ensure_user("thu", "Lê Thị Thu", ["clerk"], home, "Quang-Tho-2026!")
        db.session.commit()
    return app


def _receive(app) -> str:
    with app.app_context():
        clerk = db.session.scalar(sa.select(User).filter_by(username="thu"))
        procedure = db.session.scalar(sa.select(Procedure).filter_by(code="1.001193"))
        dossier = dossiers.receive(procedure, dossiers.Applicant(name="Hồ Thị Lài"), dossiers.Intake(),
                                   agency=clerk.agency, clerk=clerk, now=NOW, calendar=calendars.current())
        db.session.commit()
        return dossier.code


def test_setup_intake_scan_receipt_and_kiosk_work_with_a_35_character_e_id(long_home, client):
    code = _receive(long_home)
    assert code == f"{LONG}-260305-0001"
    client.post("/auth/login", data={"username": "thu", "password": "Quang-Tho-2026!"})
    scanned = client.get("/desk/scan", query_string={"code": code.lower()})
    assert scanned.status_code == 302 and scanned.headers["Location"].endswith(f"/desk/dossiers/{code}")
    receipt = client.get(f"/desk/dossiers/{code}/receipt")
    assert receipt.status_code == 200 and code in receipt.text
    png = client.get(f"/desk/dossiers/{code}/code128.png")
    assert [symbol.data.decode() for symbol in decode(Image.open(io.BytesIO(png.data)))] == [code]
    kiosk = client.get(f"/kiosk/{LONG}/lookup", query_string={"code": "260305-0001"})
    assert kiosk.status_code == 200 and code in kiosk.text


def test_the_receipt_bars_narrow_to_fit_a5_for_a_long_code_and_stay_03_mm_otherwise():
    long_code, short_code = f"{LONG}-260305-0001", "000.13.31.H57-260305-0001"
    assert codes.module_mm(short_code, 104) == codes.MODULE_MM
    module = codes.module_mm(long_code, 104)
    assert codes.MIN_MODULE_MM <= module < codes.MODULE_MM
    width = float(codes.code128_svg(long_code, 104).split('width="', 1)[1].split("mm", 1)[0])
    assert width <= 104.5  # fits beside the small QR on the 128 mm text width of an A5 sheet


def test_the_daily_number_grows_past_four_digits(long_home, client):
    with long_home.app_context():
        home = seed.home_agency()
        counters.next_number(home.id, "code:2026-03-05")  # the day's series, then as if 9,999 were taken
        db.session.get(Counter, (home.id, "code:2026-03-05")).last_number = 9999
        db.session.commit()
    code = _receive(long_home)
    assert code == f"{LONG}-260305-10000"
    assert codes.parse_dossier_code(code) == code and codes.expand_short_code("260305-10000", LONG) == code
    client.post("/auth/login", data={"username": "thu", "password": "Quang-Tho-2026!"})
    assert client.get(f"/desk/dossiers/{code}").status_code == 200


def test_admins_and_the_api_take_a_35_character_code(app, client, login):
    login("admin")
    form = {"code": LONG.lower(), "name": "Chi nhánh Văn phòng Đăng ký đất đai khu vực 3", "level": "department",
            "parent": "", "receiving_unit": ""}
    response = client.post("/admin/agencies/", data=form)  # typed in lower case: kept in capitals
    assert response.status_code == 302, response.text
    with app.app_context():
        assert db.session.scalar(sa.select(Agency.name).where(Agency.code == LONG)) == form["name"]
    too_long = client.post("/admin/agencies/", data={**form, "code": LONG + "1"})
    assert too_long.status_code == 422 and "tối đa 35 ký tự" in too_long.text


def test_the_register_import_takes_a_dossier_code_of_a_35_character_e_id(long_home):
    from onestop import ledger, ledger_import

    code = f"{LONG}-250916-12345"  # 53 characters: a long e-ID and a day past 9,999 dossiers
    row = (f"1;{code};1.001193;Đăng ký khai sinh;1;Hồ Thị Lài;;;16/09/2025 08:30;16/09/2025 17:00;;"
           "16/09/2025 10:00;16/09/2025 14:00;Lài;;;")
    with long_home.app_context():
        data = ("\ufeff" + ";".join(ledger.HEADERS) + ";Kênh;Trạng thái\n" + row + "\n").encode()
        assert ledger_import.import_file(data, "so.csv", seed.home_agency()) == 1
        db.session.commit()
        assert dossiers.find_by_code(code.lower()).code == code
