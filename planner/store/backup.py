"""Consistent backups and restores: SQLite's online backup API, PostgreSQL's pg_dump/pg_restore."""

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL, make_url

from planner.core import KelilingError, _
from planner.store.db import make_engine, normalise_url

SQLITE_SUFFIX = ".sqlite3"
POSTGRES_SUFFIX = ".dump"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SQLITE_BUSY_TIMEOUT_S = 30
BOOKKEEPING_TABLES = {"alembic_version"}
MIGRATION_TABLE = "alembic_version"
# Only the owner may read a backup: it holds password hashes and everyone's data.
BACKUP_FILE_MODE = 0o600


@dataclass(frozen=True)
class BackupFile:
    """A backup written to disk."""

    path: Path
    size_bytes: int


def backup_filename(url: str, now: dt.datetime) -> str:
    """The default name of a backup: keliling-YYYYMMDD-HHMMSS.sqlite3 (or .dump for PostgreSQL)."""
    suffix = SQLITE_SUFFIX if _is_sqlite(make_url(normalise_url(url))) else POSTGRES_SUFFIX
    return f"keliling-{now:%Y%m%d-%H%M%S}{suffix}"


def backup_target(url: str, output: str | None, now: dt.datetime) -> Path:
    """Where a backup goes: `output` as a file, or as a folder that gets the default name.

    A folder is one that exists or is written with a trailing slash; no `output` means here.
    """
    name = backup_filename(url, now)
    if not output:
        return Path.cwd() / name
    path = Path(output).absolute()
    if path.is_dir() or output.endswith(("/", os.sep)):
        return path / name
    return path


def backup_database(url: str, target: Path) -> BackupFile:
    """Write a consistent backup of the database at `url` to `target`; safe while the app runs.

    An existing file is never overwritten, and a failed backup leaves no file behind.
    """
    parsed = make_url(normalise_url(url))
    if target.exists():
        msg = _("The backup file {path} already exists; choose another name with --output.")
        msg = msg.format(path=target)
        raise KelilingError(msg)
    partial = target.with_name(f".{target.name}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if _is_sqlite(parsed):
            _sqlite_backup(_sqlite_path(parsed), partial)
        else:
            _run_postgres_tool("pg_dump", ["--format=custom", f"--file={partial}"], parsed)
        partial.chmod(BACKUP_FILE_MODE)
        partial.replace(target)
    except (OSError, sqlite3.Error) as error:
        msg = _("The backup to {path} failed: {error}").format(path=target, error=error)
        raise KelilingError(msg) from error
    finally:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
    return BackupFile(target, target.stat().st_size)


def restore_database(url: str, source: Path, force: bool = False) -> None:
    """Restore a backup made by `backup_database` into the database at `url`.

    A database that already holds data is refused unless `force` is set, then replaced whole.
    """
    parsed = make_url(normalise_url(url))
    _check_backup_kind(source, sqlite_target=_is_sqlite(parsed))
    rows = stored_rows(url)
    if rows and not force:
        msg = _(
            "The target database is not empty ({rows} data rows); restore into an empty "
            "database, or add --force to overwrite it."
        ).format(rows=rows)
        raise KelilingError(msg)
    if _is_sqlite(parsed):
        try:
            _sqlite_restore(source, _sqlite_path(parsed))
        except (OSError, sqlite3.Error) as error:
            msg = _("The restore from {path} failed: {error}").format(path=source, error=error)
            raise KelilingError(msg) from error
    else:
        options = [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
        ]
        _run_postgres_tool("pg_restore", [*options, str(source)], parsed)


def stored_rows(url: str) -> int:
    """How many rows the database's tables hold (migration bookkeeping not counted)."""
    parsed = make_url(normalise_url(url))
    if _is_sqlite(parsed) and not _sqlite_path(parsed).exists():
        return 0
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names()) - BOOKKEEPING_TABLES
            counts = [
                connection.execute(select(func.count()).select_from(table(name))).scalar_one()
                for name in sorted(names)
            ]
    finally:
        engine.dispose()
    return sum(counts)


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        msg = _("An in-memory SQLite database cannot be backed up; use an SQLite file.")
        raise KelilingError(msg)
    return Path(url.database)


def _sqlite_backup(source: Path, target: Path) -> None:
    """Copy a live SQLite file page by page (readers and writers may go on meanwhile)."""
    if not source.exists():
        msg = _("The SQLite database {path} does not exist: there is nothing to back up yet.")
        msg = msg.format(path=source)
        raise KelilingError(msg)
    with _sqlite(source) as origin, _sqlite(target) as copy:
        origin.backup(copy)
        # A self-contained single file: no -wal/-shm companions needed to read the backup.
        copy.execute("PRAGMA journal_mode=DELETE")


def _sqlite_restore(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with _sqlite(source) as origin:
        tables = {row[0] for row in origin.execute("SELECT name FROM sqlite_master")}
        if MIGRATION_TABLE not in tables:
            msg = _("{path} is not a Keliling backup (it has no {table} table).").format(
                path=source, table=MIGRATION_TABLE
            )
            raise KelilingError(msg)
        with _sqlite(target) as copy:
            origin.backup(copy)


def _sqlite(path: Path) -> closing[sqlite3.Connection]:
    """A sqlite3 connection that is closed (not just committed) on leaving the block."""
    return closing(sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_S))


def _check_backup_kind(source: Path, sqlite_target: bool) -> None:
    """Refuse a file that is not a backup of the target's kind of database."""
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        kind = "sqlite"
    elif head.startswith(PG_DUMP_MAGIC):
        kind = "postgresql"
    else:
        msg = _(
            "{path} is not a Keliling backup (neither an SQLite file nor pg_dump --format=custom)."
        ).format(path=source)
        raise KelilingError(msg)
    if (kind == "sqlite") != sqlite_target:
        target = "SQLite" if sqlite_target else "PostgreSQL"
        msg = _("{path} is a {kind} backup, but DATABASE_URL points to {target}.").format(
            path=source, kind="SQLite" if kind == "sqlite" else "PostgreSQL", target=target
        )
        raise KelilingError(msg)


def _run_postgres_tool(tool: str, arguments: list[str], url: URL) -> None:
    """Run pg_dump or pg_restore on the database; its password goes by PGPASSWORD, not argv."""
    executable = shutil.which(tool)
    if executable is None:
        msg = _(
            "{tool} was not found; install the PostgreSQL client of the server's version "
            "(Debian: apt install postgresql-client)."
        ).format(tool=tool)
        raise KelilingError(msg)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    dbname = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    command = [executable, "--no-password", f"--dbname={dbname}", *arguments]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        detail = lines[0] if lines else _("exit status {code}").format(code=done.returncode)
        msg = _("{tool} failed: {detail}").format(tool=tool, detail=detail)
        raise KelilingError(msg)
