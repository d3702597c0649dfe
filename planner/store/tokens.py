"""Personal tokens for the JSON API: created once, stored only as their SHA-256, revocable."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlmodel import Session, col, select

from planner.core import KelilingError, NotFoundError, _
from planner.store.models import ApiToken, User, utcnow
from planner.store.queries import get_or_raise

TOKEN_PREFIX = "kel_"  # noqa: S105 - a public marker, not a secret
TOKEN_BYTES = 32
MAX_NAME_LENGTH = 120
# Recording every use would write to the database on each request; once a minute is enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A new token: its row, and the secret shown to the user once (never stored)."""

    row: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(session: Session, username: str, name: str = "") -> IssuedToken:
    """Issue a token for an active user; the secret is returned once and only hashed here."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        msg = _("The user '{username}' does not exist or is not active.").format(username=username)
        raise NotFoundError(msg)
    if len(name) > MAX_NAME_LENGTH:
        msg = _("The token's name is too long: at most {count} characters.").format(
            count=MAX_NAME_LENGTH
        )
        raise KelilingError(msg)
    assert user.id is not None
    secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    row = ApiToken(user_id=user.id, name=name.strip(), token_hash=hash_token(secret))
    session.add(row)
    session.flush()
    return IssuedToken(row, secret)


def verify_token(session: Session, secret: str, now: dt.datetime | None = None) -> User | None:
    """The active user owning this unrevoked token, else None; notes when it was used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    found = session.exec(
        select(ApiToken, User)
        .join(User, col(ApiToken.user_id) == col(User.id))
        .where(ApiToken.token_hash == hash_token(secret))
    ).first()
    if found is None:
        return None
    token, user = found
    if token.revoked or not user.active:
        return None
    moment = now or utcnow()
    if token.last_used_at is None or moment - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = moment
        session.add(token)
        session.flush()
    return user


def revoke_token(session: Session, token_id: int) -> ApiToken:
    """Revoke a token by id (revoking twice is harmless)."""
    token = get_or_raise(session, ApiToken, token_id, _("Token"))
    token.revoked = True
    session.add(token)
    session.flush()
    return token


def list_tokens(session: Session) -> list[tuple[ApiToken, str]]:
    """Every token with its owner's username, newest first."""
    query = (
        select(ApiToken, User.username)
        .join(User, col(ApiToken.user_id) == col(User.id))
        .order_by(col(ApiToken.id).desc())
    )
    return [(token, str(username)) for token, username in session.exec(query)]
