"""Staff accounts as an agency's administrator keeps them: create, change roles, reset passwords, deactivate."""
import sqlalchemy as sa
from flask_babel import gettext as _

from . import logins, passwords, tokens
from .errors import WorkflowError
from .extensions import db
from .models import Agency, ApiToken, Role, User


def of_agency(agency: Agency) -> list[User]:
    """The agency's accounts, active ones first, by username."""
    query = sa.select(User).where(User.agency_id == agency.id).order_by(User.active.desc(), User.username)
    return list(db.session.scalars(query))


def find(agency: Agency, user_id: int) -> User | None:
    """The account if it belongs to the agency; another agency's accounts are not there for its admins."""
    return db.session.scalar(sa.select(User).where(User.id == user_id, User.agency_id == agency.id))


def by_username(typed: str) -> User | None:
    """The account a person means by the name typed: letter case does not matter (a phone's keyboard
    capitalises the first letter), unless two accounts differ only by case, as the CLI once allowed."""
    name = (typed or "").strip()
    exact = db.session.scalar(sa.select(User).where(User.username == name))
    if exact is not None or not name:
        return exact
    alike = db.session.scalars(sa.select(User).where(sa.func.lower(User.username) == name.lower()).limit(2)).all()
    return alike[0] if len(alike) == 1 else None


def username_taken(username: str) -> bool:
    """Whether an account has this name, in any letter case."""
    return db.session.scalar(sa.select(User.id).where(sa.func.lower(User.username) == username.lower())) is not None


def create(agency: Agency, username: str, full_name: str, roles: list[str], password: str, email: str = "") -> User:
    """A new account of the agency with a strong password (the rule of `flask users create`)."""
    if username_taken(username):
        raise WorkflowError(_("Tên đăng nhập “%(name)s” đã có; hãy chọn tên khác.", name=username), field="username")
    _check_roles(roles)
    _check_password(password, username)
    user = User(username=username, full_name=full_name, agency=agency, active=True, email=email or "")
    user.roles = roles
    user.password_hash = passwords.hash_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def update(user: User, actor: User, full_name: str, roles: list[str], email: str | None = None) -> User:
    """New full name and roles; an administrator cannot take the admin role away from themselves."""
    _check_roles(roles)
    if user.id == actor.id and Role.ADMIN in user.roles and Role.ADMIN not in roles:
        # Otherwise the agency could be left with nobody able to manage its accounts.
        raise WorkflowError(_("Bạn không thể tự bỏ vai trò quản trị của chính mình."), field="roles")
    user.full_name, user.roles = full_name, roles
    if email is not None:
        user.email = email
    return user


def reset_password(user: User, password: str) -> User:
    """Set a new password, held to the same strength rule as a new account; every open session of it ends."""
    _check_password(password, user.username)
    user.password_hash = passwords.hash_password(password)
    # Whoever knew the old password may be signed in somewhere: the reset must shut them out too.
    # API tokens stay: only the operator issues them (`flask users token`), and they are revoked one by one.
    logins.end_all(user)
    return user


def deactivate(user: User, actor: User) -> User:
    """Close the account: its open sessions end and its API tokens are revoked."""
    if user.id == actor.id:
        raise WorkflowError(_("Bạn không thể tự khóa tài khoản của chính mình."))
    user.active = False
    logins.end_all(user)  # ended, not just refused while inactive: reopening must not bring them back
    # Revoked, not just unusable while inactive: reopening the account must not bring old tokens back.
    for row in db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id,
                                                            ApiToken.revoked_at.is_(None))):
        tokens.revoke(row)
    return user


def reactivate(user: User) -> User:
    """Open a closed account again; it logs in with its old password."""
    user.active = True
    return user


def _check_roles(roles: list[str]) -> None:
    if not roles:
        raise WorkflowError(_("Cần chọn ít nhất một vai trò."), field="roles")
    if not set(roles) <= {role.value for role in Role}:
        raise WorkflowError(_("Vai trò không hợp lệ."), field="roles")


def _check_password(password: str, username: str) -> None:
    problem = passwords.check_strength(password, username)
    if problem:
        raise WorkflowError(problem, field="password")

