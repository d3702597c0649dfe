"""`keliling plan`, `plan validate` and `plan export` as a coordinator runs them."""

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from web.cli import main


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    folder = tmp_path_factory.mktemp("plan")
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'cli.db'}",
        "SECRET_KEY": "cli-test-secret-key-0123456789",
        "KELILING_INSTANCE_PATH": str(folder),
    }
    runner = CliRunner(env=env)
    assert (
        runner.invoke(main, ["demo", "--password", "rahasia-demo", "--plan-seconds", "0"]).exit_code
        == 0
    )
    out = folder / "plan.json"
    result = runner.invoke(
        main,
        ["plan", "--start", "2026-11-30", "--weeks", "1", "--time-limit", "3", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "Rencana #1 (draft) mulai 2026-11-30" in result.output
    return folder, json.loads(out.read_text())


def _run(folder: Path, *args: str) -> Result:
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'cli.db'}",
        "SECRET_KEY": "cli-test-secret-key-0123456789",
        "KELILING_INSTANCE_PATH": str(folder),
    }
    return CliRunner(env=env).invoke(main, list(args), catch_exceptions=False)


def test_plan_json_has_the_documented_shape(planned) -> None:  # type: ignore[no-untyped-def]
    _, data = planned
    assert {"id", "start", "weeks", "provider", "metrics", "routes", "unserved"} <= set(data)
    assert data["id"] == 1 and data["start"] == "2026-11-30" and data["provider"] == "estimate"
    metrics = data["metrics"]
    for key in ("total_distance_km", "driving_minutes", "visits_planned", "visits_required",
                "expected_attendance_served", "solve_seconds", "objective"):  # fmt: skip
        assert key in metrics
    assert metrics["visits_planned"] >= 0.9 * metrics["visits_required"]
    visit = data["routes"][0]["visits"][0]
    for key in ("stop_id", "stop_name", "village_code", "lat", "lon", "arrival", "start",
                "departure", "distance_m"):  # fmt: skip
        assert key in visit
    assert visit["arrival"].startswith("2026-1") and visit["arrival"].endswith("+07:00")
    assert all(r["date"] < "2026-12-06" for r in data["routes"])  # Monday to Saturday


def test_plan_validates_from_file_and_from_id(planned) -> None:  # type: ignore[no-untyped-def]
    folder, _ = planned
    for ref in (str(folder / "plan.json"), "1"):
        result = _run(folder, "plan", "validate", ref)
        assert result.exit_code == 0 and "Rencana valid" in result.output


def test_a_tampered_plan_fails_validation(planned) -> None:  # type: ignore[no-untyped-def]
    folder, data = planned
    broken = json.loads(json.dumps(data))
    visit = broken["routes"][0]["visits"][0]
    late = dt.datetime.fromisoformat(visit["start"]) + dt.timedelta(hours=10)
    visit["start"] = late.isoformat()  # service in the evening, outside every window
    bad = folder / "broken.json"
    bad.write_text(json.dumps(broken))
    result = _run(folder, "plan", "validate", str(bad))
    assert result.exit_code == 1
    assert "[window]" in result.output and "Rencana tidak valid" in result.output


def test_unreadable_plan_file_is_one_clear_error(planned) -> None:  # type: ignore[no-untyped-def]
    folder, _ = planned
    junk = folder / "junk.json"
    junk.write_text("{not json")
    result = _run(folder, "plan", "validate", str(junk))
    assert result.exit_code == 1 and result.output.startswith("Galat:")
    missing = _run(folder, "plan", "export", "999", "--format", "csv")
    assert missing.exit_code == 1 and "Rencana #999 tidak ada" in missing.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "gpx", "ics", "geojson"])
def test_exports_are_written(planned, fmt: str) -> None:  # type: ignore[no-untyped-def]
    folder, data = planned
    out = folder / f"rencana.{fmt}"
    result = _run(folder, "plan", "export", "1", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0 and out.stat().st_size > 100
    visits = sum(len(r["visits"]) for r in data["routes"])
    if fmt == "csv":
        assert out.read_text().count("terjadwal") == visits
    if fmt == "ics":
        assert out.read_text().count("BEGIN:VEVENT") == visits


def test_publish_prints_driver_links_on_the_configured_site(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'publish.db'}",
        "SECRET_KEY": "cli-test-secret-key-0123456789",
        "KELILING_INSTANCE_PATH": str(tmp_path),
        "KELILING_BASE_URL": "https://keliling.example.go.id",
    }
    runner = CliRunner(env=env)
    demo = ["demo", "--password", "rahasia-demo", "--plan-seconds", "0"]
    assert runner.invoke(main, demo).exit_code == 0
    for number in (1, 2):
        out = str(tmp_path / f"plan{number}.json")
        plan = ["plan", "--start", "2026-11-30", "--time-limit", "1", "--out", out]
        assert runner.invoke(main, plan).exit_code == 0
    configured = runner.invoke(main, ["plan", "publish", "1"])
    assert configured.exit_code == 0, configured.output
    links = [line.split()[-1] for line in configured.output.splitlines() if "/sopir/" in line]
    assert links and all(link.startswith("https://keliling.example.go.id/sopir/") for link in links)
    chosen = runner.invoke(main, ["plan", "publish", "2", "--base-url", "http://10.0.0.5:8000/"])
    assert chosen.exit_code == 0, chosen.output
    assert "http://10.0.0.5:8000/sopir/" in chosen.output and "example.go.id" not in chosen.output
