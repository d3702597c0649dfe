"""User accounts: the password policy, adding and changing users, authentication.

Every change is written to the `keliling.audit` log once its transaction commits, so a change
that is rolled back is never reported as done.
"""

import logging
import re
import secrets
from functools import cache

from sqlalchemy import event
from sqlmodel import Session, col, select
from werkzeug.security import check_password_hash, generate_password_hash

from planner.core import UNSTORABLE_TEXT, KelilingError, _, unstorable
from planner.store.models import User
from planner.store.vocabulary import ROLES

AUDIT = logging.getLogger("keliling.audit")
AUDIT_KEY = "keliling.audit"
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
MIN_DISTINCT_CHARACTERS = 4
MAX_FULL_NAME_LENGTH = 120
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
# Easy to read from a printed sheet: no 0/o, 1/l/i.
RANDOM_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RANDOM_GROUPS, RANDOM_GROUP_LENGTH = 3, 4
# The passwords people try first; shorter ones are refused by the length rule already.
COMMON_PASSWORDS = frozenset(
    """
    password123 password1234 passw0rd123 qwertyuiop qwerty12345 qwerty123456 1q2w3e4r5t
    1qaz2wsx3edc abcdefghij abc1234567 abcd123456 iloveyou123 welcome123 letmein123
    changeme123 administrator admin12345 admin123456 katasandi123 kata-sandi katasandiku
    rahasia123 rahasia1234 bismillah bismillah123 alhamdulillah indonesia indonesia123
    merdeka1945 sayangku123 perpustakaan perpustakaan123 pustakawan keliling123 koordinator
    """.split()  # noqa: SIM905 - a word list reads better than 35 quoted lines
)
PASSWORD_POLICY = (
    f"minimal {MIN_PASSWORD_LENGTH} karakter, tidak hanya angka, tidak sama dengan nama "
    "pengguna, dan bukan kata sandi umum yang mudah ditebak"
)


class AccountError(KelilingError):
    """A refused account change; `field` names the form field it is about."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def random_password() -> str:
    """A random password that follows the policy and is easy to type from a printed sheet."""
    while True:
        groups = (
            "".join(secrets.choice(RANDOM_ALPHABET) for _ in range(RANDOM_GROUP_LENGTH))
            for _ in range(RANDOM_GROUPS)
        )
        password = "-".join(groups)
        if password_problem(password) is None:
            return password


def password_problem(password: str, username: str = "") -> str | None:
    """Why the policy refuses this password (planner's language), or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password is too short: at least {count} characters.").format(
            count=MIN_PASSWORD_LENGTH
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("The password is too long: at most {count} characters.").format(
            count=MAX_PASSWORD_LENGTH
        )
    if password.isdigit():
        return _("The password may not be digits only.")
    if username and password.strip().lower() == username.strip().lower():
        return _("The password may not be the same as the username.")
    if password.lower() in COMMON_PASSWORDS or len(set(password.lower())) < MIN_DISTINCT_CHARACTERS:
        return _("This password is too common and easy to guess; choose another.")
    return None


def _check_password(password: str, username: str, field: str = "password") -> None:
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem, field)


def _check_role(role: str) -> None:
    if role not in ROLES:
        msg = _("The role '{role}' is unknown; choose one of: {roles}.").format(
            role=role, roles=", ".join(ROLES)
        )
        raise AccountError(msg, "role")


def _check_full_name(full_name: str) -> None:
    if unstorable(full_name):
        raise AccountError(_(UNSTORABLE_TEXT), "full_name")
    if len(full_name) > MAX_FULL_NAME_LENGTH:
        msg = _("The full name is too long: at most {count} characters.").format(
            count=MAX_FULL_NAME_LENGTH
        )
        raise AccountError(msg, "full_name")


def _audit(session: Session, message: str) -> None:
    """Queue an audit line; it is logged when the session commits, dropped on rollback."""
    if not event.contains(session, "after_commit", _emit_audit):
        event.listen(session, "after_commit", _emit_audit)
        event.listen(session, "after_rollback", _drop_audit)
    session.info.setdefault(AUDIT_KEY, []).append(message)


def _emit_audit(session: Session) -> None:
    for message in session.info.pop(AUDIT_KEY, []):
        AUDIT.info(message)


def _drop_audit(session: Session) -> None:
    session.info.pop(AUDIT_KEY, None)


def find_user(session: Session, username: str) -> User | None:
    """The user with this username (active or not), if any."""
    return session.exec(select(User).where(User.username == username.strip())).first()


def get_user(session: Session, username: str) -> User:
    """The user with this username, or AccountError naming it."""
    user = find_user(session, username)
    if user is None:
        msg = _("There is no user '{username}'.").format(username=username.strip())
        raise AccountError(msg, "username")
    return user


def list_users(session: Session) -> list[User]:
    """Every user, by username."""
    return list(session.exec(select(User).order_by(col(User.username))))


def active_admins(session: Session) -> list[User]:
    """The active admins, by username."""
    query = select(User).where(User.role == "admin", col(User.active).is_(True))
    return list(session.exec(query.order_by(col(User.username))))


def has_admin(session: Session) -> bool:
    """Whether an active admin account exists."""
    return bool(active_admins(session))


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    by: str = "cli",
) -> User:
    """Create a user, or reset the password and role of an existing one (setup and demo)."""
    _check_role(role)
    _check_password(password, username)
    _check_full_name(full_name)
    user = find_user(session, username)
    created = user is None
    if user is None:
        user = User(username=username, password_hash="", role=role)
    user.password_hash = generate_password_hash(password)
    user.role = role
    user.full_name = full_name or user.full_name
    user.active = True
    session.add(user)
    session.flush()
    what = "created" if created else "reset"
    _audit(session, f"user {what}: username={username} role={role} by={by}")
    return user


def add_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    by: str = "cli",
) -> User:
    """Add a new user; AccountError if the username is taken or a value is refused."""
    username = username.strip()
    if not USERNAME.fullmatch(username):
        msg = _(
            "A username is 2-64 characters: lowercase letters, digits, dots, underscores or "
            "hyphens, starting with a letter or digit."
        )
        raise AccountError(msg, "username")
    if find_user(session, username) is not None:
        msg = _("The username '{username}' is already taken.").format(username=username)
        raise AccountError(msg, "username")
    return create_user(session, username, password, role, full_name.strip(), by)


def _keep_an_admin(session: Session, user: User, role: str, active: bool, field: str) -> None:
    """Refuse a change that would leave no active admin to manage the users."""
    if user.role != "admin" or not user.active or (role == "admin" and active):
        return
    if all(admin.id == user.id for admin in active_admins(session)):
        msg = _(
            "'{username}' is the only active admin: make another user an admin first, so "
            "that someone can still manage the users."
        ).format(username=user.username)
        raise AccountError(msg, field)


def update_user(session: Session, user: User, role: str, full_name: str, by: str) -> User:
    """Change a user's role and full name."""
    _check_role(role)
    _check_full_name(full_name.strip())
    _keep_an_admin(session, user, role, user.active, "role")
    old_role = user.role
    user.role = role
    user.full_name = full_name.strip()
    session.add(user)
    session.flush()
    if old_role != role:
        _audit(
            session, f"user role changed: username={user.username} role={old_role}->{role} by={by}"
        )
    return user


def set_user_active(session: Session, user: User, active: bool, by: str) -> User:
    """Enable or disable a login; a disabled user can neither log in nor use API tokens."""
    _keep_an_admin(session, user, user.role, active, "active")
    if user.active != active:
        user.active = active
        session.add(user)
        session.flush()
        what = "enabled" if active else "disabled"
        _audit(session, f"user {what}: username={user.username} by={by}")
    return user


def set_password(
    session: Session, user: User, password: str, by: str, field: str = "password"
) -> User:
    """Give a user a new password (an admin's reset, or the user's own change)."""
    _check_password(password, user.username, field)
    user.password_hash = generate_password_hash(password)
    session.add(user)
    session.flush()
    what = "changed" if by == user.username else "reset"
    _audit(session, f"user password {what}: username={user.username} by={by}")
    return user


def change_own_password(session: Session, user: User, current: str, new: str) -> User:
    """A user's own change: the current password must be right and the new one acceptable."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError(_("The current password is wrong."), "current_password")
    return set_password(session, user, new, user.username, "new_password")


@cache
def _unknown_user_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, else None.

    An unknown username costs one hash check too, so the answer's timing does not tell
    whether the account exists.
    """
    user = find_user(session, username)
    stored = user.password_hash if user is not None else _unknown_user_hash()
    matches = check_password_hash(stored, password)
    if user is None or not user.active or not matches:
        return None
    return user
