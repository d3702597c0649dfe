"""Keliling as a user installs it: a wheel (not editable) in a fresh venv, then `keliling init`.

Slow (a wheel build, a venv, a few processes), but it is the only test that catches files left out
of the package, so it runs everywhere, CI included.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlmodel import SQLModel, func, select

from geodata import load_region
from planner.store import (
    Region,
    User,
    Village,
    head_revision,
    make_engine,
    schema_revision,
    session_scope,
)

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("planner", "web", "geodata")
BUILD_INPUTS = ("pyproject.toml", "README.md", *PACKAGES)
# Files the app reads at run time, besides its modules (a glob per kind, from the repo root).
DATA_FILES = (
    "planner/store/migrations/script.py.mako",
    "web/templates/**/*.html",
    "web/static/**/*.*",
    "web/translations/*/LC_MESSAGES/*.mo",
    "planner/translations/*/LC_MESSAGES/*.mo",
    "geodata/*/*.*",
)
PROCESS_TIMEOUT_S = 600  # the wheel build may fetch setuptools from the package registry
ADMIN_PASSWORD_LINE = "Login admin: admin / "
PROBED_URLS = ("/login", "/static/css/app.css", "/static/vendor/leaflet/leaflet.js")
PROBE = """
import json, sys
import geodata, planner, planner.store.db, web
from web import create_app

app = create_app({"TESTING": True, "DATABASE_URL": "sqlite:///" + sys.argv[1]})
client = app.test_client()
pages = {url: client.get(url) for url in sys.argv[2:]}
files = [planner.__file__, web.__file__, geodata.__file__, str(planner.store.db.MIGRATIONS_DIR)]
answers = {url: [page.status_code, page.get_data(as_text=True)] for url, page in pages.items()}
print(json.dumps({"files": files, "pages": answers}))
"""


def _child_env(**settings: str) -> dict[str, str]:
    """This environment without anything that would point the child at the repo or its config."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KELILING_")
        and key
        not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DATABASE_URL", "SECRET_KEY", "REGION"}
    }
    return {**env, **settings}


def _run(command: list[str | Path], cwd: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=_child_env(**settings),
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT_S,
        check=False,
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from a copy of the sources (the build writes build/ and
    *.egg-info next to pyproject.toml, which must not happen in a working tree others share)."""
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    # Build isolation stays on: the project venv's own setuptools may be older than the
    # setuptools>=68 that pyproject.toml asks for, exactly as on a user's machine.
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", dist, source]
    _ok(_run(command, cwd=dist))
    (built,) = dist.glob("keliling-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; third-party packages come from the project venv."""
    folder = tmp_path_factory.mktemp("venv")
    _ok(_run([sys.executable, "-m", "venv", "--without-pip", folder], cwd=folder))
    python = folder / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", python]
    _ok(_run([*pip, "install", "--no-deps", "--no-index", wheel], cwd=folder))
    # A bare path in a .pth file is appended to sys.path without running the .pth files found
    # there, so the project venv's editable-install finder stays off and `planner` can only
    # come from the wheel, while flask, ortools, ... need no download.
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site_packages = Path(_ok(_run([python, "-c", where], cwd=folder)).strip())
    third_party = sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})
    (site_packages / "keliling-test-deps.pth").write_text("\n".join(third_party) + "\n")
    return folder


def test_the_wheel_holds_the_migrations_and_every_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    migrations = ROOT / "planner" / "store" / "migrations"
    versions = sorted(p.relative_to(ROOT).as_posix() for p in migrations.glob("versions/*.py"))
    assert "planner/store/migrations/env.py" in names
    assert versions and set(versions) <= names
    wanted = {
        path.relative_to(ROOT).as_posix()
        for pattern in (*DATA_FILES, *(f"{package}/**/*.py" for package in PACKAGES))
        for path in ROOT.glob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert sorted(wanted - names) == []
    assert not any(name.startswith(("tests/", "bench/", "migrations/")) for name in names)


@pytest.fixture(scope="module")
def probe(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the installed app says about itself: where its code is, and a few pages."""
    folder = tmp_path_factory.mktemp("probe")
    command = [venv / "bin" / "python", "-c", PROBE, folder / "app.db", *PROBED_URLS]
    instance = str(folder / "instance")
    answer: dict[str, Any] = json.loads(
        _ok(_run(command, cwd=folder, KELILING_INSTANCE_PATH=instance))
    )
    return answer


def test_the_installed_code_is_the_wheel_not_the_repo(venv: Path, probe: dict[str, Any]) -> None:
    site = venv.resolve()
    assert len(probe["files"]) == 4
    assert all(Path(path).resolve().is_relative_to(site) for path in probe["files"]), probe


def test_keliling_init_prepares_an_empty_sqlite_file(venv: Path, tmp_path: Path) -> None:
    database, elsewhere = tmp_path / "keliling.db", tmp_path / "elsewhere"
    elsewhere.mkdir()
    settings = {
        "DATABASE_URL": f"sqlite:///{database}",
        "KELILING_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    keliling = venv / "bin" / "keliling"
    pack = load_region("kota_banjar")
    villages = len(pack.villages)

    lines = _ok(_run([keliling, "init"], cwd=elsewhere, **settings)).splitlines()

    assert lines[0] == f"Wilayah {pack.name}: {villages} desa/kelurahan baru, 0 diperbarui."
    assert lines[1].startswith(ADMIN_PASSWORD_LINE) and len(lines[1]) > len(ADMIN_PASSWORD_LINE)
    assert lines[2:] == ["Basis data siap."]
    engine = make_engine(f"sqlite:///{database}")
    try:
        assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
        assert schema_revision(engine) == head_revision() is not None
        with session_scope(engine) as session:
            assert session.exec(select(Region.slug)).all() == [pack.slug]
            assert session.exec(select(func.count()).select_from(Village)).one() == villages
            assert session.exec(select(User.username, User.role)).all() == [("admin", "admin")]
    finally:
        engine.dispose()

    again = _ok(_run([keliling, "init"], cwd=elsewhere, **settings)).splitlines()
    assert again == [
        f"Wilayah {pack.name}: 0 desa/kelurahan baru, {villages} diperbarui.",
        "Admin aktif sudah ada (admin); kata sandinya tidak diubah. "
        "Lupa? keliling user passwd admin",
        "Basis data siap.",
    ]


def test_the_installed_app_serves_templates_static_files_and_translations(
    probe: dict[str, Any],
) -> None:
    pages = probe["pages"]
    assert {url: status for url, (status, _) in pages.items()} == dict.fromkeys(PROBED_URLS, 200)
    login = pages["/login"][1]
    assert "Nama pengguna" in login and "Kata sandi" in login  # from the compiled .mo
