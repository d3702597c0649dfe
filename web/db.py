"""One engine per app and one SQLModel session per request."""

from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from planner.store import database_url, make_engine, writing

EXTENSION_KEY = "keliling.engine"
WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def init_app(app: Flask) -> None:
    """Create the app's engine from DATABASE_URL (or the SQLite file in the instance folder)."""
    url = app.config.get("DATABASE_URL") or database_url(Path(app.instance_path))
    app.config["DATABASE_URL"] = url
    app.extensions[EXTENSION_KEY] = make_engine(url)
    app.teardown_appcontext(_close_session)


def get_engine() -> Engine:
    """The current app's engine."""
    engine: Engine = current_app.extensions[EXTENSION_KEY]
    return engine


def get_session() -> Session:
    """The request's session, opened on first use and closed at teardown.

    A request that may write (POST, PUT, PATCH, DELETE) takes the write lock with its first
    statement (SQLite: BEGIN IMMEDIATE, retried while busy); reads never wait (WAL)."""
    if "db_session" not in g:
        engine = get_engine()
        if has_request_context() and request.method in WRITING_METHODS:
            engine = writing(engine)
        g.db_session = Session(engine, expire_on_commit=False)
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
