"""Login, logout and role checks."""

import hashlib
import hmac
import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter import RateLimitExceeded
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_required,
    login_user,
    logout_user,
)
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from planner.store import User, authenticate
from web.db import get_session
from web.errors import wants_json
from web.logs import AUDIT, loggable
from web.throttle import (
    breached_wait_s,
    count_failed_login,
    minutes,
    retry_after,
    throttle_login,
)

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()
F = TypeVar("F", bound=Callable[..., Any])

# Who may open the planning pages; the sopir works from signed route links instead.
PLANNING_ROLES = ("admin", "koordinator")
OFFICE_ROLES = ("admin", "koordinator", "staf")
SESSION_FINGERPRINT_CHARS = 16


class LoginUser(UserMixin):  # type: ignore[misc]  # flask_login is untyped
    """The logged-in user as Flask-Login sees it (kept apart from the table model)."""

    def __init__(self, user: User) -> None:
        self.id = user.id
        self.username = user.username
        self.role = user.role
        self.display_name = user.full_name or user.username
        self.session_id = session_id(user)

    def get_id(self) -> str:
        """What the session cookie keeps: the user and a fingerprint of their password."""
        return self.session_id


def session_id(user: User) -> str:
    """`<id>.<fingerprint>`: a new password or a logout (which counts the user's session
    generation up) gives a new fingerprint, so every session opened before (other browsers, a
    copied cookie) ends at its next request."""
    signed = f"{user.password_hash}:{user.session_generation}".encode()
    fingerprint = hmac.new(
        current_app.config["SECRET_KEY"].encode(), signed, hashlib.sha256
    ).hexdigest()[:SESSION_FINGERPRINT_CHARS]
    return f"{user.id}.{fingerprint}"


class LoginForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    username = StringField(_l("Username"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


def init_app(app: Flask) -> None:
    """Install Flask-Login and CSRF protection on every form; a form sent without a session
    (expired, or logged out in another tab) keeps what was typed for after logging in."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.unauthorized_handler(_unauthorized)
    csrf.init_app(app)
    app.register_error_handler(CSRFError, _form_expired)


# Never echoed back into a page: the CSRF token and passwords.
UNKEPT = re.compile(r"csrf_token|.*password.*|confirm|kept[._].*")
KEPT_PREFIX = "kept."


def _kept(form: MultiDict[str, str], prefix: str = "") -> list[tuple[str, str]]:
    """The posted fields worth keeping (files are not: they must be chosen again)."""
    return [
        (name.removeprefix(prefix), value)
        for name, value in form.items(multi=True)
        if name.startswith(prefix) and not UNKEPT.fullmatch(name.removeprefix(prefix))
    ]


def resume_target(path: str | None) -> str | None:
    """Where a kept form may be sent again: a path of this site taking a POST (not the login)."""
    target = safe_next(path)
    if target is None:
        return None
    try:
        endpoint, _args = current_app.url_map.bind("").match(target.partition("?")[0], "POST")
    except HTTPException:
        return None
    return None if endpoint in {"auth.login", "auth.logout"} else target


def _login_page(
    message: str, status: int, kept: list[tuple[str, str]], target: str | None
) -> ResponseReturnValue:
    """The login form in the page's language, carrying the kept fields to after logging in."""
    if wants_json():
        return {"error": {"status": status, "message": message}}, status
    flash(message, "error")
    return render_template(
        "auth/login.html",
        form=LoginForm(formdata=None),
        kept=kept if target else [],
        kept_to=target,
        files=bool(request.files),
    ), status


def _unauthorized() -> ResponseReturnValue:
    """A page needs a login: GETs go to the login page; a sent form is kept, not lost."""
    if request.method != "POST":
        flash(str(login_manager.login_message), login_manager.login_message_category)
        return redirect(url_for("auth.login", next=safe_next(request.full_path.rstrip("?"))))
    message = _(
        "You are logged out, so the form was not sent yet. Log in again: what you typed is kept."
    )
    return _login_page(
        message, 401, _kept(request.form), resume_target(request.full_path.rstrip("?"))
    )


def _form_expired(_error: CSRFError) -> ResponseReturnValue:
    """The form's CSRF token no longer matches the session: say so in the page's language and
    keep what was typed (log in again, or check and send it again)."""
    if request.endpoint == "auth.login":
        kept, target = _kept(request.form, KEPT_PREFIX), resume_target(request.form.get("kept_to"))
        return _login_page(_("The login form had expired; log in again."), 400, kept, target)
    target = resume_target(request.full_path.rstrip("?"))
    if not current_user.is_authenticated:
        message = _(
            "Your session has ended, so the form was not sent yet. "
            "Log in again: what you typed is kept."
        )
        return _login_page(message, 400, _kept(request.form), target)
    message = _(
        "The form had expired, so it was not sent yet. Check what you typed and send it again."
    )
    if wants_json():
        return {"error": {"status": 400, "message": message}}, 400
    if target is None:
        return render_template("errors/error.html", status=400, message=message), 400
    return _resume_page(message, _kept(request.form), target, 400)


def _resume_page(
    message: str, kept: list[tuple[str, str]], target: str, status: int = 200
) -> ResponseReturnValue:
    """The kept fields, to be sent again to `target` with this session's token (one click)."""
    return render_template(
        "auth/resume.html", message=message, kept=kept, target=target, files=bool(request.files)
    ), status


@login_manager.user_loader  # type: ignore[untyped-decorator]  # flask_login is untyped
def load_user(stored_id: str) -> LoginUser | None:
    user_id, _, _fingerprint = stored_id.partition(".")
    if not user_id.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(session_id(user), stored_id):
        return None
    return LoginUser(user)


def roles_required(*roles: str) -> Callable[[F], F]:
    """Allow the view only to logged-in users with one of `roles` (others get 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required  # type: ignore[untyped-decorator]  # flask_login is untyped
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


def safe_next(target: str | None) -> str | None:
    """The `next` target if it stays on this site, else None (no open redirects)."""
    if not target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None  # a control character (CR/LF) could never be a Location header
    parts = urlsplit(target)
    # Browsers read "/\\evil.example" as "//evil.example": another site.
    if parts.scheme or parts.netloc or not target.startswith("/") or "\\" in target:
        return None
    if target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@throttle_login
def login() -> ResponseReturnValue:
    """Show the login form and log the user in (failed passwords are counted and logged)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data or ""
        user = authenticate(get_session(), username, form.password.data or "")
        if user is not None:
            login_user(LoginUser(user))
            AUDIT.info("login ok: username=%s ip=%s", user.username, request.remote_addr)
            target = resume_target(request.form.get("kept_to"))
            if target is not None:
                message = _("You are logged in again. Your form was not sent yet: send it now.")
                return _resume_page(message, _kept(request.form, KEPT_PREFIX), target)
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
        count_failed_login()
        AUDIT.warning("login failed: username=%s ip=%s", loggable(username), request.remote_addr)
        flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", form=form, **_kept_again())


def _kept_again() -> dict[str, Any]:
    """A kept form stays with the login form through a wrong password."""
    target = resume_target(request.form.get("kept_to"))
    return {"kept": _kept(request.form, KEPT_PREFIX) if target else [], "kept_to": target}


@bp.errorhandler(RateLimitExceeded)
def login_throttled(_error: RateLimitExceeded) -> ResponseReturnValue:
    """Too many failed logins for this account or address: 429 with how long to wait."""
    wait_s = breached_wait_s()
    username = request.form.get("username")
    AUDIT.warning("login throttled: username=%s ip=%s", loggable(username), request.remote_addr)
    message = _("Too many login attempts. Try again in %(minutes)s min.", minutes=minutes(wait_s))
    if wants_json():
        return {"error": {"status": 429, "message": message}}, 429, retry_after(wait_s)
    flash(message, "error")
    page = render_template("auth/login.html", form=LoginForm(), **_kept_again())
    return page, 429, retry_after(wait_s)


@bp.post("/logout")
@login_required  # type: ignore[untyped-decorator]  # flask_login is untyped
def logout() -> Response:
    """Log out and return to the login page; the session ends on the server too, so the old
    cookie (copied, or kept by another browser of this user) no longer logs anyone in."""
    AUDIT.info("logout: username=%s ip=%s", current_user.username, request.remote_addr)
    session = get_session()
    user = session.get(User, current_user.id)
    if user is not None:
        user.session_generation += 1
        session.add(user)
        session.commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))
