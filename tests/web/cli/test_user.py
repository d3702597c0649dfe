"""`keliling user` as the IT person runs it, on SQLite and PostgreSQL."""

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy.engine import Engine
from sqlmodel import Session

from planner.store import create_token, session_scope, verify_token
from web import create_app
from web.cli import main
from web.db import EXTENSION_KEY

SECRET = "user-cli-test-secret-key-0123456789"
Run = Callable[..., Result]


@pytest.fixture
def run(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path / "instance"))

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args))

    assert invoke("init", "--admin-password", "kunci-gudang-buku").exit_code == 0
    return invoke


@pytest.fixture
def web_app(engine: Engine) -> Iterator[Flask]:
    url = engine.url.render_as_string(hide_password=False)
    config = {"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE_URL": url}
    app = create_app({**config, "SECRET_KEY": SECRET})
    yield app
    app.extensions[EXTENSION_KEY].dispose()


def _logs_in(app: Flask, username: str, password: str) -> bool:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": password})
    return response.status_code == 302 and client.get("/").status_code in (200, 302)


def _printed_password(result: Result, username: str) -> str:
    found = re.search(rf"^Login: {re.escape(username)} / (\S+)$", result.output, re.MULTILINE)
    assert found is not None, result.output
    return found.group(1)


def _galat(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("Galat:")]


def test_user_add_creates_a_coordinator_who_can_log_in(run: Run, web_app: Flask) -> None:
    result = run("user", "add", "siti.aminah", "--role", "koordinator", "--name", "Siti Aminah")
    assert result.exit_code == 0, result.output
    assert "Pengguna siti.aminah (koordinator) dibuat." in result.output
    password = _printed_password(result, "siti.aminah")
    client = web_app.test_client()
    client.post("/login", data={"username": "siti.aminah", "password": password})
    assert client.get("/kendaraan/").status_code == 200
    assert "Siti Aminah" in client.get("/kendaraan/").get_data(as_text=True)


def test_user_add_with_a_chosen_password_does_not_echo_it(run: Run, web_app: Flask) -> None:
    result = run("user", "add", "budi", "--role", "staf", "--password", "buku-di-bawah-pohon")
    assert result.exit_code == 0
    assert "buku-di-bawah-pohon" not in result.output
    assert _logs_in(web_app, "budi", "buku-di-bawah-pohon")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("budi", "--role", "staf", "--password", "1234567890"), "tidak boleh hanya angka"),
        (("budi", "--role", "staf", "--password", "budi"), "terlalu pendek"),
        (("admin", "--role", "staf"), "Nama pengguna 'admin' sudah dipakai."),
        (("Budi Santoso", "--role", "staf"), "Nama pengguna harus 2-64 karakter"),
    ],
)
def test_user_add_refusals_are_one_line(run: Run, args: tuple[str, ...], message: str) -> None:
    result = run("user", "add", *args)
    assert result.exit_code == 1
    assert len(_galat(result)) == 1 and message in _galat(result)[0]
    assert "Traceback" not in result.output
    assert len(json.loads(run("user", "list").output)) == 1


def test_user_list_as_json_and_csv(run: Run) -> None:
    run("user", "add", "sopir.andi", "--role", "sopir", "--name", "Andi")
    rows = json.loads(run("user", "list", "--format", "json").output)
    assert [(r["username"], r["role"], r["active"]) for r in rows] == [
        ("admin", "admin", True),
        ("sopir.andi", "sopir", True),
    ]
    assert all("password" not in key for row in rows for key in row)
    table = list(csv.DictReader(io.StringIO(run("user", "list", "--format", "csv").output)))
    assert table[1]["full_name"] == "Andi"


def test_user_passwd_prints_a_new_password(run: Run, web_app: Flask) -> None:
    result = run("user", "passwd", "admin")
    assert result.exit_code == 0
    password = _printed_password(result, "admin")
    assert _logs_in(web_app, "admin", password)
    assert not _logs_in(web_app, "admin", "kunci-gudang-buku")
    missing = run("user", "passwd", "tidak.ada")
    assert _galat(missing) == ["Galat: Pengguna 'tidak.ada' tidak ada."]


def test_user_disable_stops_logins_and_tokens(run: Run, web_app: Flask, engine: Engine) -> None:
    run("user", "add", "staf", "--role", "staf", "--password", "rak-buku-ketiga")
    with session_scope(engine) as session:
        secret = create_token(session, "staf").secret
    result = run("user", "disable", "staf")
    assert result.exit_code == 0
    assert "login dan token API-nya ditolak" in result.output
    assert not _logs_in(web_app, "staf", "rak-buku-ketiga")
    bearer = {"Authorization": f"Bearer {secret}"}
    assert web_app.test_client().get("/api/v1/villages", headers=bearer).status_code == 401
    run("user", "enable", "staf")
    assert _logs_in(web_app, "staf", "rak-buku-ketiga")
    with Session(engine) as session:
        assert verify_token(session, secret) is not None


def test_the_last_admin_cannot_be_disabled_or_demoted(run: Run, web_app: Flask) -> None:
    for args in (("disable", "admin"), ("role", "admin", "staf")):
        result = run("user", *args)
        assert result.exit_code == 1
        assert "satu-satunya admin aktif" in _galat(result)[0]
    assert _logs_in(web_app, "admin", "kunci-gudang-buku")
    run("user", "add", "kepala", "--role", "koordinator")
    assert run("user", "role", "kepala", "admin").output == "Peran kepala sekarang admin.\n"
    assert run("user", "disable", "admin").exit_code == 0
