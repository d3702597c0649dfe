"""Shared fixtures: databases (SQLite always, PostgreSQL when reachable), the app, logins."""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from geodata import load_region
from planner.store import (
    Region,
    install_default_stops,
    install_default_vehicles,
    install_region,
    make_engine,
    migrate,
    normalise_url,
    session_scope,
)

# Under pytest-xdist each worker uses its own Redis database (15, 14, ...): queues, rate-limit
# counters and job keys of one worker never meet another's.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
os.environ.setdefault(
    "KELILING_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - int(_WORKER.removeprefix('gw'))}"
)
POSTGRES_URL = os.environ.get(
    "KELILING_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
# In CI a missing PostgreSQL server or browser is a failure, not a skip.
REQUIRE_SERVICES = os.environ.get("KELILING_REQUIRE_SERVICES") == "1"
DEMO_PASSWORD = "kata-sandi-uji"
ROLES = ("admin", "koordinator", "sopir", "staf")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` starts at least four workers: much of the suite waits (on the browser, on
    background jobs, on gunicorn and Redis), so two cores keep four workers busy (on a
    two-core machine the suite takes 320 s instead of 385 s). At most eight: each worker has
    its own Redis database, and Redis has sixteen."""
    return max(4, min(os.cpu_count() or 1, 8))


def unavailable(reason: str) -> None:
    """Skip the test, or fail it when KELILING_REQUIRE_SERVICES=1 (as in CI)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (KELILING_REQUIRE_SERVICES=1 turns this skip into a failure)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """The URL of a reachable PostgreSQL server's `test` database, or skip/fail."""
    engine = create_engine(normalise_url(POSTGRES_URL))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any connection failure means "not available"
        unavailable(f"PostgreSQL not reachable at {POSTGRES_URL}: {error}")
    finally:
        engine.dispose()
    return POSTGRES_URL


@pytest.fixture(scope="session")
def postgres_database(postgres_admin_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session, dropped at the end."""
    name = f"keliling_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(postgres_admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = postgres_admin_url.rpartition("/")
    yield f"{base}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_engine(postgres_database: str) -> Iterator[Engine]:
    """A migrated PostgreSQL engine shared by the session (tables emptied per test)."""
    engine = make_engine(postgres_database)
    migrate(engine)
    yield engine
    engine.dispose()


def _truncate(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite file at the newest migration, made once per session and copied by each
    test that needs one (running every migration takes about 0.3 s)."""
    path = tmp_path_factory.mktemp("migrated") / "keliling.db"
    template = make_engine(f"sqlite:///{path}")
    migrate(template)
    template.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database: a SQLite file, then PostgreSQL."""
    if request.param == "postgresql":
        pg_engine: Engine = request.getfixturevalue("postgres_engine")
        _truncate(pg_engine)
        yield pg_engine
        return
    database = tmp_path / "keliling.db"
    shutil.copyfile(request.getfixturevalue("migrated_sqlite"), database)
    sqlite_engine = make_engine(f"sqlite:///{database}")
    yield sqlite_engine
    sqlite_engine.dispose()


@pytest.fixture
def region(engine: Engine) -> Region:
    """Kota Banjar installed with its default stops and demo vehicles."""
    pack = load_region("kota_banjar")
    with session_scope(engine) as session:
        installed, _ = install_region(session, pack)
        install_default_stops(session, installed, pack)
        install_default_vehicles(session, installed)
    return installed


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A plain session on the test database."""
    with Session(engine, expire_on_commit=False) as db_session:
        yield db_session


@pytest.fixture(scope="session")
def app_database_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding Kota Banjar, default stops, vehicles and one user per role.

    Built once per session; each test gets its own copy.
    """
    from planner.store import create_user

    path = tmp_path_factory.mktemp("template") / "app.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    pack = load_region("kota_banjar")
    with session_scope(engine) as db_session:
        installed, _ = install_region(db_session, pack)
        install_default_stops(db_session, installed, pack)
        install_default_vehicles(db_session, installed)
        for role in ROLES:
            create_user(db_session, role, DEMO_PASSWORD, role, f"Pengguna {role}")
    engine.dispose()
    return path


@pytest.fixture
def app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app_database_template: Path
) -> Iterator[Flask]:
    """The app on its own copy of the demo database."""
    from web import create_app

    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path / "instance"))
    database = tmp_path / "app.db"
    shutil.copyfile(app_database_template, database)
    flask_app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": f"sqlite:///{database}",
            "SECRET_KEY": "test-secret-key-0123456789abcdef",
        }
    )
    yield flask_app
    flask_app.extensions["keliling.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class AuthActions:
    """Log in and out through the real login form."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str = "koordinator", password: str = DEMO_PASSWORD) -> object:
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self) -> object:
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
