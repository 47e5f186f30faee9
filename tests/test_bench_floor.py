"""Issue 21, item 2: the staff page's fair baseline does what the dossier page does, except the dossier."""
import sqlalchemy as sa

from conftest import PINNED_NOW

from onestop import calendars, dossiers, seed
from onestop.bench import floor
from onestop.extensions import db
from onestop.models import PersonalDataView, Procedure


def test_the_staff_floor_is_behind_the_same_login_and_logs_the_same_row_as_the_dossier_page(app, client, demo, login):
    floor.add_staff_floor(app)
    with app.app_context():
        procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == "1.004837"))
        code = dossiers.receive(procedure, dossiers.Applicant("Nguyễn Văn An"), dossiers.Intake(),
                                agency=seed.home_agency(), clerk=None, now=PINNED_NOW,
                                calendar=calendars.current()).code
        db.session.commit()
    assert client.get(f"{floor.STAFF_FLOOR}/{code}").status_code == 302  # to the login page, like the desk
    login("clerk")
    page = client.get(f"/desk/dossiers/{code}")
    empty = client.get(f"{floor.STAFF_FLOOR}/{code}")
    assert page.status_code == empty.status_code == 200
    assert "Đăng xuất" in empty.text and "Nguyễn Văn An" in page.text and "Nguyễn Văn An" not in empty.text
    with app.app_context():
        rows = db.session.scalars(sa.select(PersonalDataView).order_by(PersonalDataView.id)).all()
        assert [(row.user_id, row.via, row.dossier_id) for row in rows[-2:]] == [(rows[-1].user_id, "desk",
                                                                                rows[-1].dossier_id)] * 2
    login_again = app.test_client()
    login_again.post("/auth/login", data={"username": "admin", "password": seed.DEMO_PASSWORD})
    assert login_again.get(f"/desk/dossiers/{code}").status_code == 403
    assert login_again.get(f"{floor.STAFF_FLOOR}/{code}").status_code == 403  # the desk's roles, not the admin's
