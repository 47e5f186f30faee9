"""/admin/agencies/: every agency listed; the admin edits their own, those under it and external partners."""
import pytest
import sqlalchemy as sa

from onestop.extensions import db
from onestop.models import Agency

from test_desk import receive

HOME, LAND_OFFICE, POLICE = "000.13.31.H57", "000.00.31.H57", "000.14.31.H57"
NEW = {"code": "000.15.31.H57", "name": "Trạm Y tế xã Quảng Thọ", "level": "commune", "parent": "", "external": "y"}


def _agency(app, code) -> Agency | None:
    with app.app_context():
        agency = db.session.scalar(sa.select(Agency).where(Agency.code == code))
        if agency is not None:
            db.session.expunge(agency)
        return agency


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Agency.id)))


def test_every_agency_is_listed_and_only_the_managed_ones_can_be_edited(app, client, login):
    login("admin")
    page = client.get("/admin/agencies/").text
    for code in (HOME, LAND_OFFICE, POLICE):
        assert code in page
    assert f'/admin/agencies/{_agency(app, HOME).id}"' in page
    assert f'/admin/agencies/{_agency(app, POLICE).id}"' in page  # external: the desk keeps it
    assert f'/admin/agencies/{_agency(app, LAND_OFFICE).id}"' not in page  # on the system, with its own admin
    assert client.get(f"/admin/agencies/{_agency(app, LAND_OFFICE).id}").status_code == 404
    response = client.post(f"/admin/agencies/{_agency(app, LAND_OFFICE).id}", data={**NEW, "code": LAND_OFFICE})
    assert response.status_code == 404
    assert _agency(app, LAND_OFFICE).name.startswith("Chi nhánh")


def test_a_new_partner_agency_is_added(app, client, login):
    login("admin")
    home = _agency(app, HOME)
    response = client.post("/admin/agencies/", data={**NEW, "parent": str(home.id)})
    assert response.status_code == 302
    added = _agency(app, NEW["code"])
    assert (added.name, added.level.value, added.parent_id, added.external) == (NEW["name"], "commune", home.id, True)


@pytest.mark.parametrize(("code", "message"), [
    # Opaque e-IDs (Decision 20/2020/QĐ-TTg, issue 14): segments of A–Z/0–9 between dots, at most 35 characters.
    ("H57.UBND.XAQUANGTHO.TTPVHCC.2025.012", "tối đa 35 ký tự"),  # 36 characters
    ("000..31.H57", "tối đa 35 ký tự"),
    ("000.13.31.H57.", "tối đa 35 ký tự"),
    ("000.1Ă.31.H57", "tối đa 35 ký tự"),
    ("XA-THU", "tối đa 35 ký tự"),
    ("000.13.31.h57", f"Đã có cơ quan mang mã {HOME}."),  # typed in lower case: the home agency's code
    (POLICE, f"Đã có cơ quan mang mã {POLICE}."),
    ("", "Cần nhập mã cơ quan."),
])
def test_a_bad_or_taken_code_is_refused_and_nothing_is_added(app, client, login, code, message):
    login("admin")
    before = _count(app)
    response = client.post("/admin/agencies/", data={**NEW, "code": code})
    assert response.status_code == 422 and message in response.text
    assert _count(app) == before


def test_an_agency_is_renamed_and_an_unknown_level_or_parent_is_refused(app, client, login):
    login("admin")
    police = _agency(app, POLICE)
    bad_level = client.post(f"/admin/agencies/{police.id}", data={**NEW, "code": POLICE, "level": "village"})
    assert bad_level.status_code == 422 and "Cấp cơ quan không hợp lệ." in bad_level.text
    bad_parent = client.post(f"/admin/agencies/{police.id}", data={**NEW, "code": POLICE, "parent": "999999"})
    assert bad_parent.status_code == 422 and "Cơ quan cấp trên không có trong danh sách." in bad_parent.text
    response = client.post(f"/admin/agencies/{police.id}", data={**NEW, "code": POLICE, "name": "Công an xã QT"})
    assert response.status_code == 302 and _agency(app, POLICE).name == "Công an xã QT"


def test_the_code_of_an_agency_with_dossiers_stays(app, client, login):
    receive(app)
    login("admin")
    home = _agency(app, HOME)
    response = client.post(f"/admin/agencies/{home.id}", data={
        "code": "000.16.31.H57", "name": home.name, "level": "commune", "parent": ""})
    assert response.status_code == 422 and "Không đổi được mã của cơ quan đã có hồ sơ" in response.text
    assert _agency(app, HOME) is not None


def test_an_agency_without_dossiers_can_have_its_code_corrected(app, client, login):
    login("admin")
    police = _agency(app, POLICE)
    response = client.post(f"/admin/agencies/{police.id}", data={**NEW, "code": "000.24.31.H57",
                                                                 "name": police.name})
    assert response.status_code == 302
    assert _agency(app, "000.24.31.H57").id == police.id and _agency(app, POLICE) is None


def test_parents_never_go_round_in_a_circle(app, client, login):
    login("admin")
    home, police = _agency(app, HOME), _agency(app, POLICE)
    province = home.parent_id  # a commune's parent is the province since 01/07/2025 (seed demo)
    client.post(f"/admin/agencies/{police.id}", data={**NEW, "code": POLICE, "parent": str(home.id)})
    assert _agency(app, POLICE).parent_id == home.id
    response = client.post(f"/admin/agencies/{home.id}", data={
        "code": HOME, "name": home.name, "level": "commune", "parent": str(police.id)})
    assert response.status_code == 422 and "Cơ quan cấp trên không thể là chính cơ quan này" in response.text
    assert _agency(app, HOME).parent_id == province


def test_the_home_agency_cannot_be_marked_external(app, client, login):
    login("admin")
    home = _agency(app, HOME)
    response = client.post(f"/admin/agencies/{home.id}", data={
        "code": HOME, "name": home.name, "level": "commune", "parent": "", "external": "y"})
    assert response.status_code == 422 and "không thể là cơ quan ngoài hệ thống" in response.text
    assert not _agency(app, HOME).external
