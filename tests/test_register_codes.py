"""Issue 16, item 1: a register import cannot stop another agency's intake, and intake never trips on a taken code."""
import http.cookiejar
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

import pytest
import sqlalchemy as sa

from conftest import PINNED_NOW

from onestop import calendars, dossiers, ledger, ledger_import, seed
from onestop.extensions import db
from onestop.models import Agency, AgencyLevel, Counter, Dossier, DossierStatus, Procedure

DAY = f"{PINNED_NOW:%y%m%d}"  # the pinned today: an import of today's codes is the dangerous case
KEY = f"code:{PINNED_NOW.date()}"
PROCEDURE = "2.000815"


def _csv(*codes: str) -> bytes:
    rows = [f"{n};{code};{PROCEDURE};Chứng thực;1;Người Nộp {n};;;{PINNED_NOW:%d/%m/%Y} 08:00;"
            f"{PINNED_NOW:%d/%m/%Y};;;;;;;" for n, code in enumerate(codes, start=1)]
    return ("\ufeff" + ";".join(ledger.HEADERS) + ";Kênh;Trạng thái\n" + "\n".join(rows) + "\n").encode()


def _agencies():
    home = seed.home_agency()
    land = db.session.scalar(sa.select(Agency).where(Agency.is_home.is_(False), Agency.external.is_(False))
                             .order_by(Agency.id))
    return home, land


def _receive(agency) -> Dossier:
    procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == PROCEDURE))
    return dossiers.receive(procedure, dossiers.Applicant("Trần Thị Bình"), dossiers.Intake(), agency=agency,
                            clerk=None, now=PINNED_NOW, calendar=calendars.current())


def _numbers(agency) -> list[int]:
    found = db.session.scalars(sa.select(Dossier.code).where(Dossier.code.like(f"{agency.code}-{DAY}-%")))
    return sorted(int(code.rsplit("-", 1)[1]) for code in found)


def _counter(agency) -> int | None:
    return db.session.scalar(sa.select(Counter.last_number).where(Counter.agency_id == agency.id, Counter.key == KEY))


def test_a_clerk_cannot_import_rows_coded_for_another_agency_and_its_intake_goes_on(client, login, demo):
    with demo.app_context():
        home, land = (agency.code for agency in _agencies())
    login("clerk")
    data = _csv(f"{home}-{DAY}-0001", f"{land}-{DAY}-0001", f"{land}-{DAY}-0002")
    refused = client.post("/reports/register/import", data={"file": (BytesIO(data), "so.csv")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "Tệp có 2 dòng không hợp lệ; chưa nhập hồ sơ nào." in refused.text
    for line, number in ((3, 1), (4, 2)):
        assert f"Dòng {line}: mã hồ sơ {land}-{DAY}-000{number} mang mã cơ quan {land}" in refused.text
    with demo.app_context():
        _home, land_agency = _agencies()
        assert db.session.scalar(sa.select(sa.func.count(Dossier.id))) == 0
        assert [_receive(land_agency).code for _ in range(2)] == [f"{land}-{DAY}-0001", f"{land}-{DAY}-0002"]
        db.session.commit()


def test_the_command_line_import_refuses_another_agencys_codes_with_their_lines(runner, demo, tmp_path):
    with demo.app_context():
        home, land = (agency.code for agency in _agencies())
    path = tmp_path / "so.csv"
    path.write_bytes(_csv(f"{land}-{DAY}-0001", "SO-GIAY-12", f"{home}-{DAY}-0003"))
    result = runner.invoke(args=["ledger", "import", str(path)])
    assert result.exit_code != 0
    assert f"dòng 2: mã hồ sơ {land}-{DAY}-0001 mang mã cơ quan {land}" in result.output
    assert "dòng 3" not in result.output and "dòng 4" not in result.output  # a paper code and an own code are fine
    with demo.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Dossier.id))) == 0


def test_an_admin_may_import_codes_of_an_agency_under_their_own_but_a_clerk_may_not(client, login, demo):
    with demo.app_context():
        home, _land = _agencies()
        child = Agency(code="000.15.31.H57", name="Bộ phận một cửa thôn", level=AgencyLevel.COMMUNE, parent=home)
        db.session.add(child)
        db.session.commit()
    data = _csv(f"000.15.31.H57-{DAY}-0001")
    login("clerk")
    upload = {"file": (BytesIO(data), "so.csv")}
    assert client.post("/reports/register/import", data=upload, content_type="multipart/form-data").status_code == 422
    client.post("/auth/logout")
    login("admin")
    upload = {"file": (BytesIO(data), "so.csv")}
    assert client.post("/reports/register/import", data=upload, content_type="multipart/form-data").status_code == 302
    with demo.app_context():
        child = db.session.scalar(sa.select(Agency).where(Agency.code == "000.15.31.H57"))
        assert _counter(child) == 1  # the child's own intake today starts at 0002
        assert _receive(child).code == f"000.15.31.H57-{DAY}-0002"
        db.session.commit()


def test_importing_todays_own_codes_moves_the_counter_past_them_without_a_gap(session, demo):
    home, _land = _agencies()
    data = _csv(f"{home.code}-{DAY}-1", f"{home.code}-{DAY}-0002", f"{home.code}-{DAY}-0003",
                f"{home.code}-{DAY}-0005")
    assert ledger_import.import_file(data, "so.csv", home) == 4
    assert _counter(home) == 3  # past the run 1-3; 5 is stepped over when the series reaches it
    assert db.session.scalar(sa.select(Dossier.id).where(Dossier.code == f"{home.code}-{DAY}-0001"))  # canonical
    received = [_receive(home).code.rsplit("-", 1)[1] for _ in range(3)]
    assert received == ["0004", "0006", "0007"]
    assert _numbers(home) == list(range(1, 8))  # unique and gapless


def test_intake_steps_over_codes_taken_before_the_counter_knew_them(session, demo):
    # A database imported into before this fix: the land office's codes sit ahead of its counter.
    home, land = _agencies()
    procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == PROCEDURE))
    for number in (1, 2, 4):
        db.session.add(Dossier(code=f"{land.code}-{DAY}-{number:04d}", procedure=procedure, agency=home,
                               holder_agency=home, applicant_name="Nhập cũ", deadline_value=procedure.deadline_value,
                               deadline_unit=procedure.deadline_unit, received_at=PINNED_NOW, due_at=PINNED_NOW,
                               promised_at=PINNED_NOW, status=DossierStatus.PROCESSING))
    db.session.flush()
    first, second = _receive(land), _receive(land)
    assert (first.code, second.code) == (f"{land.code}-{DAY}-0003", f"{land.code}-{DAY}-0005")
    assert (first.ledger_number, second.ledger_number) == (1, 2)  # the ledger skips nothing
    db.session.commit()


def _clerk_session(base_url):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.open(f"{base_url}/auth/login", urllib.parse.urlencode({"username": "clerk", "password": "demo"}).encode())
    return opener


def _intake(opener, base_url, number):
    form = {"procedure_code": PROCEDURE, "applicant_name": f"Người Nộp {number}", "channel": "direct",
            "quantity": "1", "result_delivery": "desk", "no_documents": "y"}
    with opener.open(f"{base_url}/desk/receive", urllib.parse.urlencode(form).encode()) as response:
        return response.geturl()


@pytest.mark.parametrize("clerks, each", [(4, 4)])
def test_parallel_intake_around_imported_codes_stays_unique_and_gapless(live_server, clerks, each):
    with live_server.app_context():
        home, _land = _agencies()
        ledger_import.import_file(_csv(*(f"{home.code}-{DAY}-{n:04d}" for n in (2, 3, 7, 12))), "so.csv", home)
        db.session.commit()
    base_url = live_server.config["LIVE_URL"]
    openers = [_clerk_session(base_url) for _ in range(clerks)]
    with ThreadPoolExecutor(clerks) as pool:
        pages = list(pool.map(lambda i: _intake(openers[i % clerks], base_url, i), range(clerks * each)))
    assert all("/desk/dossiers/" in page for page in pages)
    with live_server.app_context():
        home, _land = _agencies()
        assert _numbers(home) == list(range(1, clerks * each + 4 + 1))
