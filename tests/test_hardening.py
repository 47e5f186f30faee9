"""Issue 9's remaining proofs: SQLite in WAL mode with foreign keys, oversized imports refused whole, and the
privacy log of every page that shows an applicant's personal data, readable by the agency's own admins only."""
import io
import random
import zipfile
from io import BytesIO

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from conftest import make_app, xlsx
from lifecycle import build
from onestop import audit, catalogue, ledger, ledger_import, seed, tables
from onestop.extensions import db
from onestop.models import Dossier, PersonalDataView, Procedure, User

from test_catalogue import HEADER as CATALOGUE_HEADER

UPLOAD_LIMIT = 8 * 1024 * 1024  # the app's MAX_CONTENT_LENGTH
CELL = "x" * 100_000  # a long but legal cell: csv's own field limit is 131072 characters


# --- the database file survives a power cut, and rows never point nowhere ---

def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_every_database_enforces_them(database_url, tmp_path):
    postgres = database_url.startswith("postgresql")
    # A fresh file: WAL sticks to a file once set, so the run's shared database would pass without the setting.
    app = make_app(database_url if postgres else f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    with app.app_context():
        if not postgres:
            db.create_all()
            with db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.session.add(User(username="ghost", password_hash="x", agency_id=987_654_321))
        with pytest.raises(IntegrityError):
            db.session.flush()  # the agency does not exist
        db.session.rollback()


# --- oversized imports: a clear Vietnamese refusal, and nothing imported ---

def _catalogue_csv(size: int) -> bytes:
    """A valid catalogue file bigger than `size`: each row's fee is a long text."""
    rows, total = [CATALOGUE_HEADER], 0
    while total <= size:
        rows.append(f"9.{len(rows):06d};Thủ tục {len(rows)};Chứng thực;1;ngày làm việc;3;{CELL};có;;")
        total += len(rows[-1])
    return "\r\n".join(rows).encode()


def _ledger_csv(size: int) -> bytes:
    """A valid register file bigger than `size`: each row's note is a long text."""
    rows, total = [";".join(ledger.HEADERS)], 0
    while total <= size:
        rows.append(f"{len(rows)};H-{len(rows):05d};1.004837;Đăng ký giám hộ;1;Lê Văn Bình;;;"
                    f"02/03/2026 08:00;05/03/2026;;;;;{CELL}")
        total += len(rows[-1])
    return "\n".join(rows).encode()


def _xlsx(csv_data: bytes, rows: int = 3, padding: int = 0, packed: bool = False) -> bytes:
    """The first rows of a CSV as a real workbook, plus a part of `padding` bytes that no reader opens:
    random and stored (a big file), or zeros and deflated (a small file that unpacks to a huge one)."""
    buffer = io.BytesIO(xlsx(*(line.split(";") for line in csv_data.decode().splitlines()[:rows])))
    if padding:
        with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED if packed else zipfile.ZIP_STORED) as zf:
            with zf.open("xl/padding.bin", "w", force_zip64=True) as part:
                chunk = bytes(1024 * 1024) if packed else random.Random(9).randbytes(1024 * 1024)
                for _ in range(padding // len(chunk) + 1):
                    part.write(chunk)
    return buffer.getvalue()


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.count(Procedure.id))),
                db.session.scalar(sa.select(sa.func.count(Dossier.id))))


def _file(kind: str, csv_data: bytes, size: int) -> tuple[bytes, str]:
    return (csv_data, "tep.csv") if kind == "csv" else (_xlsx(csv_data, padding=size), "tep.xlsx")


def _upload(client, url: str, data: bytes, name: str):
    # The body encoded here: the test client would spool a big one to a temporary file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(BytesIO(data), filename=name)})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_oversized_catalogue_upload_is_refused_with_the_limit_and_imports_nothing(app, client, login, kind):
    login("admin")
    before = _counts(app)
    data, name = _file(kind, _catalogue_csv(UPLOAD_LIMIT), UPLOAD_LIMIT)
    assert len(data) > UPLOAD_LIMIT
    response = _upload(client, "/admin/catalogue/import", data, name)
    assert response.status_code == 413
    assert "Tệp quá lớn: chỉ nhận tệp tới 8 MB. Chưa nhập thủ tục nào" in response.text
    assert _counts(app) == before


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_oversized_register_upload_is_refused_and_imports_nothing(app, client, login, kind):
    login("clerk")
    before = _counts(app)
    data, name = _file(kind, _ledger_csv(UPLOAD_LIMIT), UPLOAD_LIMIT)
    response = _upload(client, "/reports/register/import", data, name)
    assert response.status_code == 413
    assert "Tệp quá lớn: chỉ nhận tệp tới 8 MB. Chưa nhập hồ sơ nào" in response.text
    assert 'name="file"' in response.text  # the register page with its import form, to try again
    assert _counts(app) == before


IMPORTERS = {
    "catalogue": (_catalogue_csv, catalogue.CatalogueError, lambda data, name: catalogue.import_file(data, name)),
    "ledger": (_ledger_csv, ledger_import.LedgerError,
               lambda data, name: ledger_import.import_file(data, name, seed.home_agency())),
}


@pytest.mark.parametrize("importer", list(IMPORTERS))
def test_the_importers_refuse_a_file_over_their_own_limit(app, demo, importer):
    """The command line reads files of any size: the importers themselves refuse a huge one."""
    make_csv, error, import_file = IMPORTERS[importer]
    before = _counts(app)
    data = make_csv(tables.MAX_FILE_BYTES)
    with app.app_context(), pytest.raises(error) as refused:
        import_file(data, "tep.csv")
    assert "Tệp quá lớn" in str(refused.value) and "tối đa 32 MB" in str(refused.value)
    assert _counts(app) == before


@pytest.mark.parametrize("importer", list(IMPORTERS))
def test_the_importers_refuse_a_small_xlsx_that_unpacks_to_a_huge_one(app, demo, importer):
    make_csv, error, import_file = IMPORTERS[importer]
    before = _counts(app)
    data = _xlsx(make_csv(0), rows=2, padding=tables.MAX_UNPACKED_BYTES, packed=True)
    assert len(data) < UPLOAD_LIMIT  # it would pass the upload limit
    with app.app_context(), pytest.raises(error) as refused:
        import_file(data, "tep.xlsx")
    assert "Tệp Excel quá lớn khi giải nén" in str(refused.value) and "tối đa 256 MB" in str(refused.value)
    assert _counts(app) == before


# --- the privacy log: every page that shows an applicant's personal data ---

PHONE = "0912345678"  # every dossier of lifecycle.build has this phone


def _views(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(sa.select(PersonalDataView).order_by(PersonalDataView.id))
        return [(row.user.username, row.dossier.code, row.via) for row in rows]


def _built(app, *states) -> list[str]:
    with app.app_context():
        codes = [build(state).code for state in states]
        db.session.commit()
        return codes


@pytest.mark.parametrize(("state", "form", "via", "label"), [
    ("received", "receipt", "receipt", "Giấy tiếp nhận (mẫu 01)"),
    ("received", "label", "label", "Nhãn bìa hồ sơ"),
    ("awaiting_supplement", "supplement", "supplement", "Phiếu yêu cầu bổ sung (mẫu 02)"),
    ("refused", "refusal", "refusal", "Phiếu từ chối (mẫu 03)"),
    ("apologized", "apology", "apology", "Phiếu xin lỗi (mẫu 04)"),
    ("processing", "control", "control", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),  # 05 of 2018, 06 of 2025
    ("stopped", "stop-notice", "stop", "Thông báo dừng giải quyết hồ sơ (mẫu 05)"),
])
def test_printing_a_form_with_personal_data_is_logged_and_admins_read_it(app, client, login, state, form, via, label):
    code, = _built(app, state)
    login("clerk")
    assert client.get(f"/desk/dossiers/{code}/{form}").status_code == 200
    assert _views(app) == [("clerk", code, via)]
    client.post("/auth/logout")
    login("admin")
    log = client.get("/admin/privacy-log").text
    assert code in log and label in log and "Lê Thị Thu" in log


def test_search_results_are_logged_one_row_per_dossier_shown(app, client, login):
    codes = _built(app, "received", "processing")
    login("officer")
    assert client.get("/desk/search", query_string={"q": "khong co ai"}).status_code == 200
    assert _views(app) == []  # nothing shown, nothing logged
    page = client.get("/desk/search", query_string={"q": PHONE}).text
    assert all(code in page for code in codes)
    assert sorted(_views(app)) == sorted(("officer", code, "search") for code in codes)
    client.post("/auth/logout")
    login("admin")
    assert "Kết quả tìm hồ sơ" in client.get("/admin/privacy-log").text


def test_every_desk_page_that_shows_an_applicant_is_logged(app, client, login):
    """A new page or slip showing the applicant's name fails here until it is in PERSONAL_DATA_ENDPOINTS."""
    codes = _built(app, "awaiting_supplement", "refused", "apologized", "stopped")
    login("clerk")
    urls, shown = app.url_map.bind("localhost"), set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("desk.") or "GET" not in rule.methods or "code" not in rule.arguments:
            continue
        for code in codes:
            response = client.get(urls.build(rule.endpoint, {"code": code, "kind": "svg"}))
            if response.status_code == 200 and "Phạm Văn Dũng" in response.get_data(as_text=True):
                shown.add(rule.endpoint)
    unlogged = shown - set(audit.PERSONAL_DATA_ENDPOINTS)
    assert unlogged == set()
    assert {"desk.show", "desk.receipt", "desk.supplement_slip", "desk.refusal_slip", "desk.apology_slip",
            "desk.stop_notice"} <= shown


def test_an_admin_reads_only_the_log_and_events_of_their_own_agencys_dossiers(app, client, login):
    code, = _built(app, "processing")
    login("officer")
    client.get(f"/desk/dossiers/{code}")
    client.post("/auth/logout")
    with app.app_context():
        land_office = db.session.scalar(sa.select(User).where(User.username == "partner")).agency
        seed.ensure_user("land.admin", "Võ Văn Tư", ["admin"], land_office, "demo")
        db.session.commit()
    login("land.admin")
    assert code not in client.get("/admin/privacy-log").text
    assert code not in client.get("/admin/events").text
    assert "0 lượt xem" in client.get("/admin/privacy-log", query_string={"code": code}).text
    client.post("/auth/logout")
    login("admin")
    assert code in client.get("/admin/privacy-log").text and code in client.get("/admin/events").text
