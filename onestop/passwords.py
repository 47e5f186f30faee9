"""Password rules and hashing for staff accounts set through the UI or `users create`."""
from flask import current_app
from flask_babel import gettext as _
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash


def hash_password(password: str) -> str:
    """The stored form of a password (scrypt; tests may configure a cheaper method)."""
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def verify(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; with no account (None) a dummy hash is checked, so both take as long."""
    if password_hash is None:
        check_password_hash(_dummy_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")), password)
        return False
    return check_password_hash(password_hash, password)


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no such account", method=method)


def check_strength(password: str, username: str = "") -> str | None:
    """Why the password is too weak, in the user's language, or None when it is strong enough."""
    if len(password) < 10:
        return _("Mật khẩu cần ít nhất 10 ký tự.")
    if username and username.lower() in password.lower():
        return _("Mật khẩu không được chứa tên đăng nhập.")
    kinds = [any(c.islower() for c in password), any(c.isupper() for c in password),
             any(c.isdigit() for c in password), any(not c.isalnum() for c in password)]
    if sum(kinds) < 3:
        return _("Mật khẩu cần có ít nhất ba loại: chữ thường, chữ hoa, chữ số, ký hiệu.")
    return None
