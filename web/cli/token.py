"""`keliling token`: issue, list and revoke personal tokens for the JSON API."""

import click

from planner.store import create_token, list_tokens, revoke_token, session_scope
from web.cli.common import FORMAT, emit, make_app, ready_engine

TOKEN_COLUMNS = ("id", "username", "name", "created_at", "last_used_at", "revoked")


@click.group()
def token() -> None:
    """Tokens for the JSON API (/api/v1): create, list, revoke."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="", help="What the token is for, e.g. 'laporan dinas'.")
def token_create(username: str, name: str) -> None:
    """Issue a token for USERNAME; it is shown once and only its SHA-256 is stored."""
    engine = ready_engine(make_app())
    with session_scope(engine) as session:
        issued = create_token(session, username, name)
        token_id = issued.row.id
    click.echo(f"Token #{token_id} untuk {username} (simpan sekarang, tidak ditampilkan lagi):")
    click.echo(issued.secret)


@token.command("list")
@click.option("--format", "fmt", type=FORMAT, default="json", show_default=True)
def token_list(fmt: str) -> None:
    """Every token with its owner, newest first (never the secret)."""
    engine = ready_engine(make_app())
    with session_scope(engine) as session:
        rows = [
            {
                "id": row.id,
                "username": username,
                "name": row.name,
                "created_at": row.created_at.isoformat(),
                "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
                "revoked": row.revoked,
            }
            for row, username in list_tokens(session)
        ]
    emit(rows, TOKEN_COLUMNS, fmt)


@token.command("revoke")
@click.argument("token_id", metavar="ID", type=click.IntRange(1, 2**31 - 1))
def token_revoke(token_id: int) -> None:
    """Revoke token ID: requests with it are refused from now on."""
    engine = ready_engine(make_app())
    with session_scope(engine) as session:
        revoke_token(session, token_id)
    click.echo(f"Token #{token_id} dicabut.")
