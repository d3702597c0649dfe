"""User accounts: creation, password hashing and authentication."""

import secrets
from functools import cache

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from planner.core import KelilingError
from planner.store.models import User
from planner.store.vocabulary import ROLES

MIN_PASSWORD_LENGTH = 8


def random_password() -> str:
    """A password that is easy to type from a printed sheet."""
    return secrets.token_urlsafe(9)


def find_user(session: Session, username: str) -> User | None:
    """The user with this username (active or not), if any."""
    return session.exec(select(User).where(User.username == username.strip())).first()


def has_admin(session: Session) -> bool:
    """Whether any admin account exists."""
    return session.exec(select(User).where(User.role == "admin")).first() is not None


def create_user(
    session: Session, username: str, password: str, role: str, full_name: str = ""
) -> User:
    """Create a user, or reset the password and role of an existing one."""
    if role not in ROLES:
        msg = f"Peran '{role}' tidak dikenal; pilih salah satu dari: {', '.join(ROLES)}."
        raise KelilingError(msg)
    if len(password) < MIN_PASSWORD_LENGTH:
        msg = f"Kata sandi terlalu pendek: minimal {MIN_PASSWORD_LENGTH} karakter."
        raise KelilingError(msg)
    user = find_user(session, username)
    if user is None:
        user = User(username=username, password_hash="", role=role)
    user.password_hash = generate_password_hash(password)
    user.role = role
    user.full_name = full_name or user.full_name
    user.active = True
    session.add(user)
    session.flush()
    return user


@cache
def _unknown_user_hash() -> str:
    """A hash of a random password, checked when nobody has the username."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, else None.

    A password is hashed whether or not the username exists (and whether or not the account is
    active), so the response time does not tell which usernames exist.
    """
    user = find_user(session, username)
    stored_hash = user.password_hash if user is not None else _unknown_user_hash()
    if not check_password_hash(stored_hash, password):
        return None
    return user if user is not None and user.active else None
