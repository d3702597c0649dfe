"""The `keliling` command as an administrator uses it, on a temporary database."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from web.cli import main

CODE_PATTERN = re.compile(r"32\.79\.0[1-4]\.[12]0[0-9][0-9]")


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret-key-0123456789")
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path))
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_commands_before_init_explain_what_to_do(run) -> None:  # type: ignore[no-untyped-def]
    result = run("villages")
    assert result.exit_code == 1
    assert "jalankan 'keliling init'" in result.output
    assert "Traceback" not in result.output


def test_demo_then_villages_json_lists_25_villages(run) -> None:  # type: ignore[no-untyped-def]
    demo = run("demo", "--password", "rahasia-demo", "--plan-seconds", "0")
    assert demo.exit_code == 0, demo.output
    for username in ("admin", "koordinator", "sopir", "staf"):
        assert f"{username} / rahasia-demo" in demo.output
    villages = json.loads(run("villages", "--format", "json").output)
    assert len(villages) == 25
    assert all(CODE_PATTERN.fullmatch(v["code"]) for v in villages)
    assert sum(v["population_estimate"] for v in villages) == 209_317


def test_demo_twice_keeps_data_and_logins(run) -> None:  # type: ignore[no-untyped-def]
    first = run("demo", "--plan-seconds", "1")
    password = re.search(r"koordinator / (\S+)", first.output)
    assert password is not None
    assert "Survei demo: Impor berhasil: 600 responden baru" in first.output
    assert "SINTETIS" in first.output
    second = run("demo", "--plan-seconds", "1")
    assert f"koordinator / {password.group(1)}" in second.output
    assert "Survei demo" not in second.output
    assert "Rencana #1 (draft)" in first.output and "Rencana #1 diterbitkan" in first.output
    assert "Rencana #" not in second.output
    assert "Titik layanan baru: 0; kendaraan baru: 0." in second.output


def test_villages_csv_has_a_header_and_25_rows(run) -> None:  # type: ignore[no-untyped-def]
    run("init")
    lines = run("villages", "--format", "csv").output.splitlines()
    assert lines[0].startswith("code,name,kind,kecamatan_code,kecamatan,population_2010")
    assert len(lines) == 26


def test_stops_import_and_listing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("demo", "--password", "rahasia-demo", "--plan-seconds", "0")
    good = tmp_path / "stops.csv"
    good.write_text(
        "name,village_code,kind,lat,lon,service_minutes\n"
        "SDN 2 Balokang,32.79.01.2003,sekolah,-7.3675,108.5068,60\n"
    )
    imported = run("stops", "import", str(good))
    assert imported.exit_code == 0
    assert "1 titik layanan baru, 0 diperbarui." in imported.output
    stops = json.loads(run("stops", "--format", "json").output)
    assert len(stops) == 26
    assert any(s["name"] == "SDN 2 Balokang" and not s["approximate"] for s in stops)
    assert run("stops", "--format", "csv").output.startswith("id,name,village_code,kind,lat")


def test_bad_stops_file_exits_non_zero_with_row_and_column(  # type: ignore[no-untyped-def]
    run, tmp_path: Path
) -> None:
    run("demo", "--password", "rahasia-demo", "--plan-seconds", "0")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,village_code,kind,lat,lon,service_minutes\n"
        "SD Baru,32.79.01.2003,sekolah,-7.3675,108.5068,60\n"
        "Pos Atlantis,Atlantis,sekolah,-7.3675,108.5068,60\n"
    )
    result = run("stops", "import", str(bad))
    assert result.exit_code == 1
    assert "baris 3, kolom village_code" in result.output
    assert "Traceback" not in result.output
    names = [s["name"] for s in json.loads(run("stops").output)]
    assert "SD Baru" not in names


def test_unreachable_database_is_one_sentence(  # type: ignore[no-untyped-def]
    run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = run("villages")
    assert result.exit_code == 1
    assert result.output.startswith("Galat: Basis data tidak dapat dipakai")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("SECRET_KEY", "changeme", "Galat: SECRET_KEY masih contoh"),
        ("KELILING_LOG_LEVEL", "LOUD", "Galat: LOG_LEVEL 'LOUD' tidak dikenal"),
        ("KELILING_INSTANCE_PATH", "/proc/keliling", "Galat: Berkas tidak dapat dibuat"),
    ],
)
def test_a_bad_setting_is_one_galat_line_in_every_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, setting: str, value: str, message: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'k.db'}")
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret-key-0123456789")
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path))
    if setting == "KELILING_INSTANCE_PATH":  # the SQLite file then lives in the instance folder
        monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setenv(setting, value)
    for command in (["villages"], ["stops"], ["user", "list"], ["plan", "validate", "1"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, (command, result.output)
        assert result.output.startswith(message), (command, result.output)
        assert "Traceback" not in result.output
