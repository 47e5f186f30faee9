"""/admin/users/: the accounts of the admin's own agency: create, roles, passwords, sessions, tokens, deactivation."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock, logins, tokens, users
from ..errors import WorkflowError
from ..extensions import db
from ..models import User
from .forms import ROLE_CHOICES, ConfirmForm, NewUserForm, PasswordForm, UserForm
from .views import bp


@bp.get("/users/", endpoint="users")
def list_users():
    """The agency's accounts with their roles, and the form for a new one."""
    return _list_page(NewUserForm())


@bp.post("/users/", endpoint="create_user")
def create_user():
    """Make an account; a weak password is refused with the reason, and nothing is saved."""
    form = NewUserForm()
    if not form.validate_on_submit():
        return _list_page(form, 422)
    try:
        user = users.create(current_user.agency, form.username.data, form.full_name.data, form.roles.data,
                            form.password.data, email=form.email.data)
    except WorkflowError as error:
        return _list_page(_with_error(form, error), 422)
    db.session.commit()
    flash(_("Đã tạo tài khoản %(name)s.", name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"], endpoint="edit_user")
def edit_user(user_id):
    """Change an account's full name and roles; an admin keeps their own admin role."""
    user = _own_or_404(user_id)
    form = UserForm(obj=user, roles=sorted(user.roles))  # a POST's own values take precedence
    if not form.validate_on_submit():
        return _edit_page(user, form=form, status=422 if form.is_submitted() else 200)
    try:
        users.update(user, current_user, form.full_name.data, form.roles.data, email=form.email.data)
    except WorkflowError as error:
        return _edit_page(user, form=_with_error(form, error), status=422)
    db.session.commit()
    flash(_("Đã lưu tài khoản %(name)s.", name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/password", endpoint="reset_password")
def reset_password(user_id):
    """Set a new password for the account, held to the same strength rule as a new account's."""
    user, form = _own_or_404(user_id), PasswordForm()
    if not form.validate_on_submit():
        return _edit_page(user, password_form=form, status=422)
    try:
        users.reset_password(user, form.password.data)
    except WorkflowError as error:
        return _edit_page(user, password_form=_with_error(form, error), status=422)
    db.session.commit()
    flash(_("Đã đặt mật khẩu mới cho tài khoản %(name)s.", name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/deactivate", endpoint="deactivate_user")
def deactivate_user(user_id):
    """Close the account: it can no longer log in or use its API tokens; the admin cannot close their own."""
    user = _own_or_404(user_id)
    _require_token()
    try:
        users.deactivate(user, current_user)
    except WorkflowError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    db.session.commit()
    flash(_("Đã khóa tài khoản %(name)s.", name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/reactivate", endpoint="reactivate_user")
def reactivate_user(user_id):
    """Open a closed account again, with its old password."""
    user = _own_or_404(user_id)
    _require_token()
    users.reactivate(user)
    db.session.commit()
    flash(_("Đã mở lại tài khoản %(name)s.", name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/sign-out", endpoint="sign_out_user")
def sign_out_user(user_id):
    """End every session of the account (a lost phone, a PC left signed in); its password stays."""
    user = _own_or_404(user_id)
    _require_token()
    count = logins.end_all(user)
    db.session.commit()
    flash(_("Đã đăng xuất tài khoản %(name)s trên %(count)d trình duyệt.", name=user.username, count=count), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/tokens/<int:token_id>/revoke", endpoint="revoke_token")
def revoke_token(user_id, token_id):
    """Revoke one of the account's API tokens: the script using it gets 401 from now on."""
    user = _own_or_404(user_id)
    _require_token()
    token = tokens.find(user, token_id) or abort(404)
    tokens.revoke(token)
    db.session.commit()
    flash(_("Đã thu hồi mã truy cập API số %(id)d của tài khoản %(name)s.", id=token.id, name=user.username), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


def _own_or_404(user_id: int) -> User:
    return users.find(current_user.agency, user_id) or abort(404)


def _require_token() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _with_error(form, error: WorkflowError):
    getattr(form, error.field or "password").errors.append(str(error))
    return form


def _list_page(form, status=200):
    return render_template("admin/users.html", form=form, users=users.of_agency(current_user.agency),
                           role_labels={choice.value: choice.label for choice in ROLE_CHOICES}), status


def _edit_page(user: User, form=None, password_form=None, status=200):
    if form is None:
        form = UserForm(formdata=None, obj=user, roles=sorted(user.roles))
    return render_template("admin/user.html", user=user, form=form,
                           password_form=PasswordForm(formdata=None) if password_form is None else password_form,
                           confirm_form=ConfirmForm(), role_labels={c.value: c.label for c in ROLE_CHOICES},
                           open_sessions=logins.open_count(user, clock.now()), tokens=tokens.of_user(user),
                           now=clock.now()), status
