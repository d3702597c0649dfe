"""From the database to a plan and back, on SQLite and PostgreSQL."""

import datetime as dt
import json

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from planner.plans import build_problem, plan_from_json, plan_json, previous_visits, store_plan
from planner.routing import SolveParams, solve, validate
from planner.store import Plan as PlanRow
from planner.store import Region, Route, Stop, Visit, session_scope
from tests.factories import solved_once

MONDAY = dt.date(2026, 11, 30)


@pytest.fixture
def stored(engine: Engine, region: Region) -> tuple[Engine, int]:
    with session_scope(engine) as session:
        problem, context = build_problem(session, MONDAY, 1)
        plan = solve(problem, SolveParams(time_limit_s=2))
        row = store_plan(session, problem, plan, context, 2)
        assert row.id is not None
        return engine, row.id


def test_problem_from_the_demo_database(engine: Engine, region: Region) -> None:
    with Session(engine) as session:
        problem, _ = build_problem(session, MONDAY, 1)
    assert len(problem.stops) == 25 and {v.kind for v in problem.vehicles} == {"van", "motor"}
    assert sum(s.visits for s in problem.stops) >= 25  # every village at least once a week
    assert problem.provider == "estimate" and "Perkiraan" in problem.provider_label
    friday = dict(problem.vehicles[0].shifts)["fri"]
    assert (friday.start_s, friday.end_s) == (7.5 * 3600, 15.5 * 3600)
    assert [b.name for b in problem.vehicles[0].breaks_on("fri")] == ["Istirahat salat Jumat"]


def test_stored_plan_round_trips_as_json(stored: tuple[Engine, int]) -> None:
    engine, plan_id = stored
    with Session(engine) as session:
        data = plan_json(session, plan_id)
        problem, _ = build_problem(session, MONDAY, 1)
    json.dumps(data)  # serialisable
    assert data["id"] == plan_id and data["status"] == "draft" and data["provider"] == "estimate"
    metrics = data["metrics"]
    assert metrics["visits_planned"] + metrics["visits_unserved"] == metrics["visits_required"]
    first = data["routes"][0]["visits"][0]
    assert first["arrival"].endswith("+07:00") and first["village_code"].startswith("32.79.")
    assert dt.datetime.fromisoformat(first["start"]) >= dt.datetime.fromisoformat(first["arrival"])
    assert validate(problem, plan_from_json(data, problem)) == []


def test_publishing_then_replanning_uses_the_published_days(stored: tuple[Engine, int]) -> None:
    engine, plan_id = stored
    with session_scope(engine) as session:
        row = session.get(PlanRow, plan_id)
        assert row is not None
        row.status = "published"
        session.add(row)
    with Session(engine) as session:
        moved = previous_visits(session, MONDAY + dt.timedelta(days=7), 1)
        stored_visits = session.exec(select(func.count()).select_from(Visit)).one()
    assert len(moved) == stored_visits
    assert all(p.date.weekday() < 6 and p.date >= MONDAY + dt.timedelta(days=7) for p in moved)


def test_a_draft_never_touches_the_published_plan(stored: tuple[Engine, int]) -> None:
    engine, plan_id = stored
    with session_scope(engine) as session:
        published = session.get(PlanRow, plan_id)
        assert published is not None
        published.status = "published"
        session.add(published)
    with session_scope(engine) as session:
        problem, context = build_problem(session, MONDAY, 1)
        store_plan(session, problem, solved_once(problem), context, 1)
    with Session(engine) as session:
        statuses = sorted(p.status for p in session.exec(select(PlanRow)))
        routes = session.exec(
            select(func.count()).select_from(Route).where(Route.plan_id == plan_id)
        ).one()
    assert statuses == ["draft", "published"] and routes > 0


def test_visits_override_and_inactive_stops(engine: Engine, region: Region) -> None:
    with session_scope(engine) as session:
        stops = session.exec(select(Stop).order_by(Stop.id)).all()
        stops[0].visits_override = 3
        stops[1].active = False
        session.add_all(stops[:2])
    with Session(engine) as session:
        problem, _ = build_problem(session, MONDAY, 1)
    assert len(problem.stops) == 24
    assert problem.stops[0].visits == 3
