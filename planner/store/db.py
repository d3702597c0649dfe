"""Database engine, sessions and migrations; SQLite by default, PostgreSQL by DATABASE_URL."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_INSTANCE_DIR = PROJECT_ROOT / "instance"
SQLITE_FILENAME = "keliling.db"
SQLITE_BUSY_TIMEOUT_S = 30


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


def _on_sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite, create the file's folder and enforce foreign keys."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S}
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
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
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision of the migration chain."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
