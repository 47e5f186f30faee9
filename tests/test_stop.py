"""Stopping a dossier (Decree 118/2025/NĐ-CP art. 21): a leader's `stop` with a reason, in the desk and the API;
Form 05 of Circular 03/2025 is the notice; national status 8 (withdrawn stays 7); the statistics count it resolved."""
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from lifecycle import build, people
from onestop import calendars, regimes, settings, statistics, tokens, workflow
from onestop.clock import VN
from onestop.errors import WorkflowError
from onestop.extensions import db
from onestop.models import Dossier, DossierStatus, Timeliness, User
from onestop.periods import Period
from test_receipts import visible_text

NOW = datetime(2026, 3, 5, 9, 0, tzinfo=VN)  # the test app's pinned now
REASON = "Có văn bản của Tòa án yêu cầu tạm dừng giải quyết"


def make(app, state: str) -> str:
    with app.app_context():
        people()
        code = build(state).code
        db.session.commit()
        return code


def dossier_of(code: str) -> Dossier:
    return db.session.scalar(sa.select(Dossier).where(Dossier.code == code))


def test_a_leader_stops_a_dossier_from_the_desk_and_prints_form_05(app, client, login):
    code = make(app, "processing")
    login("leader")
    page = client.get(f"/desk/dossiers/{code}").text
    assert 'data-action="stop"' in page
    response = client.post(f"/desk/dossiers/{code}/actions/stop", data={"reason": REASON}, follow_redirects=True)
    assert "Đã ghi nhận “Dừng giải quyết”" in response.text
    assert "In thông báo dừng giải quyết (mẫu 05)" in response.text
    with app.app_context():
        dossier = dossier_of(code)
        assert dossier.status == DossierStatus.STOPPED and dossier.status_number == 8
        assert dossier.completed_at == NOW and dossier.timeliness == Timeliness.ON_TIME  # due Thu 05/03 08:00
    notice = visible_text(client.get(f"/desk/dossiers/{code}/stop-notice").text)
    for expected in ("Mẫu số 05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "UBND XÃ QUẢNG THỌ",
                     "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", f"Mã hồ sơ: {code}", "Kính gửi: Phạm Văn Dũng", REASON,
                     "thông báo dừng giải quyết hồ sơ nêu trên kể từ 09 giờ 00 phút, ngày 05/03/2026"):
        assert expected in notice
    assert "HUYỆN" not in notice


def test_only_a_leader_stops_and_only_with_a_reason(app, client, login):
    code = make(app, "processing")
    with app.app_context():
        users, calendar = people(), calendars.current()
        dossier = dossier_of(code)
        for name in ("clerk", "officer", "partner"):
            with pytest.raises(WorkflowError, match="Chỉ lãnh đạo"):
                workflow.stop(dossier, users[name], reason=REASON, now=NOW, calendar=calendar)
        with pytest.raises(WorkflowError, match="Cần ghi lý do dừng") as refused:
            workflow.stop(dossier, users["leader"], reason="  ", now=NOW, calendar=calendar)
        assert refused.value.field == "reason" and dossier.status == DossierStatus.PROCESSING
    login("leader")
    assert client.get(f"/desk/dossiers/{code}/stop-notice").status_code == 404  # nothing stopped yet


def test_a_finished_dossier_cannot_be_stopped_and_no_stop_before_the_2025_forms(session, demo):
    users, calendar = people(), calendars.current()
    with pytest.raises(WorkflowError, match="đã kết thúc"):
        workflow.stop(build("returned"), users["leader"], reason=REASON, now=NOW, calendar=calendar)
    settings.put(regimes.SWITCH_SETTING, "2026-06-01")  # an installation that has not switched yet
    dossier = build("processing")
    assert "stop" not in workflow.available_actions(dossier, users["leader"], NOW)
    with pytest.raises(WorkflowError, match="Thông tư 03/2025"):
        workflow.stop(dossier, users["leader"], reason=REASON, now=NOW, calendar=calendar)


def test_the_api_stops_with_status_number_8_and_withdrawn_stays_7(app, client, demo):
    stopped, withdrawn = make(app, "processing"), make(app, "processing")
    with app.app_context():
        headers = {user: {"Authorization": f"Bearer {tokens.issue(db.session.scalar(sa.select(User).filter_by(username=user)))}"}
                   for user in ("leader", "clerk")}
        db.session.commit()
    assert client.post(f"/api/v1/dossiers/{stopped}/actions", json={"action": "stop"},
                       headers=headers["leader"]).status_code == 422  # the reason is required
    response = client.post(f"/api/v1/dossiers/{stopped}/actions", json={"action": "stop", "reason": REASON},
                           headers=headers["leader"])
    assert response.status_code == 200, response.text
    body = client.get(f"/api/v1/dossiers/{stopped}", headers=headers["leader"]).json
    assert (body["status"], body["status_number"]) == ("stopped", 8)
    assert body["events"][-1]["action"] == "stop"
    refused = client.post(f"/api/v1/dossiers/{withdrawn}/actions", json={"action": "stop", "reason": REASON},
                          headers=headers["clerk"])
    assert refused.status_code == 409
    client.post(f"/api/v1/dossiers/{withdrawn}/actions", json={"action": "withdraw", "reason": "Công dân xin rút"},
                headers=headers["clerk"])
    body = client.get(f"/api/v1/dossiers/{withdrawn}", headers=headers["clerk"]).json
    assert (body["status"], body["status_number"]) == ("withdrawn", 7)


def test_the_statistics_count_a_stopped_dossier_as_resolved(session, demo):
    users, calendar = people(), calendars.current()
    stopped, withdrawn, open_one = build("processing"), build("processing"), build("processing")
    workflow.stop(stopped, users["leader"], reason=REASON, now=datetime(2026, 3, 4, 9, 0, tzinfo=VN), calendar=calendar)
    workflow.withdraw(withdrawn, users["clerk"], reason="Công dân xin rút", now=NOW, calendar=calendar)
    db.session.flush()
    period = Period(date(2026, 3, 1), date(2026, 3, 31), "03/2026")
    total = statistics.tthc_report(stopped.agency, period, date(2026, 3, 5)).summary.total
    assert (total.received, total.resolved, total.in_progress) == (3, 2, 1)
    assert (total.early, total.on_time) == (1, 1)  # stopped a day early; withdrawn on the due day
