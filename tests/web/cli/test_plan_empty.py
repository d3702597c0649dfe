"""`keliling plan` never presents an empty plan as a plan, nor `plan validate` as valid."""

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlmodel import func, select

from planner.plans import build_problem, store_plan
from planner.routing import SolveParams, solve
from planner.store import Plan, make_engine, session_scope
from tests.factories import open_only_in_the_evening
from web.cli import main

SENTENCE = "Galat: Tidak ada rencana: tidak satu pun dari "


def _run(folder: Path, *args: str) -> Result:
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'cli.db'}",
        "SECRET_KEY": "cli-test-secret-key-0123456789",
        "KELILING_INSTANCE_PATH": str(folder),
    }
    return CliRunner(env=env).invoke(main, list(args))


def _plans(folder: Path) -> int:
    engine = make_engine(f"sqlite:///{folder / 'cli.db'}")
    try:
        with session_scope(engine) as session:
            return session.exec(select(func.count()).select_from(Plan)).one()
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def impossible(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database without a plan, every stop open only after the shifts."""
    folder = tmp_path_factory.mktemp("empty")
    result = _run(folder, "demo", "--password", "rahasia-demo", "--plan-seconds", "0")
    assert result.exit_code == 0, result.output
    engine = make_engine(f"sqlite:///{folder / 'cli.db'}")
    with session_scope(engine) as session:
        open_only_in_the_evening(session)
    engine.dispose()
    return folder


def test_plan_that_places_no_visit_is_one_sentence_and_stores_nothing(impossible: Path) -> None:
    result = _run(impossible, "plan", "--start", "2026-11-30", "--time-limit", "1")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Galat:")]
    assert len(errors) == 1 and errors[0].startswith(SENTENCE)
    assert "(alasan terbanyak, untuk " in errors[0] and "tidak terjangkau" in errors[0]
    assert "Rencana #" not in result.output
    assert _plans(impossible) == 0


def _store_empty_plan(folder: Path) -> int:
    """An empty plan as an earlier version stored it (the solver's answer, stored directly)."""
    engine = make_engine(f"sqlite:///{folder / 'cli.db'}")
    try:
        with session_scope(engine) as session:
            problem, context = build_problem(session, dt.date(2026, 11, 30), 1)
            plan = solve(problem, SolveParams(time_limit_s=1))
            assert plan.visits_planned == 0
            row = store_plan(session, problem, plan, context, 1)
            assert row.id is not None
            return row.id
    finally:
        engine.dispose()


def test_an_empty_plan_is_not_called_valid(impossible: Path) -> None:
    plan_id = _store_empty_plan(impossible)
    result = _run(impossible, "plan", "validate", str(plan_id))
    engine = make_engine(f"sqlite:///{impossible / 'cli.db'}")
    with session_scope(engine) as session:  # the other tests expect no plan
        session.delete(session.get(Plan, plan_id))
    engine.dispose()
    assert result.exit_code == 1
    assert "Rencana valid" not in result.output
    assert result.output.startswith("Galat: Rencana kosong: tidak satu pun dari ")
    assert "kunjungan yang dibutuhkan terjadwal." in result.output


def test_the_demo_says_so_and_still_sets_up_the_logins(impossible: Path) -> None:
    result = _run(impossible, "demo", "--plan-seconds", "1")
    assert result.exit_code == 0, result.output
    assert SENTENCE in result.output and "koordinator / rahasia-demo" in result.output
    assert _plans(impossible) == 0
