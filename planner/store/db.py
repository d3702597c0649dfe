"""Database engine, sessions and migrations; SQLite by default, PostgreSQL by DATABASE_URL."""

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_INSTANCE_DIR = PROJECT_ROOT / "instance"
SQLITE_FILENAME = "keliling.db"
SQLITE_BUSY_TIMEOUT_S = 30
# A writing unit of work waits at most this long for a busy database (SQLite's write lock,
# PostgreSQL serialisation failures and deadlocks) before its error is raised.
WRITE_RETRY_S = 30.0
WRITE_OPTION = "keliling_write"
# SQLSTATEs PostgreSQL asks to retry the transaction with: serialization_failure, deadlock_detected.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
T = TypeVar("T")


def normalise_url(url: str) -> str:
    """Point plain postgresql:// URLs at the psycopg (v3) driver that Keliling installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_url(instance_dir: Path | None = None) -> str:
    """DATABASE_URL from the environment, else a SQLite file in the instance folder."""
    configured = os.environ.get("DATABASE_URL", "").strip()
    if configured:
        return normalise_url(configured)
    folder = instance_dir or DEFAULT_INSTANCE_DIR
    return f"sqlite:///{folder / SQLITE_FILENAME}"


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Enforce foreign keys, and let SQLAlchemy (not pysqlite) open transactions so that
    # DDL is transactional too: a failed migration leaves nothing half-done.
    # WAL lets the web pages read while a background solve writes its progress.
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA foreign_keys=ON")
    dbapi_connection.execute("PRAGMA journal_mode=WAL")


def is_busy(error: BaseException) -> bool:
    """Whether `error` means "busy, try the transaction again": SQLite's lock held by another
    writer, or a PostgreSQL serialisation failure or deadlock."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    if getattr(original, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    if getattr(original, "sqlite_errorname", "").startswith("SQLITE_BUSY"):
        return True
    return "database is locked" in str(original)


def _backoff(delays: Iterator[float], deadline: float) -> bool:
    """Sleep before the next try; False when the next try would end after `deadline`."""
    delay = next(delays)
    if time.monotonic() + delay > deadline:
        return False
    time.sleep(delay)
    return True


def _delays() -> Iterator[float]:
    delay = 0.01
    while True:
        yield delay
        delay = min(delay * 2, 0.5)


def _on_sqlite_begin(retry_s: float, connection: Any) -> None:
    # A reading transaction stays deferred (WAL: it never blocks a writer). A writing one takes
    # the write lock up front: a deferred transaction that reads and then writes fails at once
    # with "database is locked" when another writer committed in between (no busy wait helps).
    if not connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("BEGIN")
        return
    deadline, delays = time.monotonic() + retry_s, _delays()
    while True:
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except DBAPIError as error:
            if not is_busy(error) or not _backoff(delays, deadline):
                raise


def writing(engine: Engine) -> Engine:
    """The engine for a unit of work that writes: on SQLite its transactions begin IMMEDIATE
    (waiting for a busy database within WRITE_RETRY_S); on PostgreSQL nothing changes."""
    return engine.execution_options(**{WRITE_OPTION: True})


def make_engine(
    url: str, busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S, write_retry_s: float = WRITE_RETRY_S
) -> Engine:
    """Create an engine; for SQLite, create the file's folder and enforce foreign keys.

    On SQLite a statement waits `busy_timeout_s` for a lock, and a writing transaction's
    BEGIN IMMEDIATE is tried again while busy for `write_retry_s`."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": busy_timeout_s}
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", partial(_on_sqlite_begin, write_retry_s))
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    """An Alembic configuration for this project's migration chain and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` through the Alembic chain (never create_all)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error.

    It writes by default (on SQLite it holds the write lock from its first statement to the
    commit, so keep it short); `write=False` for a long read (no lock held, WAL)."""
    with Session(writing(engine) if write else engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def in_transaction(
    engine: Engine, work: Callable[[Session], T], within_s: float = WRITE_RETRY_S
) -> T:
    """Run `work` in a writing transaction and commit; a busy database (SQLite lock, PostgreSQL
    serialisation failure or deadlock) rolls back and runs it again, for at most `within_s`.

    `work` must be safe to run again: it only touches the database through its session."""
    deadline, delays = time.monotonic() + within_s, _delays()
    while True:
        try:
            with session_scope(engine) as session:
                return work(session)
        except DBAPIError as error:
            if not is_busy(error) or not _backoff(delays, deadline):
                raise


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision of the migration chain."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
