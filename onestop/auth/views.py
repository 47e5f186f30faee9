"""Staff log in with a username and password; each role lands on its own home page."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import clock, logins, passwords, redirects, users
from ..extensions import db, login_manager
from ..text import N_
from .forms import LoginForm

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"
login_manager.login_message = N_("Vui lòng đăng nhập để tiếp tục.")
login_manager.localize_callback = _  # said in the language of the page the user asked for
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id):
    # The signed cookie names the user, and its nonce must still open a session on the server (logins.py):
    # one query for the user, the session and the agency every staff page asks for.
    return logins.user_for(int(user_id), session.get(logins.NONCE_KEY), clock.now())


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
            _sign_in(user)
            return redirect(target or url_for("auth.index"))
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
    return render_template("auth/login.html", form=form)


def _refuse_next(form):
    """A link whose "next" leaves the site: say so, and let the user log in to the home page instead."""
    flash(_("Liên kết này chuyển tới một địa chỉ không hợp lệ. Hãy đăng nhập tại đây để về trang chủ."), "error")
    return render_template("auth/login.html", form=form, action=url_for("auth.login")), 422


@bp.post("/auth/logout")  # POST with the CSRF token only: a link or an image on another site cannot log anyone out
@login_required
def logout():
    """Close this browser's session on the server too: a copy of its cookie no longer works."""
    logins.end(session.pop(logins.NONCE_KEY, None))
    logout_user()
    db.session.commit()
    flash(_("Đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/auth/account")
@login_required
def account():
    """The user's own account: how many browsers are signed in, and the button that signs them all out."""
    return render_template("auth/account.html", open_sessions=logins.open_count(current_user, clock.now()))


@bp.post("/auth/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session of the user, this one included (a phone left signed in, a shared PC)."""
    logins.end_all(current_user)
    session.pop(logins.NONCE_KEY, None)
    logout_user()
    db.session.commit()
    flash(_("Đã đăng xuất trên mọi thiết bị."), "info")
    return redirect(url_for("auth.login"))


def _sign_in(user) -> None:
    logins.end(session.get(logins.NONCE_KEY))  # a browser signing in again leaves its previous session
    login_user(user)
    session[logins.NONCE_KEY] = logins.start(user, clock.now())
    db.session.commit()
