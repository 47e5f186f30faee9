"""Staff log in with a username and password; each role lands on its own home page."""
from sqlalchemy import orm
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import passwords, redirects, users
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
    target = request.args.get("next")
    if target is not None and not redirects.is_local_path(target):
        return _refuse_next(form)
    if form.validate_on_submit():
        user = users.by_username(form.username.data)
        # The hash is computed for an unknown name too, so the answer takes as long (no user enumeration).
        if passwords.verify(user.password_hash if user else None, form.password.data) and user.active:
            login_user(user)
            return redirect(target or url_for("auth.index"))
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
    return render_template("auth/login.html", form=form)


def _refuse_next(form):
    """A link whose "next" leaves the site: say so, and let the user log in to the home page instead."""
    flash(_("Liên kết này chuyển tới một địa chỉ không hợp lệ. Hãy đăng nhập tại đây để về trang chủ."), "error")
    return render_template("auth/login.html", form=form, action=url_for("auth.login")), 422


@bp.route("/auth/logout", methods=["GET", "POST"])
@login_required
def logout():
    """Close the session."""
    logout_user()
    flash(_("Đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))
