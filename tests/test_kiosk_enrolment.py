"""Issue 16, item 2: only an enrolled kiosk shows a typed code's details and takes surveys without the token."""
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from conftest import enrol_kiosk, make_app
from onestop import calendars, clock, codes, dossiers, kiosks, seed
from onestop.clock import VN
from onestop.extensions import db
from onestop.models import Agency, DossierStatus, Kiosk, Procedure, Survey, User

KIOSK = "/kiosk/000.13.31.H57"
NAME, MASKED, PROCEDURE_NAME = "Trần Thị Bích Ngọc", "Trần T. B. N.", "Đăng ký giám hộ"


@pytest.fixture
def make_dossier(app, demo):
    """A dossier of the home agency received at the pinned time, in `status`; returns its code."""
    def make_dossier(status=DossierStatus.RETURNED):
        with app.app_context():
            procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == "1.004837"))
            clerk = db.session.scalar(sa.select(User).where(User.username == "clerk"))
            dossier = dossiers.receive(procedure, dossiers.Applicant(NAME), dossiers.Intake(), agency=clerk.agency,
                                       clerk=clerk, now=datetime(2026, 3, 5, 9, 0, tzinfo=VN),
                                       calendar=calendars.current())
            dossier.status = status
            db.session.commit()
            return dossier.code
    return make_dossier


@pytest.fixture
def kiosk(app, demo):
    """A browser enrolled as the home agency's kiosk with the admin's link."""
    client = app.test_client()
    assert client.get(enrol_kiosk(app)).status_code == 200
    return client


@pytest.fixture
def stranger(app, demo):
    """Any other browser: a phone on the lobby's Wi-Fi, a PC on the LAN."""
    return app.test_client()


def _token(app, code):
    return codes.lookup_token(code, app.config["SECRET_KEY"])


def _surveys(app):
    with app.app_context():
        return [(survey.channel, survey.kiosk_id) for survey in db.session.scalars(sa.select(Survey))]


# The admin's side


def test_an_admin_enrols_a_kiosk_and_sees_its_one_time_link_once(app, client, login):
    login("admin")
    assert "Kiosk tra cứu" in client.get("/admin/").text
    page = client.post("/admin/kiosks/", data={"name": "Kiosk sảnh tầng 1", "agency": "000.13.31.H57"})
    assert page.status_code == 200
    link = re.search(r'value="(http://localhost/kiosk/000\.13\.31\.H57/enroll\?k=[\w-]{40,})"', page.text).group(1)
    key = link.split("k=")[1]
    with app.app_context():
        kiosk = db.session.scalar(sa.select(Kiosk))
        assert kiosk.name == "Kiosk sảnh tầng 1" and kiosk.enrol_key_hash and key not in kiosk.enrol_key_hash
    listing = client.get("/admin/kiosks/").text
    assert "Kiosk sảnh tầng 1" in listing and "Chờ mở liên kết" in listing and key not in listing


def test_a_kiosk_without_a_name_or_of_an_agency_out_of_reach_is_refused(app, client, login):
    login("admin")
    assert client.post("/admin/kiosks/", data={"name": "", "agency": "000.13.31.H57"}).status_code == 422
    other = client.post("/admin/kiosks/", data={"name": "Kiosk lạ", "agency": "000.14.31.H57"})  # external police
    assert other.status_code == 422 and "Chọn một cơ quan trong danh sách." in other.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Kiosk.id))) == 0


def test_only_admins_reach_the_kiosk_page(client, login):
    login("clerk")
    assert client.get("/admin/kiosks/").status_code == 403
    assert client.post("/admin/kiosks/", data={"name": "X", "agency": "000.13.31.H57"}).status_code == 403


def test_the_link_sets_a_long_lived_signed_http_only_cookie_once(app, stranger, demo):
    link = enrol_kiosk(app)
    opened = stranger.get(link)
    assert opened.status_code == 200 and "Máy này là kiosk «Kiosk sảnh» của UBND xã Quảng Thọ." in opened.text
    cookie = opened.headers["Set-Cookie"]
    assert cookie.startswith("onestop_kiosk=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert f"Path={KIOSK}/" in cookie and "Max-Age=34560000" in cookie  # 400 days, renewed by every kiosk page
    assert link.split("k=")[1] not in cookie
    again = app.test_client().get(link)  # the same link a second time, from another browser
    assert again.status_code == 403 and "onestop_kiosk" not in again.headers.get("Set-Cookie", "")


def test_an_enrolment_link_nobody_opened_for_a_week_stops_working(session, demo):
    home = seed.home_agency()
    _kiosk, key = kiosks.enrol(home, "Kiosk cũ", None, clock.now() - timedelta(days=kiosks.LINK_DAYS, minutes=1))
    assert kiosks.redeem(home, key, clock.now()) is None


# What a typed code shows


def test_an_enrolled_kiosk_shows_the_details_and_any_other_browser_status_and_dates_only(
        app, kiosk, stranger, make_dossier):
    code = make_dossier(DossierStatus.PROCESSING)
    enrolled = kiosk.get(f"{KIOSK}/lookup", query_string={"code": "260305-0001"}).text
    for shown in (MASKED, PROCEDURE_NAME, "UBND xã Quảng Thọ", "Hồ sơ đang được giải quyết.", "05/03/2026"):
        assert shown in enrolled, shown
    for typed in ("260305-0001", code):
        bare = stranger.get(f"{KIOSK}/lookup", query_string={"code": typed})
        assert bare.status_code == 200
        assert "Hồ sơ đang được giải quyết." in bare.text and "05/03/2026" in bare.text
        assert MASKED not in bare.text and PROCEDURE_NAME not in bare.text and "Hồ sơ đang ở" not in bare.text
        assert "mời quét mã QR trên giấy biên nhận" in bare.text
    phone = stranger.get(f"/tra-cuu/{code}").text  # the same as the phone page without the token
    assert MASKED not in phone and PROCEDURE_NAME not in phone
    scanned = stranger.get(f"{KIOSK}/lookup", query_string={"code": code, "t": _token(app, code)}).text
    assert MASKED in scanned and PROCEDURE_NAME in scanned  # the receipt's QR carries the token


def test_a_forged_or_foreign_cookie_enrols_nothing(app, stranger, make_dossier):
    make_dossier(DossierStatus.PROCESSING)
    with app.app_context():
        land = db.session.scalar(sa.select(Agency).where(Agency.code == "000.00.31.H57"))
        other, _key = kiosks.enrol(land, "Kiosk đất đai", None, clock.now())
        other.enrolled_at, other.cookie_nonce = clock.now(), "n" * 32
        db.session.commit()
        foreign = kiosks.cookie_value(other, app.config["SECRET_KEY"])  # a real kiosk, of another agency
        forged = kiosks.cookie_value(other, "not-the-app-key")
    for value in (foreign, forged, "1", f"[{other.id}, \"{'n' * 32}\"]"):
        stranger.set_cookie("onestop_kiosk", value, path=f"{KIOSK}/")
        page = stranger.get(f"{KIOSK}/lookup", query_string={"code": "260305-0001"}).text
        assert MASKED not in page, value


# The survey


def test_only_an_enrolled_kiosk_or_the_receipts_token_opens_the_survey(app, kiosk, stranger, make_dossier):
    code = make_dossier(DossierStatus.RETURNED)
    assert stranger.get(f"{KIOSK}/survey/{code}").status_code == 403
    refused = stranger.post(f"{KIOSK}/survey/{code}", data={"overall": "unsatisfied"})
    assert refused.status_code == 403 and "quét mã QR in trên giấy biên nhận" in refused.text
    typed = stranger.get(f"{KIOSK}/survey", query_string={"code": "260305-0001"})
    assert typed.status_code == 403
    assert _surveys(app) == []

    token = _token(app, code)
    start = stranger.get(f"{KIOSK}/survey", query_string={"code": code, "t": token})
    assert start.status_code == 302 and start.location.endswith(f"/survey/{code}?t={token}")
    form = stranger.get(start.location).text
    assert f'action="{KIOSK}/survey/{code}?t={token}"' in form
    assert stranger.post(start.location, data={"overall": "satisfied"}).status_code == 302
    assert _surveys(app) == [("kiosk", None)]  # taken with the token, on no enrolled kiosk


def test_a_survey_taken_at_an_enrolled_kiosk_records_which_one(app, kiosk, make_dossier):
    code = make_dossier(DossierStatus.RETURNED)
    assert kiosk.post(f"{KIOSK}/survey/{code}", data={"overall": "very_satisfied"}).status_code == 302
    with app.app_context():
        survey = db.session.scalar(sa.select(Survey))
        assert survey.kiosk_id is not None and db.session.get(Kiosk, survey.kiosk_id).name == "Kiosk sảnh"


def test_revoking_a_kiosk_takes_effect_at_once(app, kiosk, client, login, make_dossier):
    code = make_dossier(DossierStatus.RETURNED)
    assert MASKED in kiosk.get(f"{KIOSK}/lookup", query_string={"code": code}).text
    login("admin")
    with app.app_context():
        kiosk_id = db.session.scalar(sa.select(Kiosk.id))
    assert client.post(f"/admin/kiosks/{kiosk_id}/revoke").status_code == 302
    assert "Đã thu hồi" in client.get("/admin/kiosks/").text
    page = kiosk.get(f"{KIOSK}/lookup", query_string={"code": code})
    assert MASKED not in page.text and "onestop_kiosk=;" in page.headers.get("Set-Cookie", "")
    assert kiosk.post(f"{KIOSK}/survey/{code}", data={"overall": "satisfied"}).status_code == 403
    assert _surveys(app) == []


def test_an_admin_cannot_revoke_a_kiosk_of_an_agency_out_of_reach(app, client, login, demo):
    with app.app_context():
        police = db.session.scalar(sa.select(Agency).where(Agency.code == "000.00.31.H57"))
        other = Kiosk(agency=police, name="Kiosk khác", enrolled_at=clock.now(), cookie_nonce="x" * 32)
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    login("admin")
    assert client.post(f"/admin/kiosks/{other_id}/revoke").status_code == 404


# Rate limits


def test_the_lookup_limit_counts_per_kiosk_as_well_as_per_address(database_url, demo, make_dossier):
    code = make_dossier(DossierStatus.PROCESSING)
    app = make_app(database_url, RATELIMIT_ENABLED=True, PUBLIC_RATE_LIMIT="2 per hour")
    kiosk = app.test_client()
    kiosk.get(enrol_kiosk(app))

    def lookup(client, address):
        return client.get(f"{KIOSK}/lookup", query_string={"code": code},
                          environ_base={"REMOTE_ADDR": address}).status_code

    # The same enrolled kiosk reached from three addresses (a proxy, a DHCP renewal): one budget.
    assert [lookup(kiosk, "192.0.2.1"), lookup(kiosk, "192.0.2.2"), lookup(kiosk, "192.0.2.3")] == [200, 200, 429]
    stranger = app.test_client()
    assert [lookup(stranger, "192.0.2.9"), lookup(stranger, "192.0.2.9"), lookup(stranger, "192.0.2.9")] == \
        [200, 200, 429]
    with app.app_context():
        db.engine.dispose()
