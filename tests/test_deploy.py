"""The samples in deploy/ name real entry points, real settings and the app's own limits."""

import configparser
import importlib
import re
import shlex
import tomllib
from pathlib import Path

import pytest

from web import create_app
from web.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
VENV_BIN = "/opt/keliling/venv/bin/"
ENV_FILE = "/etc/keliling/keliling.env"
BIND = "127.0.0.1:8000"
MIB = 1024 * 1024
# Read from the environment by name (web/__init__.py, planner/store/db.py), not by prefix.
PLAIN_SETTINGS_SOURCES = (ROOT / "web" / "__init__.py", ROOT / "planner" / "store" / "db.py")


def app_defaults() -> dict[str, object]:
    """The app's settings when nothing is configured (an in-memory database)."""
    app = create_app(
        {"SECRET_KEY": "test-secret-key-0123456789abcdef", "DATABASE_URL": "sqlite://"}
    )
    app.extensions["keliling.engine"].dispose()
    return dict(app.config)


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep key case
    parser.read(DEPLOY / name)
    return parser


def exec_starts(name: str) -> list[list[str]]:
    """Every ExecStart= line of a unit, split as systemd splits it ($$ and %% unescaped)."""
    lines = (DEPLOY / name).read_text().splitlines()
    commands = [line.split("=", 1)[1] for line in lines if line.startswith("ExecStart=")]
    return [shlex.split(c.replace("$$", "$").replace("%%", "%")) for c in commands]


def env_example() -> dict[str, str]:
    pairs = (
        line.split("=", 1)
        for line in (DEPLOY / "keliling.env.example").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    return {name: value for name, value in pairs}


@pytest.mark.parametrize(
    "name", ["keliling-web.service", "keliling-worker.service", "keliling-backup.service"]
)
def test_every_service_runs_as_keliling_with_the_env_file(name: str) -> None:
    service = unit(name)["Service"]
    assert service["User"] == service["Group"] == "keliling"
    assert service["EnvironmentFile"] == ENV_FILE
    assert exec_starts(name)[0][0].startswith(VENV_BIN)


def test_the_web_unit_starts_gunicorn_on_the_procfiles_app() -> None:
    [command] = exec_starts("keliling-web.service")
    assert command[0] == VENV_BIN + "gunicorn"
    assert command[command.index("--bind") + 1] == BIND
    app_spec = command[-1]
    procfile_web = shlex.split((ROOT / "Procfile").read_text().splitlines()[0].split(":", 1)[1])
    assert app_spec == procfile_web[-1] == "web:create_app()"
    module, _, call = app_spec.partition(":")
    factory = getattr(importlib.import_module(module), call.removesuffix("()"))
    assert factory is create_app


def test_the_worker_and_backup_units_call_real_keliling_commands() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["keliling"] == "web.cli:main"
    [worker] = exec_starts("keliling-worker.service")
    backup, archive, prune = exec_starts("keliling-backup.service")
    for command in (worker, backup):
        assert command[0] == VENV_BIN + "keliling"
        subcommand = main.commands[command[1]]
        subcommand.make_context(command[1], command[2:])  # the options parse
    assert backup[1:] == ["backup", "--output", "/var/backups/keliling/"]
    assert "keliling-instance-$(date +%Y%m%d-%H%M%S).tar.gz" in archive[-1]
    assert prune[0] == "/usr/bin/find"
    assert prune[-5:] == ["-name", "keliling-*", "-mtime", "+30", "-delete"]


def test_the_timer_starts_the_backup_daily() -> None:
    timer = unit("keliling-backup.timer")
    assert timer["Timer"]["OnCalendar"] == "*-*-* 02:30:00"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert unit("keliling-backup.service")["Service"]["Type"] == "oneshot"


def test_the_env_example_names_only_settings_the_app_reads() -> None:
    plain = "\n".join(path.read_text() for path in PLAIN_SETTINGS_SOURCES)
    defaults = app_defaults()
    for name in env_example():
        if f'"{name}"' in plain:
            continue
        assert name.startswith("KELILING_"), f"{name} is not read by the app"
        assert name.removeprefix("KELILING_") in defaults, f"{name} is not a setting of the app"


def test_the_env_example_starts_the_app_once_its_secret_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = env_example()
    assert settings["SECRET_KEY"] == "changeme"  # refused on purpose: it must be replaced
    with monkeypatch.context() as env:
        for name, value in settings.items():
            env.setenv(name, value)
        env.setenv("KELILING_INSTANCE_PATH", str(tmp_path))
        with pytest.raises(RuntimeError, match="placeholder"):
            create_app()
        env.setenv("SECRET_KEY", "0123456789abcdef" * 4)
        app = create_app()
    assert app.config["PROXY_FIX"] == 1
    assert app.config["SECURE_COOKIES"] is False
    assert app.extensions["keliling.engine"].url.drivername == "postgresql+psycopg"
    app.extensions["keliling.engine"].dispose()


def test_nginx_passes_the_proxy_headers_and_the_apps_upload_limit() -> None:
    site = (DEPLOY / "nginx-keliling.conf").read_text()
    assert f"proxy_pass http://{BIND};" in site
    for header in ("Host $host", "X-Forwarded-For $proxy_add_x_forwarded_for"):
        assert f"proxy_set_header {header};" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    limit = re.search(r"^\s*client_max_body_size (\d+)m;", site, re.MULTILINE)
    assert limit is not None
    assert int(limit.group(1)) * MIB == app_defaults()["MAX_CONTENT_LENGTH"]


def test_nginx_lets_the_road_extract_upload_through_with_time_to_check_it() -> None:
    from web.views.settings import DEFAULT_OSM_UPLOAD_MAX_MB

    site = (DEPLOY / "nginx-keliling.conf").read_text()
    block = site.split("location = /pengaturan/waktu-tempuh {", 1)[1].split("}", 1)[0]
    assert f"client_max_body_size {DEFAULT_OSM_UPLOAD_MAX_MB}m;" in block
    assert "proxy_read_timeout 600s;" in block
    web_unit = (DEPLOY / "keliling-web.service").read_text()
    assert "--timeout 600" in web_unit
