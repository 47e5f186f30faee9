"""Retention (Law 91/2025/QH15): `flask privacy purge` blanks the applicant's details of closed dossiers past the
retention setting and deletes old privacy-log rows; the statistics, the register, codes and events do not change."""
import hashlib
import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa

import lifecycle
from onestop import ledger, seed, settings, statistics
from onestop.clock import VN
from onestop.extensions import db
from onestop.files import storage
from onestop.models import Dossier, DossierFile, Event, FileKind, OutboxMessage, PersonalDataView, User
from onestop.notifications.models import Channel
from onestop.periods import Period

# lifecycle.build closes its dossiers on Monday 02/03/2026; ten years on, the day after is the first one past it.
TEN_YEARS_ON = datetime(2036, 3, 3, 9, 0, tzinfo=VN)
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31), "Tháng 3 năm 2026")
STATES = ("returned", "refused", "withdrawn", "stopped", "result_ready", "processing", "awaiting_supplement")


def _build(app) -> dict[str, str]:
    """One dossier in each state, with every personal field filled; returns their codes by state."""
    with app.app_context():
        codes = {}
        for state in STATES:
            dossier = lifecycle.build(state)
            dossier.applicant_id_number, dossier.applicant_email = "046090001234", "dung@example.vn"
            dossier.applicant_address, dossier.applicant_sex = "Thôn Phước Yên, xã Quảng Thọ", "male"
            dossier.applicant_date_of_birth, dossier.note = date(1990, 5, 17), "Anh Dũng hẹn gọi lại 0912345678"
            codes[state] = dossier.code
        db.session.commit()
        return codes


def _applicant(app, code) -> dict:
    with app.app_context():
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == code))
        return {"name": dossier.applicant_name, "id": dossier.applicant_id_number, "phone": dossier.applicant_phone,
                "email": dossier.applicant_email, "address": dossier.applicant_address,
                "born": dossier.applicant_date_of_birth, "sex": dossier.applicant_sex, "search": dossier.search_name,
                "note": dossier.note, "returned_to": dossier.returned_to}


def _purge(app, runner, at: datetime, *args):
    app.config["NOW"] = at.isoformat()
    result = runner.invoke(args=["privacy", "purge", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _figures(app):
    """Everything a purge must leave as it was: the statistics form, the register, the codes and the event chain."""
    with app.app_context():
        home = seed.home_agency()
        events = db.session.execute(sa.select(Event.dossier_id, Event.at, Event.action, Event.from_status,
                                              Event.to_status, Event.note, Event.timeliness).order_by(Event.id)).all()
        dossiers = db.session.execute(sa.select(Dossier.code, Dossier.status, Dossier.received_at, Dossier.due_at,
                                                Dossier.completed_at, Dossier.returned_at, Dossier.timeliness,
                                                Dossier.ledger_number).order_by(Dossier.code)).all()
        register = [(line.number, line.code, line.procedure_code, line.quantity, line.lead_agency, line.received_at,
                     line.due_at, line.sent_at, line.result_at, line.returned_at, line.channel, line.status)
                    for line in ledger.lines(home, MARCH)]
        return statistics.tthc_report(home, MARCH, date(2026, 3, 31)), register, dossiers, events


def _message(app, code):
    """An SMS sent to the applicant about the dossier (the outbox keeps the number and the text)."""
    with app.app_context():
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == code))
        db.session.add(OutboxMessage(dossier=dossier, kind="received", channel=Channel.SMS, recipient="0912345678",
                                     body=f"Ho so {code} cua Pham Van Dung da tiep nhan"))
        db.session.commit()


def test_a_purge_blanks_the_personal_fields_of_closed_dossiers_past_the_retention(app, runner, demo):
    codes = _build(app)
    for state in ("returned", "processing"):
        _message(app, codes[state])
    output = _purge(app, runner, TEN_YEARS_ON)
    assert "Đã xóa thông tin cá nhân của 4 hồ sơ kết thúc trước 03/03/2026." in output
    for state in ("returned", "refused", "withdrawn", "stopped"):
        assert _applicant(app, codes[state]) == {
            "name": "Phạm V. D.", "id": "", "phone": "", "email": "", "address": "", "born": None, "sex": "",
            "search": "", "note": "", "returned_to": ""}, state
    for state in ("result_ready", "processing", "awaiting_supplement"):  # not closed: nothing changes
        kept = _applicant(app, codes[state])
        assert (kept["name"], kept["id"], kept["phone"], kept["born"]) == (
            "Phạm Văn Dũng", "046090001234", "0912345678", date(1990, 5, 17)), state
    with app.app_context():  # the messages sent about a purged dossier go with its details
        assert db.session.scalars(sa.select(OutboxMessage.body)).all() == [
            f"Ho so {codes['processing']} cua Pham Van Dung da tiep nhan"]
    assert "Đã xóa thông tin cá nhân của 0 hồ sơ" in _purge(app, runner, TEN_YEARS_ON)  # already done


def test_a_dossier_keeps_its_details_until_the_retention_has_run_out(app, runner, demo):
    codes = _build(app)
    output = _purge(app, runner, TEN_YEARS_ON - timedelta(days=1))  # 02/03/2036: exactly ten years, not more
    assert "Đã xóa thông tin cá nhân của 0 hồ sơ" in output
    assert _applicant(app, codes["returned"])["id"] == "046090001234"


def test_the_retention_in_years_is_the_admins_setting(app, runner, client, login, demo):
    codes = _build(app)
    login("admin")
    form = client.get("/admin/settings").text
    assert 'name="personal_data_years"' in form and 'value="10"' in form and 'name="privacy_log_years"' in form
    data = dict(re.findall(r'<input[^>]*name="([a-z0-9_]+)"[^>]*value="([^"]*)"', form))
    refused = client.post("/admin/settings", data={**data, "personal_data_years": "0", "action": "save"})
    assert "Thời hạn lưu thông tin cá nhân phải là số năm từ 1 đến 100." in refused.text
    assert client.post("/admin/settings", data={**data, "personal_data_years": "5", "action": "save"}).status_code == 302
    assert "của 4 hồ sơ" in _purge(app, runner, datetime(2031, 3, 3, 9, 0, tzinfo=VN))
    assert _applicant(app, codes["refused"])["phone"] == ""


def _scan(app, code, kind: FileKind, data: bytes) -> str:
    """A stored file of the dossier: its row and its bytes in the store."""
    with app.app_context():
        sha = hashlib.sha256(data).hexdigest()
        storage.current_store().put(storage.blob_key(sha), data)
        dossier_id = db.session.scalar(sa.select(Dossier.id).where(Dossier.code == code))
        db.session.add(DossierFile(dossier_id=dossier_id, kind=kind, name="cccd.pdf", size=len(data), sha256=sha,
                                   content_type="application/pdf"))
        db.session.commit()
        return sha


def _stored(app) -> set[str]:
    with app.app_context():
        return {key.rsplit("/", 1)[1] for key in storage.current_store().keys("blobs/")}


def test_a_purge_deletes_the_scanned_papers_of_a_purged_dossier_and_keeps_its_result(app, runner, demo, tmp_path):
    app.config["FILES_URL"] = str(tmp_path / "files")
    codes = _build(app)
    id_card = _scan(app, codes["returned"], FileKind.COMPONENT, b"%PDF-1.4 the citizen's ID card")
    result = _scan(app, codes["returned"], FileKind.RESULT, b"%PDF-1.4 the certificate the agency issued")
    still_open = _scan(app, codes["processing"], FileKind.COMPONENT, b"%PDF-1.4 an open dossier's paper")
    assert "Sẽ xóa 1 tệp giấy tờ" in _purge(app, runner, TEN_YEARS_ON, "--dry-run")
    assert _stored(app) == {id_card, result, still_open}
    assert "Đã xóa 1 tệp giấy tờ đã số hóa của các hồ sơ đó." in _purge(app, runner, TEN_YEARS_ON)
    assert _stored(app) == {result, still_open}
    with app.app_context():
        assert set(db.session.scalars(sa.select(DossierFile.sha256))) == {result, still_open}


def test_a_dry_run_counts_and_changes_nothing(app, runner, demo):
    codes = _build(app)
    output = _purge(app, runner, TEN_YEARS_ON, "--dry-run")
    assert "Sẽ xóa thông tin cá nhân của 4 hồ sơ" in output
    assert _applicant(app, codes["returned"])["id"] == "046090001234"


def test_the_statistics_form_register_codes_and_events_are_the_same_after_a_purge(app, runner, demo):
    _build(app)
    before = _figures(app)
    assert before[0].summary.rows  # the form has figures to compare
    _purge(app, runner, TEN_YEARS_ON)
    assert _figures(app) == before


def test_the_desk_no_longer_finds_a_purged_dossier_by_name_phone_or_id_and_says_why(app, runner, client, login):
    codes = _build(app)
    _purge(app, runner, TEN_YEARS_ON)
    login("clerk")
    for typed in ("Dũng", "0912345678", "046090001234"):
        found = client.get(f"/desk/search?q={typed}").text
        assert codes["returned"] not in found and codes["processing"] in found, typed
    page = client.get(f"/desk/dossiers/{codes['returned']}").text
    assert "Phạm V. D." in page and "046090001234" not in page
    assert "Thông tin cá nhân của người nộp đã được xóa ngày 03/03/2036 khi hết thời hạn lưu trữ." in page


def test_the_privacy_log_keeps_its_rows_for_its_own_retention(app, runner, demo):
    codes = _build(app)
    with app.app_context():
        viewer = db.session.scalar(sa.select(User.id).where(User.username == "officer"))
        dossier = db.session.scalar(sa.select(Dossier.id).where(Dossier.code == codes["processing"]))
        for at in (datetime(2030, 3, 2, 9, 0, tzinfo=VN), datetime(2030, 3, 3, 9, 0, tzinfo=VN)):
            db.session.add(PersonalDataView(user_id=viewer, dossier_id=dossier, via="desk", at=at))
        settings.put("privacy_log_years", 3)
        db.session.commit()
    output = _purge(app, runner, datetime(2033, 3, 3, 9, 0, tzinfo=VN))
    assert "Đã xóa 1 dòng nhật ký truy cập dữ liệu cá nhân trước 03/03/2030." in output
    with app.app_context():
        assert db.session.scalars(sa.select(PersonalDataView.at)).all() == [datetime(2030, 3, 3, 9, 0, tzinfo=VN)]
