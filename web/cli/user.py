"""`keliling user`: add, list, change the password of, and disable or enable logins."""

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlmodel import Session

from planner.store import (
    PASSWORD_POLICY,
    ROLES,
    add_user,
    get_user,
    list_users,
    random_password,
    session_scope,
    set_password,
    set_user_active,
    update_user,
)
from web.cli.common import FORMAT, emit, make_app, ready_engine

USER_COLUMNS = ("id", "username", "full_name", "role", "active", "created_at")
# Who made a change, in the audit log, when it was made on the command line.
CLI_ACTOR = "cli"
PASSWORD_HELP = f"The password (random and printed if not given). Policy: {PASSWORD_POLICY}."


@contextmanager
def _session() -> Iterator[Session]:
    """A session on the configured, migrated database; its engine is closed afterwards."""
    engine = ready_engine(make_app())
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


@click.group()
def user() -> None:
    """Logins: add, list, passwd, role, disable, enable."""


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.option("--name", "full_name", default="", help='Full name, e.g. "Siti Aminah".')
@click.option("--password", help=PASSWORD_HELP)
def user_add(username: str, role: str, full_name: str, password: str | None) -> None:
    """Add a login for USERNAME (lowercase letters, digits, '.', '_', '-')."""
    new_password = password or random_password()
    with _session() as session:
        add_user(session, username, new_password, role, full_name, by=CLI_ACTOR)
    click.echo(f"Pengguna {username.strip()} ({role}) dibuat.")
    if password is None:
        click.echo(f"Login: {username.strip()} / {new_password}")


@user.command("list")
@click.option("--format", "fmt", type=FORMAT, default="json", show_default=True)
def user_list(fmt: str) -> None:
    """Every login with its role and whether it is active (never a password)."""
    with _session() as session:
        rows = [
            {
                "id": row.id,
                "username": row.username,
                "full_name": row.full_name,
                "role": row.role,
                "active": row.active,
                "created_at": row.created_at.isoformat(),
            }
            for row in list_users(session)
        ]
    emit(rows, USER_COLUMNS, fmt)


@user.command("passwd")
@click.argument("username")
@click.option("--password", help=PASSWORD_HELP)
def user_passwd(username: str, password: str | None) -> None:
    """Give USERNAME a new password (for a forgotten one, or after a leak)."""
    new_password = password or random_password()
    with _session() as session:
        set_password(session, get_user(session, username), new_password, by=CLI_ACTOR)
    click.echo(f"Kata sandi {username.strip()} diganti.")
    if password is None:
        click.echo(f"Login: {username.strip()} / {new_password}")


@user.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
def user_role(username: str, role: str) -> None:
    """Give USERNAME another ROLE (the last active admin keeps theirs)."""
    with _session() as session:
        found = get_user(session, username)
        update_user(session, found, role, found.full_name, by=CLI_ACTOR)
    click.echo(f"Peran {username.strip()} sekarang {role}.")


@user.command("disable")
@click.argument("username")
def user_disable(username: str) -> None:
    """Disable USERNAME: no more logins, and their API tokens are refused."""
    with _session() as session:
        set_user_active(session, get_user(session, username), False, by=CLI_ACTOR)
    click.echo(f"Pengguna {username.strip()} dinonaktifkan; login dan token API-nya ditolak.")


@user.command("enable")
@click.argument("username")
def user_enable(username: str) -> None:
    """Enable USERNAME again (with the password they had)."""
    with _session() as session:
        set_user_active(session, get_user(session, username), True, by=CLI_ACTOR)
    click.echo(f"Pengguna {username.strip()} aktif kembali.")
