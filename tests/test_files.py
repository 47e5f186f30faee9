"""Issue 18: scans and electronic results kept in a directory or a real S3 server (SeaweedFS), safely served."""
import hashlib
from datetime import date
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from pypdf import PdfWriter
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from conftest import _empty_tables, make_app
from lifecycle import build
from query_plans import add_closed_history, capturing, plan
from onestop import codes, dossiers, periods, seed, tokens, workflow
from onestop.extensions import db
from onestop.files import figures, storage, store
from onestop.models import Dossier, DossierFile, Event, PersonalDataView, User

DOCUMENTS = [{"name": "Tờ khai đăng ký giám hộ", "kind": "original", "count": 1},
             {"name": "Giấy tờ chứng minh điều kiện giám hộ", "kind": "copy", "count": 1}]
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(200)


def pdf(pages: int = 1, padding: int = 0) -> bytes:
    """A real PDF of blank A4 pages, padded with a PDF comment to reach a size."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue() + (b"%" + b"x" * padding + b"\n" if padding else b"")


def jpeg(size=(400, 560)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def files_app(database_url, file_store):
    """An app on the run's database with the demo data and the test's file store (directory or S3)."""
    app = make_app(database_url, **file_store)
    with app.app_context():
        home, partners = seed.load_demo_agencies()
        seed.load_catalogue()
        seed.load_demo_users(home, partners[0])
        db.session.commit()
    yield app
    _empty_tables(app)


def token_of(app, username: str) -> dict:
    with app.app_context():
        token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == username)))
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def new_dossier(app, state: str = "received") -> str:
    with app.app_context():
        dossier = build(state)
        dossier.documents = DOCUMENTS
        db.session.commit()
        return dossier.code


def multipart(files: dict, **fields) -> dict:
    """A multipart body encoded in memory (the test client spools large ones to a file it never closes)."""
    parts = {key: FileStorage(io.BytesIO(data), filename=name) for key, (data, name) in files.items()}
    boundary, body = encode_multipart({**parts, **{key: str(value) for key, value in fields.items()}})
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def upload(client, code, headers, data: bytes, name="giay-to.pdf", **fields):
    return client.post(f"/api/v1/dossiers/{code}/files", headers=headers,
                       **multipart({"file": (data, name)}, **fields))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def stored_keys(app) -> list[str]:
    with app.app_context():
        return list(storage.current_store().keys("blobs/"))


def test_a_scan_is_uploaded_listed_and_downloaded_byte_identical(files_app):
    client, clerk = files_app.test_client(), token_of(files_app, "clerk")
    code, scan = new_dossier(files_app), pdf(pages=2)
    response = upload(client, code, clerk, scan, name="../../Tờ khai.pdf", kind="component", document=0,
                      title="Tờ khai", document_number="12/TK", issued_on="2026-03-01")
    assert response.status_code == 201, response.json
    item = response.json
    assert {key: item[key] for key in ("kind", "document", "title", "name", "size", "sha256", "content_type")} == {
        "kind": "component", "document": 0, "title": "Tờ khai", "name": "Tờ khai.pdf", "size": len(scan),
        "sha256": hashlib.sha256(scan).hexdigest(), "content_type": "application/pdf"}
    assert item["uploaded_at"].endswith("+07:00") and item["issued_on"] == "2026-03-01"

    listed = client.get(f"/api/v1/dossiers/{code}/files", headers=clerk).json["items"]
    assert [entry["id"] for entry in listed] == [item["id"]]

    download = client.get(f"/api/v1/dossiers/{code}/files/{item['id']}", headers=clerk)
    assert download.status_code == 200 and download.data == scan
    assert download.mimetype == "application/pdf" and download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")


def test_a_file_written_by_one_app_server_is_read_by_another(files_app, database_url, file_store):
    clerk, code, scan = token_of(files_app, "clerk"), new_dossier(files_app), jpeg()
    item = upload(files_app.test_client(), code, clerk, scan, name="anh.jpg", document=1).json
    other_server = make_app(database_url, **file_store)  # a second app server: same database, same store
    download = other_server.test_client().get(f"/api/v1/dossiers/{code}/files/{item['id']}", headers=clerk)
    assert download.status_code == 200 and download.data == scan and download.mimetype == "image/jpeg"


@pytest.mark.parametrize("data, name", [(ELF, "giay-khai-sinh.pdf"), (b"<html><script>alert(1)</script>", "scan.png"),
                                        (b"%PDF-1.7\nnot really a pdf", "scan.pdf"), (b"\x89PNG\r\n\x1a\ngarbage", "a.png")])
def test_a_file_that_is_not_a_real_scan_is_refused_and_nothing_is_kept(files_app, data, name):
    client, clerk, code = files_app.test_client(), token_of(files_app, "clerk"), new_dossier(files_app)
    response = upload(client, code, clerk, data, name=name)
    assert response.status_code == 422
    assert "PDF, JPEG hoặc PNG" in response.json["error"]["message"] or "hỏng" in response.json["error"]["message"]
    assert count(files_app, DossierFile) == 0 and stored_keys(files_app) == []


def test_an_oversized_file_is_refused_and_nothing_is_kept(files_app):
    files_app.config.update(FILES_MAX_MB=1)
    client, clerk, code = files_app.test_client(), token_of(files_app, "clerk"), new_dossier(files_app)
    response = upload(client, code, clerk, pdf(padding=1_200_000))
    assert response.status_code == 413
    assert "1 MB" in response.json["error"]["message"]
    assert count(files_app, DossierFile) == 0 and stored_keys(files_app) == []


def test_a_dossier_cannot_hold_more_than_its_limit(files_app):
    files_app.config.update(FILES_MAX_MB=1, FILES_MAX_DOSSIER_MB=1.5)
    client, clerk, code = files_app.test_client(), token_of(files_app, "clerk"), new_dossier(files_app)
    assert upload(client, code, clerk, pdf(padding=800_000)).status_code == 201
    response = upload(client, code, clerk, pdf(padding=800_001))
    assert response.status_code == 413 and count(files_app, DossierFile) == 1


def test_files_are_hidden_from_another_agency(files_app):
    client, clerk = files_app.test_client(), token_of(files_app, "clerk")
    code = new_dossier(files_app)
    item = upload(client, code, clerk, pdf()).json
    partner = token_of(files_app, "partner")  # the land registration office: another agency, no leg sent
    assert client.get(f"/api/v1/dossiers/{code}/files", headers=partner).status_code == 404
    assert client.get(f"/api/v1/dossiers/{code}/files/{item['id']}", headers=partner).status_code == 404
    assert upload(client, code, partner, pdf()).status_code == 404
    assert client.delete(f"/api/v1/dossiers/{code}/files/{item['id']}", headers=partner).status_code == 404
    assert count(files_app, DossierFile) == 1


def test_the_e_result_is_served_to_the_receipt_token_holder_only(files_app):
    client, clerk = files_app.test_client(), token_of(files_app, "clerk")
    code, result = new_dossier(files_app, "result_ready"), pdf()
    assert upload(client, code, clerk, result, name="quyet-dinh.pdf", kind="result").status_code == 201
    token = codes.lookup_token(code, files_app.config["SECRET_KEY"])
    url = f"/tra-cuu/{code}/ket-qua"
    assert client.get(f"{url}?t={token}").status_code == 404  # not returned yet
    with files_app.app_context():
        dossier = dossiers.find_by_code(code)
        clerk_user = db.session.scalar(sa.select(User).where(User.username == "clerk"))
        workflow.return_result(dossier, clerk_user, recipient="Phạm Văn Dũng", now=dossier.completed_at)
        db.session.commit()
    answer = client.get(f"{url}?t={token}")
    assert answer.status_code == 200 and answer.data == result
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert client.get(url).status_code == 404
    assert client.get(f"{url}?t={token[:-2]}xx").status_code == 404
    other = new_dossier(files_app, "returned")
    assert client.get(f"/tra-cuu/{other}/ket-qua?t={token}").status_code == 404  # a token opens its own code only
    page = client.get(f"/tra-cuu/{code}?t={token}")
    assert f'href="/tra-cuu/{code}/ket-qua?t={token}"' in page.text
    assert "ket-qua" not in client.get(f"/tra-cuu/{code}").text


def test_the_same_scan_is_kept_once(files_app):
    client, clerk, code = files_app.test_client(), token_of(files_app, "clerk"), new_dossier(files_app)
    scan = jpeg()
    assert upload(client, code, clerk, scan, document=0).status_code == 201
    assert upload(client, code, clerk, scan, document=1).status_code == 201
    assert count(files_app, DossierFile) == 2 and len(stored_keys(files_app)) == 1


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_a_file_that_cannot_be_stored_leaves_no_row(files_app, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the store's directory should be")
    files_app.config.update(FILES_URL=str(blocker))
    client, clerk, code = files_app.test_client(), token_of(files_app, "clerk"), new_dossier(files_app)
    response = upload(client, code, clerk, pdf())
    assert response.status_code == 503 and "chưa có gì được ghi" in response.json["error"]["message"]
    assert count(files_app, DossierFile) == 0
    with files_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Event.action == "attach_file")) == 0


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_a_row_whose_file_is_missing_shows_an_error_not_a_server_error(files_app, file_store):
    client, clerk, code = files_app.test_client(), token_of(files_app, "clerk"), new_dossier(files_app)
    item = upload(client, code, clerk, pdf(), document=0).json
    for path in Path(file_store["FILES_URL"]).rglob("*"):
        if path.is_file():
            path.unlink()
    answer = client.get(f"/api/v1/dossiers/{code}/files/{item['id']}", headers=clerk)
    assert answer.status_code == 404 and answer.json["error"]["code"] == "file_missing"
    client.post("/auth/login", data={"username": "clerk", "password": seed.DEMO_PASSWORD})
    page = client.get(f"/desk/dossiers/{code}/files/{item['id']}")
    assert page.status_code == 404 and "không còn trong kho" in page.text
    assert client.get(f"/desk/dossiers/{code}").status_code == 200
    assert client.get(f"/desk/dossiers/{code}/files/{item['id']}/thumbnail.png").status_code == 404


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_only_the_uploader_deletes_while_open_and_an_event_records_it(files_app):
    client, clerk, code = files_app.test_client(), token_of(files_app, "clerk"), new_dossier(files_app)
    item = upload(client, code, clerk, pdf()).json
    refused = client.delete(f"/api/v1/dossiers/{code}/files/{item['id']}", headers=token_of(files_app, "leader"))
    assert refused.status_code == 409
    assert client.delete(f"/api/v1/dossiers/{code}/files/{item['id']}", headers=clerk).status_code == 204
    assert count(files_app, DossierFile) == 0 and stored_keys(files_app) == []
    with files_app.app_context():
        actions = list(db.session.scalars(sa.select(Event.action).join(Dossier).where(Dossier.code == code)))
    assert actions[-2:] == ["attach_file", "remove_file"]


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_each_download_of_a_scan_is_written_to_the_personal_data_log(files_app):
    client, clerk, code = files_app.test_client(), token_of(files_app, "clerk"), new_dossier(files_app)
    item = upload(client, code, clerk, pdf()).json
    client.get(f"/api/v1/dossiers/{code}/files/{item['id']}", headers=clerk)
    client.post("/auth/login", data={"username": "officer", "password": seed.DEMO_PASSWORD})
    client.get(f"/desk/dossiers/{code}/files/{item['id']}/view")
    with files_app.app_context():
        logged = db.session.execute(sa.select(User.username, PersonalDataView.via).join(PersonalDataView.user)
                                    .order_by(PersonalDataView.id)).all()
    assert [tuple(row) for row in logged if row.via in ("api_file", "file")] == [("clerk", "api_file"),
                                                                                  ("officer", "file")]


def test_the_api_documents_the_file_operations(app):
    paths = app.test_client().get("/api/v1/openapi.json").json["paths"]
    assert set(paths["/api/v1/dossiers/{code}/files"]) >= {"get", "post"}
    assert set(paths["/api/v1/dossiers/{code}/files/{file_id}"]) >= {"get", "delete"}
    assert "multipart/form-data" in paths["/api/v1/dossiers/{code}/files"]["post"]["requestBody"]["content"]


def test_delete_component_files_keeps_the_result_for_the_retention_purge(session, demo, tmp_path):
    demo.config.update(FILES_URL=str(tmp_path / "files"))
    dossier = build("approved")
    dossier.documents = DOCUMENTS
    clerk = session.scalar(sa.select(User).where(User.username == "clerk"))
    store.attach(dossier, clerk, store.Upload(data=pdf(), document=0), now=dossier.received_at)
    store.attach(dossier, clerk, store.Upload(data=jpeg(), kind=store.FileKind.RESULT), now=dossier.received_at)
    session.commit()
    hashes = store.delete_component_files(dossier)
    session.commit()
    assert store.discard_unreferenced(hashes) == 1
    assert [row.kind.value for row in store.files_of(dossier)] == ["result"]
    assert len(list(storage.current_store().keys("blobs/"))) == 1


@pytest.fixture
def desk_client(files_app):
    client = files_app.test_client()
    client.post("/auth/login", data={"username": "clerk", "password": seed.DEMO_PASSWORD})
    return client


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_the_clerk_attaches_scans_on_the_dossier_page_and_sees_their_thumbnails(files_app, desk_client):
    code = new_dossier(files_app)
    response = desk_client.post(f"/desk/dossiers/{code}/files", **multipart(
        {"file": (pdf(), "to-khai.pdf")}, kind="component", document=0, document_number="01/TK"))
    assert response.status_code == 302
    page = desk_client.get(f"/desk/dossiers/{code}").text
    with files_app.app_context():
        stored = db.session.scalar(sa.select(DossierFile))
    thumbnail = f"/desk/dossiers/{code}/files/{stored.id}/thumbnail.png"
    assert f'src="{thumbnail}" loading="lazy"' in page and "Đã số hóa" in page and "Chưa số hóa" in page
    picture = desk_client.get(thumbnail)
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert Image.open(io.BytesIO(picture.data)).size[0] == 240
    assert desk_client.get(thumbnail, headers={"If-None-Match": f'"{stored.sha256}"'}).status_code == 304


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_a_line_may_be_marked_exempt_with_a_listed_reason(files_app, desk_client):
    code = new_dossier(files_app)
    desk_client.post(f"/desk/dossiers/{code}/files/exemptions", data={"document": 1, "reason": "copy_submitted"})
    page = desk_client.get(f"/desk/dossiers/{code}").text
    assert "Không số hóa</span>" not in page and "Không số hóa: Giấy tờ nộp dưới hình thức bản sao" in page


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_an_exempt_line_scanned_after_all_shows_as_digitised_and_the_full_dossier_skips_the_exemptions(
        files_app, desk_client):
    code = new_dossier(files_app)
    desk_client.post(f"/desk/dossiers/{code}/files/exemptions", data={"document": 1, "reason": "copy_submitted"})
    for line in range(len(DOCUMENTS)):
        response = desk_client.post(f"/desk/dossiers/{code}/files", **multipart(
            {"file": (pdf(padding=line), f"line-{line}.pdf")}, kind="component", document=line))
        assert response.status_code == 302
    with files_app.app_context(), capturing("document_exemption") as asked:
        page = desk_client.get(f"/desk/dossiers/{code}").text
    assert page.count("Đã số hóa") == len(DOCUMENTS) and "Chưa số hóa" not in page and "Không số hóa:" not in page
    assert asked == []  # every line has its scan: what was exempt no longer matters, and is not asked for


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_scans_chosen_beside_the_intake_checklist_belong_to_their_lines(files_app, desk_client):
    response = desk_client.post("/desk/receive", **multipart(
        {"doc_file_2": (jpeg(), "giay-to.jpg"), "doc_file_5": (ELF, "virus.pdf")}, procedure_code="1.004837",
        applicant_name="Trần Thị Bình", doc_checked=2, doc_name_2="Giấy tờ A", doc_name_5="Giấy tờ B"))
    assert response.status_code == 302
    with files_app.app_context():
        assert [(row.document, row.content_type) for row in db.session.scalars(sa.select(DossierFile))] == [
            (0, "image/jpeg")]  # the unchecked line's file is not taken


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_a_renamed_executable_at_intake_refuses_the_whole_intake(files_app, desk_client):
    response = desk_client.post("/desk/receive", **multipart(
        {"doc_file_0": (ELF, "giay-khai-sinh.pdf")}, procedure_code="1.004837", applicant_name="Trần Thị Bình",
        doc_checked=0, doc_name_0="Giấy tờ A"))
    assert response.status_code == 200 and "PDF, JPEG hoặc PNG" in response.text
    assert count(files_app, Dossier) == 0 and count(files_app, DossierFile) == 0


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_marking_the_result_ready_can_attach_the_signed_result(files_app):
    code = new_dossier(files_app, "approved")
    client = files_app.test_client()
    client.post("/auth/login", data={"username": "officer", "password": seed.DEMO_PASSWORD})
    response = client.post(f"/desk/dossiers/{code}/actions/mark_ready", **multipart(
        {"result_file": (pdf(), "quyet-dinh-ky-so.pdf")}))
    assert response.status_code == 302
    with files_app.app_context():
        rows = db.session.execute(sa.select(DossierFile.kind, DossierFile.name)).all()
        assert dossiers.find_by_code(code).status.value == "result_ready"
    assert [(kind.value, name) for kind, name in rows] == [("result", "quyet-dinh-ky-so.pdf")]


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_digitisation_figures_count_dossiers_fully_scanned_and_results_with_an_e_copy(files_app):
    client, clerk = files_app.test_client(), token_of(files_app, "clerk")
    full, half, ready, ready_paper = (new_dossier(files_app), new_dossier(files_app),
                                      new_dossier(files_app, "result_ready"), new_dossier(files_app, "result_ready"))
    upload(client, full, clerk, pdf(), document=0)
    upload(client, full, clerk, jpeg(), document=0)  # two scans of one line count it once
    upload(client, half, clerk, pdf(), document=1)
    upload(client, ready, clerk, pdf(), kind="result")
    with files_app.app_context():
        dossier = dossiers.find_by_code(full)
        clerk_user = db.session.scalar(sa.select(User).where(User.username == "clerk"))
        store.set_exemption(dossier, clerk_user, 1, "shown_only", now=dossier.received_at)
        db.session.commit()
    answer = client.get("/api/v1/stats/digitization?from=2026-03-01&to=2026-03-31", headers=clerk)
    assert answer.status_code == 200, answer.json
    figures = {key: answer.json[key] for key in ("received", "digitised", "results", "e_results",
                                                 "digitised_share", "e_result_share")}
    assert figures == {"received": 4, "digitised": 1, "results": 2, "e_results": 1, "digitised_share": 0.25,
                       "e_result_share": 0.5}
    assert ready_paper and half
    empty = client.get("/api/v1/stats/digitization?from=2025-01-01&to=2025-01-31", headers=clerk).json
    assert empty["received"] == 0 and empty["digitised_share"] is None
    assert client.get("/api/v1/stats/digitization?from=2026-03-01&to=2026-03-31&agency=000.00.31.H57",
                      headers=clerk).status_code == 404


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_the_digitisation_figures_count_the_results_issued_from_an_index_alone(files_app):
    """A province's IT report counts a year's results issued: from the (agency, status, completed_on) index, not
    by reading each dossier's row (at a million dossiers that read took 2 of the report's 3 seconds on SQLite,
    BENCHMARKS.md)."""
    new_dossier(files_app, "result_ready")
    with files_app.app_context():
        add_closed_history()
        with capturing("json_array_length") as seen:
            year = periods.date_range(date(2026, 3, 1), date(2026, 3, 31))
            assert figures.digitisation(seed.home_agency(), year).results == 1
        (statement, parameters), = seen
        lines = plan(statement, parameters)
    # The completion dates are searched in the index (SQLite: on the index's line; PostgreSQL: its Index Cond),
    # not checked row by row after it.
    searched = [line + " " + (following if "Index Cond" in following else "")
                for line, following in zip(lines, [*lines[1:], ""]) if "ix_dossier_agency_status" in line]
    assert any("completed_on" in line for line in searched), lines


@pytest.mark.parametrize("file_store", ["directory"], indirect=True)
def test_the_reports_page_and_the_it_report_state_the_digitisation_figures(files_app, desk_client):
    client, clerk = files_app.test_client(), token_of(files_app, "clerk")
    code = new_dossier(files_app, "result_ready")
    upload(client, code, clerk, pdf(), kind="result")
    page = desk_client.get("/reports/")  # the official month 15/02–14/03/2026
    assert 'id="digitisation"' in page.text and "Kết quả có bản điện tử" in page.text
    with files_app.app_context():
        from onestop import report_files
        from onestop.periods import date_range
        from docx import Document

        agency = dossiers.find_by_code(code).agency
        data = report_files.it_report(agency, date_range(date(2026, 3, 1), date(2026, 3, 31)), {}, 1, date(2026, 4, 1))
    text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs)
    assert "Kết quả giải quyết được cấp bản điện tử: 1/1 kết quả, đạt 100%." in text
    assert "Hồ sơ được số hóa đầy đủ thành phần khi tiếp nhận: 0/1 hồ sơ, đạt 0%." in text


def test_files_follow_the_database_through_backup_and_restore(files_app, file_store, database_url, tmp_path):
    client, clerk, code = files_app.test_client(), token_of(files_app, "clerk"), new_dossier(files_app)
    scan = jpeg()
    item = upload(client, code, clerk, scan, document=0).json
    target = tmp_path / "onestop.backup"
    result = files_app.test_cli_runner().invoke(args=["backup", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "onestop.backup.files.tar").stat().st_size > len(scan)
    if database_url.startswith("postgresql"):
        return  # the database half is tested in test_backups.py; here: the files come back into an empty store
    fresh_store = {"FILES_URL": str(tmp_path / "restored-files")}
    fresh = make_app(f"sqlite:///{tmp_path / 'restored.sqlite'}", **fresh_store)
    result = fresh.test_cli_runner().invoke(args=["restore", str(target)])
    assert result.exit_code == 0, result.output
    download = fresh.test_client().get(f"/api/v1/dossiers/{code}/files/{item['id']}", headers=clerk)
    assert download.status_code == 200 and download.data == scan
