"""`keliling init` and `keliling demo` as an IT person runs them on a server.

Configured from the environment (DATABASE_URL, SECRET_KEY, as the Procfile deployment has them)
with no instance folder yet, on SQLite and on PostgreSQL.
"""

import logging
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from planner.core import KelilingError
from planner.store import Region, Stop, User, authenticate
from web.cli import main

LOGIN_LINE = re.compile(r"^([a-z]+) / (\S+)  \(([a-z]+)\)$", re.MULTILINE)
SECRET = "init-demo-test-secret-key-0123456789"
Run = Callable[..., Result]


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    """An instance folder that does not exist yet (nor does its parent)."""
    return tmp_path / "not-yet" / "instance"


@pytest.fixture
def run(engine: Engine, instance: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("DATABASE_URL", _url(engine))
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(instance))

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args))

    return invoke


def _logins(output: str) -> dict[str, tuple[str, str]]:
    return {user: (password, role) for user, password, role in LOGIN_LINE.findall(output)}


def _can_log_in(engine: Engine, username: str, password: str) -> bool:
    with Session(engine) as session:
        return authenticate(session, username, password) is not None


def _count(engine: Engine, model: type[Region] | type[User] | type[Stop]) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _galat_lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("Galat:")]


def test_demo_without_instance_folder_prints_four_working_logins(
    run: Run, engine: Engine, instance: Path
) -> None:
    result = run("demo", "--plan-seconds", "0")
    assert result.exit_code == 0, result.output
    logins = _logins(result.output)
    assert {user: role for user, (_pw, role) in logins.items()} == {
        "admin": "admin",
        "koordinator": "koordinator",
        "sopir": "sopir",
        "staf": "staf",
    }
    assert all(_can_log_in(engine, user, pw) for user, (pw, _role) in logins.items())
    assert len({pw for pw, _role in logins.values()}) == 4  # one random password each
    saved = instance / "demo-logins.txt"
    assert f"Daftar login ini juga tersimpan di {saved}." in result.output
    assert _logins(saved.read_text()) == logins
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert _count(engine, Region) == 1 and _count(engine, Stop) == 25


def test_demo_again_keeps_the_data_and_prints_the_same_logins(run: Run, engine: Engine) -> None:
    first = run("demo", "--plan-seconds", "0")
    second = run("demo", "--plan-seconds", "0")
    assert second.exit_code == 0, second.output
    assert _logins(second.output) == _logins(first.output)
    assert "Titik layanan baru: 0; kendaraan baru: 0." in second.output
    assert "Survei demo" not in second.output
    assert _count(engine, User) == 4 and _count(engine, Stop) == 25
    assert all(_can_log_in(engine, u, pw) for u, (pw, _r) in _logins(second.output).items())


def test_init_without_instance_folder_prints_the_admin_login(
    run: Run, engine: Engine, instance: Path
) -> None:
    first = run("init")
    assert first.exit_code == 0, first.output
    password = re.search(r"^Login admin: admin / (\S+)$", first.output, re.MULTILINE)
    assert password is not None and _can_log_in(engine, "admin", password.group(1))
    assert first.output.rstrip().endswith("Basis data siap.")
    second = run("init")
    assert second.exit_code == 0, second.output
    assert "Login admin" not in second.output
    assert "Admin aktif sudah ada (admin); kata sandinya tidak diubah." in second.output
    assert "keliling user passwd admin" in second.output
    assert _can_log_in(engine, "admin", password.group(1))
    assert _count(engine, User) == 1 and _count(engine, Region) == 1
    assert not instance.exists()  # init needs no instance folder when SECRET_KEY is set


def test_demo_after_init_keeps_the_admin_password(run: Run, engine: Engine) -> None:
    admin = re.search(r"admin / (\S+)", run("init").output)
    assert admin is not None
    result = run("demo", "--plan-seconds", "0")
    assert result.exit_code == 0, result.output
    assert set(_logins(result.output)) == {"koordinator", "sopir", "staf"}
    assert "kata sandinya tidak diubah: admin" in result.output
    assert _can_log_in(engine, "admin", admin.group(1))


def test_demo_with_a_chosen_password_follows_the_policy(run: Run, engine: Engine) -> None:
    refused = run("demo", "--password", "1234567890", "--plan-seconds", "0")
    assert refused.exit_code == 1
    assert _galat_lines(refused) == ["Galat: Kata sandi tidak boleh hanya angka."]
    assert _count(engine, Region) == 0
    chosen = run("demo", "--password", "rahasia-demo", "--plan-seconds", "0")
    assert chosen.exit_code == 0
    assert all(pw == "rahasia-demo" for pw, _role in _logins(chosen.output).values())


def test_failure_in_the_middle_of_demo_leaves_nothing_behind(
    run: Run,
    engine: Engine,
    instance: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*_args: object) -> int:
        msg = "Armada demo tidak dapat dibuat."
        raise KelilingError(msg)

    monkeypatch.setattr("web.cli.setup.install_default_vehicles", broken)
    with caplog.at_level(logging.INFO, logger="keliling.audit"):
        result = run("demo", "--plan-seconds", "0")
    assert result.exit_code == 1
    assert _galat_lines(result) == ["Galat: Armada demo tidak dapat dibuat."]
    assert "Traceback" not in result.output and "Wilayah" not in result.output
    assert _count(engine, Region) == 0 and _count(engine, User) == 0
    assert _count(engine, Stop) == 0
    assert not (instance / "demo-logins.txt").exists()
    assert "user created" not in caplog.text  # rolled back, so never reported as done


def test_failure_in_the_middle_of_init_leaves_nothing_behind(
    run: Run, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        msg = "Admin tidak dapat dibuat."
        raise KelilingError(msg)

    monkeypatch.setattr("web.cli.setup.create_user", broken)
    result = run("init")
    assert result.exit_code == 1
    assert _galat_lines(result) == ["Galat: Admin tidak dapat dibuat."]
    assert "Traceback" not in result.output and "Basis data siap" not in result.output
    assert _count(engine, Region) == 0 and _count(engine, User) == 0
    monkeypatch.undo()


def test_demo_prints_the_logins_when_the_instance_folder_cannot_be_written(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DATABASE_URL", _url(engine))
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(blocker / "instance"))
    result = CliRunner().invoke(main, ["demo", "--plan-seconds", "0"])
    assert result.exit_code == 0, result.output
    assert "Catatan: daftar login tidak dapat disimpan" in result.output
    logins = _logins(result.output)
    assert len(logins) == 4
    assert all(_can_log_in(engine, user, pw) for user, (pw, _role) in logins.items())


def test_demo_from_the_instance_config_file(
    engine: Engine, instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance.mkdir(parents=True)
    (instance / "config.py").write_text(
        f"DATABASE_URL = {_url(engine)!r}\nSECRET_KEY = {SECRET!r}\n"
    )
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(instance))
    result = CliRunner().invoke(main, ["demo", "--plan-seconds", "0"])
    assert result.exit_code == 0, result.output
    assert len(_logins(result.output)) == 4
    assert _count(engine, Region) == 1
    assert not (instance / "keliling.db").exists()  # the configured database was used


def test_demo_on_a_fresh_sqlite_file_in_a_missing_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make run` on a fresh checkout: no environment at all, only the instance folder."""
    instance = tmp_path / "fresh" / "instance"
    for name in ("DATABASE_URL", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(instance))
    first = CliRunner().invoke(main, ["demo", "--plan-seconds", "0"])
    assert first.exit_code == 0, first.output
    second = CliRunner().invoke(main, ["demo", "--plan-seconds", "0"])
    assert _logins(second.output) == _logins(first.output) and len(_logins(first.output)) == 4
    assert {p.name for p in instance.iterdir()} >= {"keliling.db", "secret_key", "demo-logins.txt"}
