"""A coordinator's changes to a draft (pin, remove, add) as the re-planned week shows them."""

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.core import weekday_key
from planner.plans import build_problem, store_plan
from planner.routing import Problem, SolveParams, solve
from planner.store import Plan as PlanRow
from planner.store import Region, Route, Visit, session_scope

MONDAY = dt.date(2026, 11, 30)
QUICK = SolveParams(time_limit_s=1)
Slot = tuple[dt.date, int]  # a visit's day and vehicle


def _plan(session: Session, base_plan_id: int | None = None) -> tuple[int, Problem]:
    problem, context = build_problem(session, MONDAY, 1, base_plan_id=base_plan_id)
    row = store_plan(session, problem, solve(problem, QUICK), context, 1)
    assert row.id is not None
    return row.id, problem


def _slots(session: Session, plan_id: int) -> dict[int, list[Slot]]:
    """Each stop's visits in the plan as (date, vehicle)."""
    rows = session.exec(
        select(Visit.stop_id, Route.service_date, Route.vehicle_id)
        .join(Route, col(Visit.route_id) == col(Route.id))
        .where(Route.plan_id == plan_id)
    )
    slots: dict[int, list[Slot]] = {}
    for stop_id, day, vehicle_id in rows:
        slots.setdefault(stop_id, []).append((day, vehicle_id))
    return {stop_id: sorted(found) for stop_id, found in slots.items()}


def _replan(session: Session, plan_id: int, **adjustments: object) -> tuple[int, Problem]:
    row = session.get(PlanRow, plan_id)
    assert row is not None
    row.adjustments = adjustments
    session.add(row)
    session.flush()
    return _plan(session, base_plan_id=plan_id)


def _elsewhere(problem: Problem, stop_id: int, now: Slot) -> Slot:
    """A day and vehicle other than `now` on which this stop could be served."""
    stop = next(s for s in problem.stops if s.id == stop_id)
    slots = [
        (problem.date_of(day), vehicle.id)
        for day in problem.working_day_indexes()
        for vehicle in problem.vehicles
        if stop.windows_on(weekday_key(problem.date_of(day)))
        and vehicle.shift_on(weekday_key(problem.date_of(day))) is not None
        and vehicle.kind in stop.vehicle_kinds
    ]
    other_vehicle = [s for s in slots if s[0] != now[0] and s[1] != now[1]]
    return (other_vehicle or [s for s in slots if s[0] != now[0]])[0]


@pytest.fixture
def draft(engine: Engine, region: Region) -> tuple[int, Problem, dict[int, list[Slot]]]:
    """A one-week draft of the demo city: its id, problem and each stop's visits."""
    with session_scope(engine) as session:
        plan_id, problem = _plan(session)
        return plan_id, problem, _slots(session, plan_id)


def test_a_pinned_visit_moves_to_its_day_and_vehicle(
    engine: Engine, draft: tuple[int, Problem, dict[int, list[Slot]]]
) -> None:
    plan_id, problem, before = draft
    stop_id = next(s for s, found in sorted(before.items()) if len(found) == 1)
    day, vehicle_id = _elsewhere(problem, stop_id, before[stop_id][0])
    pin = {"stop_id": stop_id, "date": day.isoformat(), "vehicle_id": vehicle_id}

    with session_scope(engine) as session:
        replanned, _ = _replan(session, plan_id, pins=[pin])
        after = _slots(session, replanned)

    # Re-planning keeps the draft's days where it can, so only the pin moves this visit.
    assert before[stop_id] != [(day, vehicle_id)]
    assert after[stop_id] == [(day, vehicle_id)]


def test_removed_and_added_visits_change_what_is_planned(
    engine: Engine, draft: tuple[int, Problem, dict[int, list[Slot]]]
) -> None:
    plan_id, problem, before = draft
    once = [s for s, found in sorted(before.items()) if len(found) == 1]
    removed, added = once[0], once[1]

    with session_scope(engine) as session:
        replanned, asked = _replan(session, plan_id, removed=[removed], added=[added, added])
        after = _slots(session, replanned)

    wanted = {s.id: s.visits for s in asked.stops}
    assert (wanted[removed], wanted[added]) == (0, 3)
    assert removed not in after
    assert len(after[added]) == 3 and len({day for day, _ in after[added]}) == 3
    unchanged = Counter({s: len(f) for s, f in before.items() if s not in (removed, added)})
    assert Counter({s: len(f) for s, f in after.items() if s not in (removed, added)}) == unchanged
    assert {s.id: s.visits for s in problem.stops if s.id not in (removed, added)} == {
        s: n for s, n in wanted.items() if s not in (removed, added)
    }
