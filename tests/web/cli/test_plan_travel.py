"""`keliling plan` takes its travel times from the region's setting unless told otherwise."""

import io
import json
from pathlib import Path

from click.testing import CliRunner

from planner.plans import install_osm_extract
from planner.store import make_engine, session_scope
from tests.planner.plans.osm_helpers import keep_few_stops, region_extract
from web.cli import main


def test_plan_uses_the_uploaded_extract_unless_a_provider_is_named(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "SECRET_KEY": "cli-test-secret-key-0123456789",
        "KELILING_INSTANCE_PATH": str(tmp_path),
    }
    runner = CliRunner(env=env)
    demo = runner.invoke(main, ["demo", "--password", "rahasia-demo", "--plan-seconds", "0"])
    assert demo.exit_code == 0, demo.output
    engine = make_engine(env["DATABASE_URL"])
    keep_few_stops(engine)
    data = region_extract(engine, tmp_path / "kota.osm").read_bytes()
    with session_scope(engine) as session:  # what the Waktu tempuh page does on upload
        install_osm_extract(session, tmp_path, io.BytesIO(data), "kota.osm")
    engine.dispose()

    args = ["plan", "--start", "2026-11-30", "--time-limit", "2", "--out"]
    by_setting = runner.invoke(main, [*args, str(tmp_path / "a.json")])
    assert by_setting.exit_code == 0, by_setting.output
    assert "Waktu tempuh: Jaringan jalan OpenStreetMap" in by_setting.output
    assert json.loads((tmp_path / "a.json").read_text())["provider"] == "osm"

    named = runner.invoke(main, [*args, str(tmp_path / "b.json"), "--provider", "estimate"])
    assert named.exit_code == 0, named.output
    assert json.loads((tmp_path / "b.json").read_text())["provider"] == "estimate"
