"""`keliling plan` skips national holidays and the library's closed days, and --holiday days."""

import json
from pathlib import Path

from click.testing import CliRunner

from web.cli import main


def test_plan_skips_independence_day_and_the_days_given(tmp_path: Path) -> None:
    runner = CliRunner(
        env={
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
            "SECRET_KEY": "cli-test-secret-key-0123456789",
            "KELILING_INSTANCE_PATH": str(tmp_path),
        }
    )
    demo = runner.invoke(main, ["demo", "--password", "rahasia-demo", "--plan-seconds", "0"])
    assert demo.exit_code == 0, demo.output
    out = tmp_path / "plan.json"
    args = ["plan", "--start", "2027-08-16", "--time-limit", "1", "--holiday", "2027-08-20"]
    result = runner.invoke(main, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Libur, tanpa kunjungan: 2027-08-17 Hari Kemerdekaan Republik Indonesia" in result.output
    days = {route["date"] for route in json.loads(out.read_text())["routes"]}
    assert "2027-08-17" not in days and "2027-08-20" not in days
    assert {"2027-08-16", "2027-08-18", "2027-08-19", "2027-08-21"} <= days
