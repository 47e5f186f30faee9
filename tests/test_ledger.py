"""The register: export a period, import it into an empty desk, and the statistics come out the same."""
from io import BytesIO

import openpyxl
import pytest
import sqlalchemy as sa

from onestop import ledger, ledger_import, periods, report_files, statistics
from onestop.clock import local
from onestop.extensions import db
from onestop.models import Dossier, DossierStatus, Event, Leg, Pause, Survey, Timeliness

from reportdata import build

MARCH = periods.official_month(2026, 3)
TODAY = MARCH.end


def _empty_the_desk():
    """Every dossier and what hangs on it gone; agencies and the catalogue stay (import needs the catalogue)."""
    for model in (Survey, Leg, Pause, Event, Dossier):
        db.session.execute(sa.delete(model))
    db.session.flush()


def test_a_period_exported_and_imported_into_an_empty_desk_gives_the_same_statistics(session):
    built = build()
    six = db.session.scalar(sa.select(Dossier).where(Dossier.code.like("%-T-0006")))
    db.session.add(Leg(dossier=six, partner=built.child, sent_at=six.received_at, due_at=six.due_at))  # liên thông
    db.session.flush()
    before = statistics.tthc_report(built.home, MARCH, TODAY).units[0]
    exported = report_files.register(built.home, MARCH)
    codes = [line.code for line in ledger.lines(built.home, MARCH)]
    assert len(codes) == 10  # the home desk's 12 less #7 (done before) and #8 (received after)
    _empty_the_desk()
    assert ledger_import.import_file(exported, "so.xlsx", built.home) == 10
    after = statistics.tthc_report(built.home, MARCH, TODAY)
    assert after.units[0].rows == before.rows and after.units[0].total == before.total
    six = db.session.scalar(sa.select(Dossier).where(Dossier.code.like("%-T-0006")))
    assert six.status == DossierStatus.AT_PARTNER and [leg.partner for leg in six.legs] == [built.child]
    three = db.session.scalar(sa.select(Dossier).where(Dossier.code.like("%-T-0003")))
    assert (three.status, three.timeliness) == (DossierStatus.REFUSED, Timeliness.LATE)


def test_the_register_file_has_the_form_columns_and_real_dates(session):
    built = build()
    sheet = openpyxl.load_workbook(BytesIO(report_files.register(built.home, MARCH))).active
    assert sheet["A2"].value == "SỔ THEO DÕI HỒ SƠ"
    assert tuple(cell.value for cell in sheet[5]) == (*ledger.HEADERS, *ledger.OPTIONAL_HEADERS)
    first = [cell.value for cell in sheet[6]]
    assert first[1].endswith("-T-0005") and first[8].strftime("%d/%m/%Y %H:%M") == "05/02/2026 09:00"
    assert sheet.cell(6, 9).number_format == "dd/mm/yyyy hh:mm"


CSV_HEAD = ";".join(ledger.HEADERS) + ";Kênh;Trạng thái\n"


def _csv(*rows: str) -> bytes:
    return ("\ufeff" + CSV_HEAD + "\n".join(rows) + "\n").encode("utf-8")


def test_an_imported_csv_row_with_another_lead_agency_is_inter_agency(session):
    built = build()
    _empty_the_desk()
    data = _csv("1;H-001;T.000001;Khai sinh;1;Lê Văn Bình;\"Thôn A; 0912345678\";Phòng Tư pháp huyện;"
                "02/03/2026 08:00;05/03/2026;03/03/2026 09:00;04/03/2026 16:00;05/03/2026 10:00;Bình;;trực tuyến;")
    assert ledger_import.import_file(data, "so.csv", built.home) == 1
    dossier = db.session.scalar(sa.select(Dossier))
    assert (dossier.applicant_address, dossier.applicant_phone) == ("Thôn A", "0912345678")
    assert (dossier.status, dossier.timeliness, dossier.channel) == (DossierStatus.RETURNED, Timeliness.EARLY, "online")
    leg = dossier.legs[0]
    assert leg.partner.name == "Phòng Tư pháp huyện" and leg.partner.external
    assert local(dossier.due_at).strftime("%d/%m/%Y %H:%M") == "05/03/2026 17:00"  # a date alone means 17:00


def test_a_file_with_bad_rows_is_refused_whole_with_every_reason(session):
    built = build()
    _empty_the_desk()
    good = "1;H-001;T.000001;Khai sinh;1;Lê Văn Bình;;;02/03/2026 08:00;05/03/2026;;;;;;;"
    data = _csv(good,
                "2;H-002;9.999999;Không có;1;Trần Thị Cúc;;;02/03/2026;05/03/2026;;;;;;;",
                "3;H-003;T.000001;Khai sinh;1;;;;02/03/2026;05/03/2026;;;;;;;",
                "4;H-001;T.000001;Khai sinh;1;Lê Văn Dũng;;;31/02/2026;05/03/2026;;;;;;;",
                "5;H-005;T.000001;Khai sinh;1;Võ Văn Em;;;04/03/2026;05/03/2026;;03/03/2026;;;;;",
                "6;H-006;T.000001;Khai sinh;1;Võ Thị Gái;;;04/03/2026;05/03/2026;;;;;;điện thoại;")
    with pytest.raises(ledger_import.LedgerError) as refused:
        ledger_import.import_file(data, "so.csv", built.home)
    reasons = dict(refused.value.rows)
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert "không có trong danh mục" in reasons[3] and "thiếu tên" in reasons[4]
    assert "31/02/2026" in reasons[5] and "sớm hơn ngày nhận hồ sơ" in reasons[6] and "kênh" in reasons[7]
    assert db.session.scalar(sa.select(sa.func.count(Dossier.id))) == 0


@pytest.fixture
def desk(demo):
    from onestop import seed

    with demo.app_context():
        build(seed.home_agency())
        db.session.commit()
    return demo


def test_the_register_screen_lists_the_period_and_imports_a_file(client, login, desk):
    login("clerk")
    page = client.get("/reports/register", query_string={"kind": "month", "year": 2026, "number": 3}).text
    assert page.count("-T-00") == 10 and "000.13.31.H57-T-0007" not in page
    response = client.get("/reports/register.xlsx", query_string={"kind": "month", "year": 2026, "number": 3})
    assert response.status_code == 200 and "so-theo-doi_000.13.31.H57_20260215-20260314.xlsx" in \
        response.headers["Content-Disposition"]
    row = "1;H-001;T.000001;Khai sinh;1;Lê Văn Bình;;;02/03/2026 08:00;05/03/2026;;;;;;;"
    done = client.post("/reports/register/import", data={"file": (BytesIO(_csv(row)), "so.csv")},
                       content_type="multipart/form-data")
    assert done.status_code == 302
    assert "Đã nhập 1 hồ sơ vào sổ theo dõi." in client.get(done.location).text


def test_a_refused_upload_lists_the_bad_rows_and_adds_nothing(client, login, desk):
    login("clerk")
    rows = ("1;H-001;T.000001;Khai sinh;1;Lê Văn Bình;;;02/03/2026 08:00;05/03/2026;;;;;;;",
            "2;H-002;T.000001;Khai sinh;1;;;;02/03/2026 08:00;05/03/2026;;;;;;;")
    refused = client.post("/reports/register/import", data={"file": (BytesIO(_csv(*rows)), "so.csv")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "Tệp có 1 dòng không hợp lệ; chưa nhập hồ sơ nào." in refused.text
    assert "Dòng 3: thiếu tên cá nhân, tổ chức" in refused.text
    wrong_kind = client.post("/reports/register/import", data={"file": (BytesIO(b"x"), "so.pdf")},
                             content_type="multipart/form-data")
    assert wrong_kind.status_code == 422 and "Chỉ nhận tệp .csv hoặc .xlsx." in wrong_kind.text
    with desk.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Dossier.id)).where(Dossier.code.like("H-%"))) == 0


def test_ledger_export_then_import_on_the_command_line_keeps_the_statistics(runner, desk, tmp_path):
    from onestop import seed

    output = tmp_path / "so.xlsx"
    result = runner.invoke(args=["ledger", "export", "--from", "15/02/2026", "--to", "14/03/2026", "-o", str(output)])
    assert result.exit_code == 0, result.output
    with desk.app_context():
        home = seed.home_agency()
        before = statistics.tthc_report(home, MARCH, TODAY).units[0]
        _empty_the_desk()
        db.session.commit()
    result = runner.invoke(args=["ledger", "import", str(output)])
    assert result.exit_code == 0 and "Đã nhập 10 hồ sơ" in result.output, result.output
    with desk.app_context():
        after = statistics.tthc_report(seed.home_agency(), MARCH, TODAY)
        assert (after.summary.rows, after.summary.total) == (before.rows, before.total)
    again = runner.invoke(args=["ledger", "import", str(output)])  # the same file twice: every code is taken
    assert again.exit_code != 0 and "dòng 6: mã hồ sơ" in again.output


def test_the_lead_agency_stays_the_desks_for_a_dossier_only_sent_for_coordination(session, demo):
    from lifecycle import LAND_OFFICE, MONDAY, people, receive
    from onestop import calendars, transfers, workflow
    from onestop.models import Agency

    users, calendar = people(), calendars.current()
    checked = receive("1.004837", at=MONDAY)  # guardianship: the land office is not on its route
    on_route = receive("XA.DD.02", at=MONDAY)  # first land-use certificate: the land office decides
    for dossier in (checked, on_route):
        workflow.hand_over(dossier, users["clerk"], to_user=users["officer"], now=MONDAY.replace(hour=9))
        transfers.send_to_partner(dossier, users["officer"], agency_code=LAND_OFFICE, share=1, confirm_late=True,
                                  now=MONDAY.replace(hour=10), calendar=calendar)
    session.flush()
    home = session.scalar(sa.select(Agency).where(Agency.code == "000.13.31.H57"))
    lead = {line.code: (line.lead_agency, line.sent_at) for line in ledger.lines(home, MARCH)}
    assert lead[checked.code] == (home.name, None)
    land_office = session.scalar(sa.select(Agency).where(Agency.code == LAND_OFFICE))
    assert lead[on_route.code] == (land_office.name, on_route.legs[0].sent_at)
