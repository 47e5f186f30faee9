"""Issue 16 item 6: an admin of one agency cannot widen what another agency's staff read by moving agencies."""
import pytest
import sqlalchemy as sa

from onestop import seed
from onestop.extensions import db
from onestop.models import Agency, AgencyLevel

from test_desk import receive

HOME, LAND_OFFICE, POLICE, LABOUR = "000.13.31.H57", "000.00.31.H57", "000.14.31.H57", "000.02.31.H57"
PROVINCE = seed.DEMO_PROVINCE[0]  # the demo commune's parent since the 2025 reform (no district)
REGISTER = f"/reports/register.xlsx?kind=month&year=2026&number=3&agency={HOME}"
REFUSED = "Không đổi được cơ quan cấp trên"


@pytest.fixture
def land_staff(demo):
    """An admin and a leader of the land office: another agency than the commune, with its own staff."""
    with demo.app_context():
        land_office = db.session.scalar(sa.select(Agency).where(Agency.code == LAND_OFFICE))
        seed.ensure_user("land.admin", "Võ Thị Hạnh", ["admin"], land_office, seed.DEMO_PASSWORD)
        seed.ensure_user("land.leader", "Ngô Văn Tài", ["leader"], land_office, seed.DEMO_PASSWORD)
        db.session.commit()


def _ids(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(sa.select(Agency.code, Agency.id)).all())


def _parent_code(app, code: str) -> str | None:
    with app.app_context():
        agency = db.session.scalar(sa.select(Agency).where(Agency.code == code))
        return agency.parent.code if agency.parent else None


def _set_parent(app, code: str, parent_code: str) -> None:
    with app.app_context():
        agency = db.session.scalar(sa.select(Agency).where(Agency.code == code))
        agency.parent = db.session.scalar(sa.select(Agency).where(Agency.code == parent_code))
        db.session.commit()


def _edit(client, ids, code, parent_code, name="Công an xã Quảng Thọ", level="commune", external=True):
    data = {"code": code, "name": name, "level": level, "parent": str(ids[parent_code]) if parent_code else ""}
    if external:
        data["external"] = "y"
    return client.post(f"/admin/agencies/{ids[code]}", data=data)


def test_moving_an_external_agency_cannot_hand_another_agencys_register_to_a_leader(app, client, login, land_staff):
    """The commune sits under the police (an external partner, which any admin may edit); the land office's
    admin tries to put the police under the land office, so that its leader reads the commune's register."""
    receive(app, name="Trần Thị Bình")
    _set_parent(app, HOME, POLICE)
    ids = _ids(app)
    login("land.leader")
    assert client.get(REGISTER).status_code == 422  # not theirs
    client.post("/auth/logout")

    login("land.admin")
    response = _edit(client, ids, POLICE, LAND_OFFICE)
    assert response.status_code == 422 and REFUSED in response.text and HOME in response.text
    assert _parent_code(app, POLICE) is None
    client.post("/auth/logout")

    login("land.leader")
    report = client.get(REGISTER)
    assert report.status_code == 422
    assert "Trần Thị Bình" not in client.get(REGISTER.replace("/register.xlsx?", "/register?")).text


def test_an_admin_cannot_put_a_partner_under_another_agency_nor_add_one_there(app, client, login, land_staff):
    ids = _ids(app)
    login("admin")  # the commune's admin
    moved = _edit(client, ids, POLICE, LAND_OFFICE)  # the land office's leaders would read the police's dossiers
    assert moved.status_code == 422 and REFUSED in moved.text
    added = client.post("/admin/agencies/", data={"code": "000.15.31.H57", "name": "Trạm Y tế", "level": "commune",
                                                  "parent": str(ids[LAND_OFFICE]), "external": "y"})
    assert added.status_code == 422 and REFUSED in added.text
    own = _edit(client, ids, HOME, LAND_OFFICE, name="UBND xã Quảng Thọ", external=False)  # its own agency upward
    assert own.status_code == 422 and REFUSED in own.text
    assert (_parent_code(app, POLICE), _parent_code(app, HOME)) == (None, PROVINCE)  # the commune stays under it


def test_an_admin_still_arranges_partners_under_their_own_agency_and_each_other(app, client, login):
    with app.app_context():  # the demo has no district office any more (issue 14): an external partner of our own
        seed.ensure_agency(LABOUR, "Phòng Lao động", AgencyLevel.DISTRICT, external=True)
        db.session.commit()
    ids = _ids(app)
    login("admin")
    assert _edit(client, ids, POLICE, HOME).status_code == 302
    assert _edit(client, ids, LABOUR, POLICE, name="Phòng Lao động", level="district").status_code == 302
    assert (_parent_code(app, POLICE), _parent_code(app, LABOUR)) == (HOME, POLICE)
    assert _edit(client, ids, POLICE, None).status_code == 302  # and back out: only the commune's reach changes
    assert _edit(client, ids, POLICE, None, name="Công an xã Quảng Thọ (mới)").status_code == 302  # a rename
