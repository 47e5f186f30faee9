"""A partner agency works on what it was sent: it reads the dossier during its open leg, and no longer after."""
import pytest
import sqlalchemy as sa

from lifecycle import LAND_OFFICE, build, people, receive
from onestop import calendars, transfers, workflow
from onestop.errors import WorkflowError
from onestop.extensions import db
from onestop.models import Leg
from test_transfers import at


def test_the_partner_reads_the_dossier_scans_its_folder_and_follows_the_inbox_link(app, client, login):
    with app.app_context():
        dossier = build("at_partner")
        code = dossier.code
        dossier.applicant_address = "Thôn Phước Yên"
        dossier.documents = [{"name": "Tờ khai đăng ký giám hộ theo mẫu", "kind": "original", "count": 1}]
        db.session.commit()
    login("partner")
    inbox = client.get("/desk/inbox").text
    assert f'href="/desk/dossiers/{code}"' in inbox
    page = client.get(f"/desk/dossiers/{code}").text
    assert "chỉ xem, trong thời gian liên thông" in page
    assert "Phạm Văn Dũng" in page and "Thôn Phước Yên" in page and "Tờ khai đăng ký giám hộ theo mẫu" in page
    assert "Chuyển liên thông" in page  # the history
    assert "In giấy tiếp nhận" not in page and f"/desk/dossiers/{code}/receipt" not in page  # nothing to print
    assert client.get(f"/desk/dossiers/{code}/receipt").status_code == 404
    scanned = client.get("/desk/scan", query_string={"code": code})
    assert scanned.location.endswith(f"/desk/dossiers/{code}")
    # The land office returns it: the page closes again.
    client.post(f"/desk/dossiers/{code}/actions/partner_returned", data={"note": "Xong"})
    assert client.get(f"/desk/dossiers/{code}").status_code == 404
    assert client.get("/desk/scan", query_string={"code": code}).location.endswith("/desk/")


def test_another_agency_without_a_leg_sees_nothing(app, client, login):
    with app.app_context():
        code = build("received").code
        db.session.commit()
    login("partner")
    assert client.get(f"/desk/dossiers/{code}").status_code == 404


def test_a_leg_past_the_citizens_appointment_needs_a_confirmation(session, demo):
    users = people()
    dossier = receive()  # Mon 02/03 08:00, 3 working days: the citizen is told Thu 05/03 08:00
    workflow.hand_over(dossier, users["clerk"], to_user=users["officer"], now=at("02/03/2026 08:30"))
    with pytest.raises(WorkflowError, match="muộn hơn ngày hẹn trả kết quả cho công dân"):
        transfers.send_to_partner(dossier, users["officer"], agency_code=LAND_OFFICE, share=5,
                                  now=at("02/03/2026 09:00"), calendar=calendars.current())
    assert dossier.legs == [] and session.scalar(sa.select(sa.func.count(Leg.id))) == 0
    transfers.send_to_partner(dossier, users["officer"], agency_code=LAND_OFFICE, share=5, confirm_late=True,
                              now=at("02/03/2026 09:00"), calendar=calendars.current())
    assert dossier.legs[0].due_at == at("09/03/2026 09:00")
