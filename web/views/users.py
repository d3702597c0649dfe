"""Users (pengguna): the admin adds, changes, resets and disables logins; everyone changes
their own password."""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField, SelectField, StringField

from planner.core import NotFoundError
from planner.store import (
    AccountError,
    User,
    add_user,
    change_own_password,
    list_users,
    random_password,
    set_password,
    set_user_active,
    update_user,
)
from web.auth import LoginUser, roles_required
from web.db import get_session
from web.ui.forms import StatusForm, choices

bp = Blueprint("users", __name__)

ROLE_LABELS = {
    "admin": _l("Admin"),
    "koordinator": _l("Coordinator"),
    "staf": _l("Staff (librarian)"),
    "sopir": _l("Driver"),
}
Page = str | tuple[str, int] | Response


class UserForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    """A user's name and role."""

    full_name = StringField(_l("Full name"))
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS), validate_choice=False)


class NewUserForm(UserForm):
    """A new login: username, name, role and an optional password."""

    username = StringField(_l("Username"))
    password = PasswordField(_l("Password"))


class ResetPasswordForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    """A new password typed by the admin, or empty for a random one."""

    password = PasswordField(_l("New password"))


class OwnPasswordForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    """A user's own change: the current password, then the new one twice."""

    current_password = PasswordField(_l("Current password"))
    new_password = PasswordField(_l("New password"))
    confirm = PasswordField(_l("New password again"))


def _user(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        raise NotFoundError(_("No user with number %(id)s.", id=user_id))
    return user


def _refused(form: FlaskForm, error: AccountError) -> None:
    """Roll back and show the planner's reason under its field (or above the form)."""
    get_session().rollback()
    if error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        flash(str(error), "error")


def _password_page(user: User, password: str, created: bool) -> Response:
    """The new random password, shown once and never cached."""
    page = render_template("users/password.html", user=user, password=password, created=created)
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/pengguna/")
@roles_required("admin")
def index() -> str:
    """Every login with its role and status."""
    return render_template("users/index.html", users=list_users(get_session()), roles=ROLE_LABELS)


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@roles_required("admin")
def create() -> Page:
    """Add a login; without a typed password a random one is shown once."""
    form = NewUserForm(data={"role": "staf"})
    if not form.validate_on_submit():
        return render_template("users/new.html", form=form)
    typed = form.password.data or ""
    password = typed or random_password()
    session = get_session()
    try:
        user = add_user(
            session,
            form.username.data or "",
            password,
            form.role.data or "",
            form.full_name.data or "",
            by=current_user.username,
        )
    except AccountError as error:
        _refused(form, error)
        return render_template("users/new.html", form=form, refused=True), 400
    session.commit()
    if not typed:
        return _password_page(user, password, created=True)
    flash(_('User "%(name)s" created.', name=user.username), "info")
    return redirect(url_for("users.edit", user_id=user.id))


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit(user_id: int) -> Page:
    """Change a user's name and role."""
    user = _user(user_id)
    form = UserForm(data={"full_name": user.full_name, "role": user.role})
    if not form.validate_on_submit():
        return _edit_page(user, form)
    try:
        update_user(
            get_session(),
            user,
            form.role.data or "",
            form.full_name.data or "",
            current_user.username,
        )
    except AccountError as error:
        _refused(form, error)
        return _edit_page(_user(user_id), form, refused=True), 400
    get_session().commit()
    flash(_('User "%(name)s" saved.', name=user.username), "info")
    if user.id == current_user.id and user.role != "admin":
        return redirect(url_for("main.index"))  # no longer allowed on this page
    return redirect(url_for("users.edit", user_id=user_id))


def _edit_page(user: User, form: UserForm, refused: bool = False) -> str:
    return render_template(
        "users/edit.html",
        user=user,
        form=form,
        refused=refused,
        password_form=ResetPasswordForm(formdata=None),
        status_form=StatusForm(),
    )


@bp.post("/pengguna/<int:user_id>/kata-sandi")
@roles_required("admin")
def reset_password(user_id: int) -> Page:
    """Give the user a new password: the one typed, or a random one shown once."""
    user = _user(user_id)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        abort(400)
    typed = form.password.data or ""
    password = typed or random_password()
    try:
        set_password(get_session(), user, password, current_user.username)
    except AccountError as error:
        get_session().rollback()
        flash(str(error), "error")
        return redirect(url_for("users.edit", user_id=user_id))
    get_session().commit()
    if not typed:
        return _password_page(user, password, created=False)
    flash(_('New password for "%(name)s" saved.', name=user.username), "info")
    return redirect(url_for("users.edit", user_id=user_id))


@bp.post("/pengguna/<int:user_id>/nonaktifkan")
@roles_required("admin")
def disable(user_id: int) -> Response:
    """Disable the login: no more logins, API tokens refused; the history stays."""
    return _set_active(user_id, active=False)


@bp.post("/pengguna/<int:user_id>/aktifkan")
@roles_required("admin")
def enable(user_id: int) -> Response:
    """Let the user log in again with the password they had."""
    return _set_active(user_id, active=True)


def _set_active(user_id: int, active: bool) -> Response:
    if not StatusForm().validate_on_submit():
        abort(400)
    user = _user(user_id)
    try:
        set_user_active(get_session(), user, active, current_user.username)
    except AccountError as error:
        get_session().rollback()
        flash(str(error), "error")
        return redirect(url_for("users.edit", user_id=user_id))
    get_session().commit()
    if active:
        flash(_('User "%(name)s" can log in again.', name=user.username), "info")
    else:
        flash(_('User "%(name)s" disabled: no login, no API token.', name=user.username), "info")
    return redirect(url_for("users.edit", user_id=user_id))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]  # flask_login is untyped
def own_password() -> Page:
    """Change one's own password (the current one is asked first)."""
    form = OwnPasswordForm()
    if not form.validate_on_submit():
        return render_template("users/account.html", form=form)
    if (form.new_password.data or "") != (form.confirm.data or ""):
        form.confirm.errors = [_("The two new passwords differ.")]
        return render_template("users/account.html", form=form, refused=True), 400
    user = _user(current_user.id)
    try:
        change_own_password(
            get_session(), user, form.current_password.data or "", form.new_password.data or ""
        )
    except AccountError as error:
        _refused(form, error)
        return render_template("users/account.html", form=form, refused=True), 400
    get_session().commit()
    login_user(LoginUser(user))  # this session goes on; the others end with the old password
    flash(_("Your password has been changed."), "info")
    return redirect(url_for("main.index"))
