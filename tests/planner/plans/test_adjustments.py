"""A coordinator's changes to a draft (pin, remove, add) as the re-planned week shows them."""

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.core import weekday_key
from planner.plans import build_problem, store_plan
from planner.routing import Problem
from planner.store import Plan as PlanRow
from planner.store import Region, Route, Visit, session_scope
from tests.factories import solved_once

MONDAY = dt.date(2026, 11, 30)
QUICK_S = 3  # 1 s left a pinned visit unplaced on a busy machine
Slot = tuple[dt.date, int]  # a visit's day and vehicle


def _plan(session: Session, base_plan_id: int | None = None) -> tuple[int, Problem]:
    problem, context = build_problem(session, MONDAY, 1, base_plan_id=base_plan_id)
    row = store_plan(session, problem, solved_once(problem, QUICK_S), context, 1)
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


def _servable(problem: Problem, stop_id: int) -> list[Slot]:
    """Every day and vehicle on which this stop could be served."""
    stop = next(s for s in problem.stops if s.id == stop_id)
    return [
        (problem.date_of(day), vehicle.id)
        for day in problem.working_day_indexes()
        for vehicle in problem.vehicles
        if stop.windows_on(weekday_key(problem.date_of(day)))
        and vehicle.shift_on(weekday_key(problem.date_of(day))) is not None
        and vehicle.kind in stop.vehicle_kinds
    ]


def _pin_elsewhere(
    problem: Problem, slots: dict[int, list[Slot]], keep: int, taken: set[int]
) -> tuple[int, Slot]:
    """A stop visited once and a slot for it that keeps its day (keep=0) or vehicle (keep=1)."""
    for stop_id, found in sorted(slots.items()):
        if len(found) != 1 or stop_id in taken:
            continue
        now = found[0]
        for slot in _servable(problem, stop_id):
            if slot[keep] == now[keep] and slot != now:
                return stop_id, slot
    raise AssertionError("the demo week has no visit to move")


@pytest.fixture
def draft(engine: Engine, region: Region) -> tuple[int, Problem, dict[int, list[Slot]]]:
    """A one-week draft of the demo city: its id, problem and each stop's visits."""
    with session_scope(engine) as session:
        plan_id, problem = _plan(session)
        return plan_id, problem, _slots(session, plan_id)


def test_pinned_visits_move_to_their_day_and_vehicle(
    engine: Engine, draft: tuple[int, Problem, dict[int, list[Slot]]]
) -> None:
    plan_id, problem, before = draft
    # One visit moves to another vehicle on its day, another to another day on its vehicle:
    # a pin that forgot its date or its vehicle would leave one of them where it was.
    other_vehicle = _pin_elsewhere(problem, before, keep=0, taken=set())
    other_day = _pin_elsewhere(problem, before, keep=1, taken={other_vehicle[0]})
    pins = [
        {"stop_id": stop_id, "date": day.isoformat(), "vehicle_id": vehicle_id}
        for stop_id, (day, vehicle_id) in (other_vehicle, other_day)
    ]

    with session_scope(engine) as session:
        replanned, _ = _replan(session, plan_id, pins=pins)
        after = _slots(session, replanned)

    for stop_id, slot in (other_vehicle, other_day):
        assert before[stop_id] != [slot]
        assert after[stop_id] == [slot]


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
