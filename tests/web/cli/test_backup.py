"""`keliling backup` and `keliling restore` as an IT person runs them, on SQLite and PostgreSQL."""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.plans import record_checkin
from planner.store import OutreachEvent, Visit, authenticate, make_engine, session_scope
from tests.planner.store.test_backup import (
    contents,
    fresh_postgres_database,
    require_postgres_tools,
)
from web import db as web_db
from web.cli import main
from web.cli.backup import human_size

PASSWORD = "rahasia-cadangan"
WRITTEN = re.compile(r"ditulis ke (\S+) \((\d+(?:,\d)? [KM]B)\)")

Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret-key-0123456789")
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path))
    engines: list[Engine] = []

    def tracked_engine(url: str) -> Engine:
        engines.append(make_engine(url))
        return engines[-1]

    # Each command builds its own app and engine; close their pooled connections after it,
    # as the process exit does for a real command.
    monkeypatch.setattr(web_db, "make_engine", tracked_engine)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        try:
            return runner.invoke(main, list(args), catch_exceptions=False)
        finally:
            while engines:
                engines.pop().dispose()

    return invoke


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The running site's database and an empty one to restore into, of one kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'live.db'}", f"sqlite:///{tmp_path / 'restored.db'}"
        return
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    require_postgres_tools()
    with fresh_postgres_database(admin_url) as source, fresh_postgres_database(admin_url) as target:
        yield source, target


def hold_an_event(url: str) -> None:
    """A driver finishes the first visit of the published plan and a librarian logs an event."""
    engine = make_engine(url)
    with session_scope(engine) as session:
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
                books_lent=23,
            )
        )
    engine.dispose()


@pytest.mark.postgres
def test_a_backup_restored_into_an_empty_database_has_the_same_data(
    run: Run, databases: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = databases
    monkeypatch.setenv("DATABASE_URL", source)
    assert run("demo", "--password", PASSWORD, "--plan-seconds", "1").exit_code == 0
    hold_an_event(source)

    backup = run("backup", "--output", f"{tmp_path / 'cadangan'}/")
    assert backup.exit_code == 0, backup.output
    written = WRITTEN.search(backup.output)
    assert written is not None, backup.output
    path = Path(written.group(1))
    assert re.fullmatch(r"keliling-\d{8}-\d{6}\.(sqlite3|dump)", path.name)
    assert path.parent == tmp_path / "cadangan"
    assert written.group(2) == human_size(path.stat().st_size)
    assert "folder instance" in backup.output

    monkeypatch.setenv("DATABASE_URL", target)
    restored = run("restore", str(path))
    assert restored.exit_code == 0, restored.output
    assert "Basis data dipulihkan" in restored.output
    data = contents(target)
    assert data == contents(source)
    assert data["plans"] and data["checkins"] and data["events"]
    assert {"admin", "koordinator", "staf", "sopir"} <= {u for u, _, _ in data["users"]}

    again = run("restore", str(path))
    assert again.exit_code == 1
    assert again.output.startswith("Galat: Basis data tujuan tidak kosong")
    assert "--force" in again.output

    assert run("init").exit_code == 0  # an upgrade after a restore keeps everything
    engine = make_engine(target)
    with Session(engine) as session:
        assert authenticate(session, "koordinator", PASSWORD) is not None
    engine.dispose()
    assert contents(target) == data


def test_backup_without_pg_dump_is_one_galat_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://keliling@127.0.0.1:1/keliling")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run("backup", "--output", str(tmp_path / "b.dump"))
    assert result.exit_code == 1
    assert result.output.startswith("Galat: pg_dump tidak ditemukan")
    assert "Traceback" not in result.output
    assert not (tmp_path / "b.dump").exists()


def test_restoring_a_file_that_is_not_a_backup_is_refused(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'k.db'}")
    notes = tmp_path / "catatan.txt"
    notes.write_text("bukan cadangan")
    result = run("restore", str(notes))
    assert result.exit_code == 1
    assert result.output.startswith("Galat:") and "bukan cadangan Keliling" in result.output
    assert not (tmp_path / "k.db").exists()


@pytest.mark.parametrize(
    ("size_bytes", "shown"),
    [(200, "1 KB"), (303_104, "296 KB"), (2_516_582, "2,4 MB"), (1_048_576, "1,0 MB")],
)
def test_sizes_read_like_indonesian_numbers(size_bytes: int, shown: str) -> None:
    assert human_size(size_bytes) == shown
