"""Accounts: the password policy, user changes, the last admin, audit lines; both databases."""

import logging

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from planner.store import (
    AccountError,
    add_user,
    authenticate,
    change_own_password,
    create_token,
    create_user,
    get_user,
    has_admin,
    list_users,
    password_problem,
    random_password,
    session_scope,
    set_password,
    set_user_active,
    update_user,
    verify_token,
)

GOOD = "tiga-buku-sehari"


@pytest.mark.parametrize(
    ("password", "username", "problem"),
    [
        ("pendek", "", "Kata sandi terlalu pendek: minimal 10 karakter."),
        ("x" * 129, "", "Kata sandi terlalu panjang: maksimal 128 karakter."),
        ("0812345678901", "", "Kata sandi tidak boleh hanya angka."),
        ("siti.aminah", "siti.aminah", "Kata sandi tidak boleh sama dengan nama pengguna."),
        ("Password123", "", "Kata sandi ini terlalu umum dan mudah ditebak; pilih yang lain."),
        ("perpustakaan", "", "Kata sandi ini terlalu umum dan mudah ditebak; pilih yang lain."),
        ("ababababab", "", "Kata sandi ini terlalu umum dan mudah ditebak; pilih yang lain."),
        (GOOD, "siti", None),
    ],
)
def test_password_policy(password: str, username: str, problem: str | None) -> None:
    assert password_problem(password, username) == problem


def test_random_passwords_follow_the_policy_and_differ() -> None:
    passwords = {random_password() for _ in range(50)}
    assert len(passwords) == 50
    assert all(password_problem(p, "admin") is None for p in passwords)
    assert all(not set(p) & set("0o1li") for p in passwords)  # nothing to misread on paper


def test_added_user_logs_in_with_a_hashed_password(engine: Engine) -> None:
    with session_scope(engine) as session:
        user = add_user(session, "siti.aminah", GOOD, "koordinator", "Siti Aminah")
        assert GOOD not in user.password_hash
    with Session(engine) as session:
        assert authenticate(session, "siti.aminah", GOOD) is not None
        assert authenticate(session, "siti.aminah", "salah-sekali") is None
        assert authenticate(session, "tidak.ada", GOOD) is None
        assert [u.username for u in list_users(session)] == ["siti.aminah"]


@pytest.mark.parametrize(
    ("username", "role", "password", "field"),
    [
        ("Siti Aminah", "staf", GOOD, "username"),
        ("-siti", "staf", GOOD, "username"),
        ("siti", "kepala", GOOD, "role"),
        ("siti", "staf", "123456789012", "password"),
    ],
)
def test_add_user_names_the_refused_field(
    engine: Engine, username: str, role: str, password: str, field: str
) -> None:
    with Session(engine) as session, pytest.raises(AccountError) as refused:
        add_user(session, username, password, role)
    assert refused.value.field == field


def test_a_taken_username_is_refused(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_user(session, "staf", GOOD, "staf")
    with Session(engine) as session, pytest.raises(AccountError, match="sudah dipakai"):
        add_user(session, "staf", GOOD, "admin")


def test_the_last_active_admin_stays(engine: Engine) -> None:
    with session_scope(engine) as session:
        admin = create_user(session, "admin", GOOD, "admin")
        other = create_user(session, "kepala", GOOD, "koordinator")
        with pytest.raises(AccountError, match="satu-satunya admin aktif"):
            set_user_active(session, admin, False, "admin")
        with pytest.raises(AccountError, match="satu-satunya admin aktif"):
            update_user(session, admin, "staf", "", "admin")
        update_user(session, other, "admin", "Kepala Perpustakaan", "admin")
        set_user_active(session, admin, False, "kepala")
        with pytest.raises(AccountError, match="'kepala' adalah satu-satunya admin aktif"):
            update_user(session, other, "koordinator", "", "kepala")
        assert has_admin(session)


def test_a_disabled_user_and_their_token_are_refused(engine: Engine) -> None:
    with session_scope(engine) as session:
        create_user(session, "admin", GOOD, "admin")
        staf = create_user(session, "staf", GOOD, "staf")
        secret = create_token(session, "staf").secret
        set_user_active(session, staf, False, "admin")
    with session_scope(engine) as session:
        assert authenticate(session, "staf", GOOD) is None
        assert verify_token(session, secret) is None
        set_user_active(session, get_user(session, "staf"), True, "admin")
    with session_scope(engine) as session:
        assert verify_token(session, secret) is not None


def test_own_change_needs_the_current_password(engine: Engine) -> None:
    with session_scope(engine) as session:
        user = create_user(session, "sopir", GOOD, "sopir")
        with pytest.raises(AccountError) as wrong:
            change_own_password(session, user, "bukan-ini-ya", "jalan-desa-berkelok")
        assert wrong.value.field == "current_password"
        with pytest.raises(AccountError) as weak:
            change_own_password(session, user, GOOD, "sopir")
        assert weak.value.field == "new_password"
        change_own_password(session, user, GOOD, "jalan-desa-berkelok")
    with Session(engine) as session:
        assert authenticate(session, "sopir", "jalan-desa-berkelok") is not None


def test_audit_lines_are_written_only_for_committed_changes(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="keliling.audit")
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        add_user(session, "hilang", GOOD, "staf", by="admin")
        raise RuntimeError
    assert "hilang" not in caplog.text
    with session_scope(engine) as session:
        user = add_user(session, "siti", GOOD, "staf", by="admin")
        update_user(session, user, "koordinator", "Siti", "admin")
        set_password(session, user, "pohon-mangga-rindang", "admin")
        set_user_active(session, user, False, "admin")
        set_user_active(session, user, True, "admin")
    lines = [r.getMessage() for r in caplog.records if r.name == "keliling.audit"]
    assert lines == [
        "user created: username=siti role=staf by=admin",
        "user role changed: username=siti role=staf->koordinator by=admin",
        "user password reset: username=siti by=admin",
        "user disabled: username=siti by=admin",
        "user enabled: username=siti by=admin",
    ]
