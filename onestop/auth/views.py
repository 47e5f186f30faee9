"""Staff log in with a username and password; each role lands on its own home page."""
from sqlalchemy import orm
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import users
from ..extensions import db, login_manager
from ..models import User
from .forms import LoginForm

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"
login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id):
    # Every staff page asks for the user's agency: one query for both.
    return db.session.get(User, int(user_id), options=[orm.joinedload(User.agency)])


@bp.get("/")
def index():
    """The user's home: the desk for clerks, the admin pages for administrators."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.has_role("clerk", "officer", "leader"):
        return redirect(url_for("desk.home"))
    return redirect(url_for("admin.home"))


@bp.route("/auth/login", methods=["GET", "POST"])
def login():
    """Check the password and open the session."""
    form = LoginForm()
    if form.validate_on_submit():
        user = users.by_username(form.username.data)
        if user is not None and user.active and user.check_password(form.password.data):
            login_user(user)
            return redirect(_safe_next() or url_for("auth.index"))
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/auth/logout", methods=["GET", "POST"])
@login_required
def logout():
    """Close the session."""
    logout_user()
    flash(_("Đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


def _safe_next():
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else None
