"""Backups and restores on SQLite and PostgreSQL: the same plans, events and users come back."""

import datetime as dt
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.core import KelilingError
from planner.plans import build_problem, publish_plan, record_checkin, store_plan
from planner.store import (
    CheckIn,
    OutreachEvent,
    Plan,
    Region,
    User,
    Visit,
    authenticate,
    backup_database,
    backup_filename,
    backup_target,
    create_user,
    make_engine,
    migrate,
    normalise_url,
    restore_database,
    session_scope,
    stored_rows,
)
from tests.conftest import unavailable
from tests.factories import solved_once

PASSWORD = "kata-sandi-cadangan"
START = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 12, 5, 2, 30, 0)


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def empty_url(engine: Engine, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as `engine`: a new SQLite file or PostgreSQL database."""
    if engine.url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    require_postgres_tools()
    with fresh_postgres_database(url_of(engine)) as url:
        yield url


def require_postgres_tools() -> None:
    """Skip (or fail, in CI) when pg_dump and pg_restore are not installed."""
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        unavailable(f"{' and '.join(missing)} not installed (Debian: postgresql-client)")


class fresh_postgres_database:  # noqa: N801 - a context manager read like a function
    """A new, empty PostgreSQL database on the server of `url`, dropped on leaving."""

    def __init__(self, url: str) -> None:
        self.name = f"keliling_restore_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")

    def __enter__(self) -> str:
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.admin.url.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *_exc: object) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture
def filled(engine: Engine, region: Region) -> Engine:
    """A published week with a finished visit and its event, and a koordinator and a staf."""
    with session_scope(engine) as session:
        create_user(session, "rina", PASSWORD, "koordinator", "Rina Koordinator")
        create_user(session, "budi", PASSWORD, "staf", "Budi Pustakawan")
        problem, context = build_problem(session, START, 1)
        row = store_plan(session, problem, solved_once(problem), context, 1)
        assert row.id is not None
        publish_plan(session, row.id)
        visit = session.exec(select(Visit).order_by(Visit.id)).first()
        assert visit is not None
        record_checkin(session, visit, "selesai", now=visit.planned_departure)
        session.add(
            OutreachEvent(
                stop_id=visit.stop_id,
                visit_id=visit.id,
                event_type="dongeng",
                starts_at=dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC),
                librarians=["Siti Aminah"],
                attendance={"anak": {"L": 12, "P": 15}},
                books_lent=23,
            )
        )
    return engine


def contents(url: str) -> dict[str, Any]:
    """What a user would look for after a restore: the users, plans, visits, check-ins, events."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return {
                "users": sorted(
                    (u.username, u.role, u.full_name) for u in session.exec(select(User))
                ),
                "plans": sorted((p.id, p.status, p.start_date) for p in session.exec(select(Plan))),
                "visits": len(session.exec(select(Visit)).all()),
                "checkins": [(c.visit_id, c.status) for c in session.exec(select(CheckIn))],
                "events": [
                    (e.stop_id, e.event_type, e.librarians, e.attendance, e.books_lent)
                    for e in session.exec(select(OutreachEvent))
                ],
            }
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_restored_backup_has_the_same_plans_events_and_users(
    filled: Engine, empty_url: str, tmp_path: Path
) -> None:
    backup = backup_database(url_of(filled), tmp_path / "cadangan")
    assert backup.size_bytes == backup.path.stat().st_size > 0
    assert backup.path.stat().st_mode & 0o777 == 0o600  # password hashes inside
    restore_database(empty_url, backup.path)
    restored = contents(empty_url)
    assert restored == contents(url_of(filled))
    assert restored["plans"] and restored["visits"] and restored["events"]
    assert {"rina", "budi"} <= {username for username, _, _ in restored["users"]}
    engine = make_engine(empty_url)
    with Session(engine) as session:
        assert authenticate(session, "rina", PASSWORD) is not None
        session.add(User(username="baru", password_hash="-", role="staf"))
        session.commit()  # the id sequences came back too: new rows do not collide
    engine.dispose()


@pytest.mark.postgres
def test_a_database_holding_data_is_replaced_only_with_force(
    filled: Engine, empty_url: str, tmp_path: Path
) -> None:
    backup = backup_database(url_of(filled), tmp_path / "cadangan")
    restore_database(empty_url, backup.path)
    engine = make_engine(empty_url)
    with session_scope(engine) as session:
        create_user(session, "setelah", PASSWORD, "staf", "Dibuat setelah cadangan")
    engine.dispose()
    with pytest.raises(KelilingError, match="tidak kosong .*--force"):
        restore_database(empty_url, backup.path)
    assert "setelah" in {u for u, _, _ in contents(empty_url)["users"]}
    restore_database(empty_url, backup.path, force=True)
    assert contents(empty_url) == contents(url_of(filled))


@pytest.mark.postgres
def test_an_empty_database_has_no_rows_even_with_the_schema_in_place(engine: Engine) -> None:
    assert stored_rows(url_of(engine)) == 0
    with session_scope(engine) as session:
        create_user(session, "rina", PASSWORD, "koordinator", "Rina")
    assert stored_rows(url_of(engine)) == 1


def test_sqlite_backup_is_consistent_while_a_write_is_in_progress(tmp_path: Path) -> None:
    live = make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    migrate(live)
    with session_scope(live) as session:
        create_user(session, "rina", PASSWORD, "koordinator", "Rina")
    with Session(live) as writer:
        writer.add(User(username="belum", password_hash="-", role="staf"))
        writer.flush()  # written inside an open transaction, not committed
        backup = backup_database(url_of(live), tmp_path / "live.sqlite3")
        writer.rollback()
    live.dispose()
    copy = sqlite3.connect(backup.path)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        users = {row[0] for row in copy.execute("SELECT username FROM user")}
    finally:
        copy.close()
    assert "rina" in users and "belum" not in users
    assert not Path(f"{backup.path}-wal").exists()


def test_the_default_name_carries_the_time_and_the_kind(tmp_path: Path) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'k.db'}"
    assert backup_filename(sqlite_url, NOW) == "keliling-20261205-023000.sqlite3"
    assert backup_filename("postgresql://u@h/db", NOW) == "keliling-20261205-023000.dump"
    folder = tmp_path / "cadangan"
    assert (
        backup_target(sqlite_url, f"{folder}/", NOW) == folder / "keliling-20261205-023000.sqlite3"
    )
    folder.mkdir()
    assert (
        backup_target(sqlite_url, str(folder), NOW) == folder / "keliling-20261205-023000.sqlite3"
    )
    assert backup_target(sqlite_url, str(folder / "x.db"), NOW) == folder / "x.db"


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'k.db'}"
    make_engine(source).dispose()
    sqlite3.connect(tmp_path / "k.db").close()
    existing = tmp_path / "kemarin.sqlite3"
    existing.write_bytes(b"yesterday's backup")
    with pytest.raises(KelilingError, match="sudah ada"):
        backup_database(source, existing)
    assert existing.read_bytes() == b"yesterday's backup"


def test_a_folder_that_cannot_be_made_is_one_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "k.db"
    sqlite3.connect(source).close()
    blocker = tmp_path / "berkas"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(KelilingError, match="Cadangan ke .*berkas.* gagal"):
        backup_database(f"sqlite:///{source}", blocker / "cadangan" / "b.sqlite3")


def test_a_missing_sqlite_database_is_not_backed_up_as_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(KelilingError, match="tidak ada"):
        backup_database(f"sqlite:///{tmp_path / 'none.db'}", tmp_path / "b.sqlite3")
    assert list(tmp_path.iterdir()) == []


def test_files_that_are_not_backups_of_the_target_kind_are_refused(tmp_path: Path) -> None:
    text_file = tmp_path / "catatan.txt"
    text_file.write_text("bukan cadangan")
    with pytest.raises(KelilingError, match="bukan cadangan Keliling"):
        restore_database(f"sqlite:///{tmp_path / 'r.db'}", text_file)
    dump = tmp_path / "k.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00")
    with pytest.raises(KelilingError, match="cadangan PostgreSQL, sedangkan DATABASE_URL"):
        restore_database(f"sqlite:///{tmp_path / 'r.db'}", dump)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(KelilingError, match="tidak ada tabel alembic_version"):
        restore_database(f"sqlite:///{tmp_path / 'r.db'}", other)


def test_without_pg_dump_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(KelilingError, match="pg_dump tidak ditemukan.*postgresql-client"):
        backup_database("postgresql://postgres@127.0.0.1:1/none", tmp_path / "b.dump")
    assert list(tmp_path.iterdir()) == []


def test_a_failing_pg_dump_leaves_no_file_and_says_why(tmp_path: Path) -> None:
    require_postgres_tools()
    with pytest.raises(KelilingError, match="pg_dump gagal: .*127.0.0.1"):
        backup_database("postgresql://postgres:rahasia@127.0.0.1:1/none", tmp_path / "b.dump")
    assert list(tmp_path.iterdir()) == []
