"""The command line of DESIGN.md §7."""
import sqlalchemy as sa

from onestop.extensions import db
from onestop.models import Agency, ApiToken, Dossier, DossierStatus, Procedure, User
from onestop import tokens


def count(app, model):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_demo_loads_the_commune_users_and_dossiers_in_every_state_and_is_safe_twice(app, runner):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    assert "clerk" in result.output and "demo" in result.output
    with app.app_context():
        home = db.session.scalar(sa.select(Agency).where(Agency.is_home.is_(True)))
        assert (home.code, home.name) == ("000.13.31.H57", "UBND xã Quảng Thọ")
        statuses = set(db.session.scalars(sa.select(Dossier.status)))
        assert statuses == set(DossierStatus)
        partner = db.session.scalar(sa.select(User).where(User.username == "partner"))
        assert partner.agency.code == "000.00.31.H57"
    dossiers, users = count(app, Dossier), count(app, User)
    assert 45 <= dossiers <= 55
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    assert (count(app, Dossier), count(app, User)) == (dossiers, users)


def test_setup_makes_the_home_agency(app, runner):
    result = runner.invoke(args=["setup", "--agency-code", "000.21.05.H57", "--agency-name", "UBND xã Thử",
                                 "--place", "Thử"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(Agency.code).where(Agency.is_home.is_(True))) == "000.21.05.H57"
    bad = runner.invoke(args=["setup", "--agency-code", "xa-thu", "--agency-name", "X", "--place", "X"])
    assert bad.exit_code != 0 and "000.13.31.H57" in bad.output


def test_users_create_refuses_a_weak_password_and_accepts_a_strong_one(app, runner, demo):
    weak = runner.invoke(args=["users", "create", "thu", "--role", "clerk", "--password-stdin"], input="123456\n")
    assert weak.exit_code != 0 and "ít nhất 10 ký tự" in weak.output
    strong = runner.invoke(args=["users", "create", "thu", "--role", "clerk", "--role", "leader", "--password-stdin"],
                           input="Quang-Tho-2026!\n")
    assert strong.exit_code == 0, strong.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "thu"))
        assert user.roles == {"clerk", "leader"} and user.agency.is_home


def test_users_create_refuses_a_name_that_differs_from_an_account_only_by_letter_case(app, runner, demo):
    result = runner.invoke(args=["users", "create", "Clerk", "--role", "clerk", "--password-stdin"],
                           input="Quang-Tho-2026!\n")
    assert result.exit_code != 0 and "đã có" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id)).where(sa.func.lower(User.username) == "clerk")) == 1
    assert runner.invoke(args=["users", "token", "CLERK"]).exit_code == 0  # the token command finds it all the same


def test_users_token_prints_only_the_token_and_stores_its_hash(app, runner, demo):
    result = runner.invoke(args=["users", "token", "clerk"])
    assert result.exit_code == 0
    token = result.output
    assert token.endswith("\n") and "\n" not in token[:-1] and len(token.strip()) >= 40
    with app.app_context():
        assert tokens.user_for(token.strip()).username == "clerk"
        assert token.strip() not in db.session.scalar(sa.select(ApiToken.token_hash))


def test_catalogue_import_reports_bad_rows_and_imports_nothing(app, runner, tmp_path, demo):
    before = count(app, Procedure)
    path = tmp_path / "danh-muc.csv"
    path.write_text('Mã TTHC,Tên TTHC,Lĩnh vực,Thời hạn,Đơn vị thời hạn,Mức độ DVC,"Phí, lệ phí"\n'
                    "9.000001,Thủ tục mới,Hộ tịch,3,ngày làm việc,2,\n"
                    "9.000002,Thủ tục hỏng,Hộ tịch,-1,ngày làm việc,2,\n", encoding="utf-8")
    result = runner.invoke(args=["catalogue", "import", str(path)])
    assert result.exit_code != 0 and "dòng 3" in result.output
    assert count(app, Procedure) == before
