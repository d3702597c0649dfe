"""API tokens on SQLite and PostgreSQL: shown once, stored as SHA-256 only, revocable."""

import datetime as dt
import hashlib

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.core import KelilingError, NotFoundError
from planner.store import (
    LAST_USED_RESOLUTION,
    TOKEN_PREFIX,
    ApiToken,
    User,
    create_token,
    list_tokens,
    revoke_token,
    session_scope,
    verify_token,
)

NOON = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def users(engine: Engine) -> Engine:
    """Two users: an active koordinator and a staf who has left."""
    with session_scope(engine) as session:
        session.add(User(username="rina", password_hash="-", role="koordinator"))
        session.add(User(username="budi", password_hash="-", role="staf", active=False))
    return engine


def test_the_secret_is_shown_once_and_only_its_sha256_is_stored(users: Engine) -> None:
    with session_scope(users) as session:
        issued = create_token(session, "rina", "laporan dinas")
        secret = issued.secret
    assert secret.startswith(TOKEN_PREFIX) and len(secret) > 40
    with Session(users) as session:
        row = session.exec(select(ApiToken)).one()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(row.model_dump())
    assert row.name == "laporan dinas" and not row.revoked and row.last_used_at is None


def test_a_valid_token_names_its_user_and_notes_its_use_once_a_minute(users: Engine) -> None:
    with session_scope(users) as session:
        secret = create_token(session, "rina").secret
    with session_scope(users) as session:
        user = verify_token(session, secret, now=NOON)
        assert user is not None and user.username == "rina"
        verify_token(session, secret, now=NOON + LAST_USED_RESOLUTION / 2)
    with Session(users) as session:
        assert session.exec(select(ApiToken)).one().last_used_at == NOON
    with session_scope(users) as session:
        verify_token(session, secret, now=NOON + 2 * LAST_USED_RESOLUTION)
    with Session(users) as session:
        used = session.exec(select(ApiToken)).one().last_used_at
        assert used == NOON + 2 * LAST_USED_RESOLUTION


@pytest.mark.parametrize(
    "guess", ["", "kel_", "kel_tebakan", "Bearer kel_x", "tanpa-awalan", "kel_\x00", "kel_\udc80"]
)
def test_unknown_tokens_are_refused(users: Engine, guess: str) -> None:
    with session_scope(users) as session:
        create_token(session, "rina")
        assert verify_token(session, guess) is None


def test_revoked_tokens_and_inactive_users_are_refused(users: Engine) -> None:
    with session_scope(users) as session:
        kept = create_token(session, "rina", "tetap").secret
        revoked = create_token(session, "rina", "dicabut")
        assert revoked.row.id is not None
        revoke_token(session, revoked.row.id)
        revoke_token(session, revoked.row.id)  # twice is harmless
        assert verify_token(session, revoked.secret) is None
        assert verify_token(session, kept) is not None
        rina = session.exec(select(User).where(User.username == "rina")).one()
        rina.active = False
        session.add(rina)
        session.flush()
        assert verify_token(session, kept) is None


def test_tokens_are_listed_newest_first_with_their_owner(users: Engine) -> None:
    with session_scope(users) as session:
        first = create_token(session, "rina", "pertama")
        second = create_token(session, "rina", "kedua")
        assert first.secret != second.secret
        assert first.row.token_hash != second.row.token_hash
        listed = [(row.name, username) for row, username in list_tokens(session)]
    assert listed == [("kedua", "rina"), ("pertama", "rina")]


def test_refusals_are_explained(users: Engine) -> None:
    with session_scope(users) as session:
        with pytest.raises(NotFoundError, match="Pengguna 'nobody' tidak ada"):
            create_token(session, "nobody")
        with pytest.raises(NotFoundError, match="tidak aktif"):
            create_token(session, "budi")
        with pytest.raises(KelilingError, match="Nama token terlalu panjang"):
            create_token(session, "rina", "x" * 121)
        with pytest.raises(NotFoundError, match="Token #999 tidak ada"):
            revoke_token(session, 999)
