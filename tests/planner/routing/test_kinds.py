"""One vehicle kind per stop: every visit of a stop by the same kind, when the problem asks."""

from collections import defaultdict
from dataclasses import replace

import pytest

from planner.routing import Plan, Problem, SolveParams, check_problem, solve, validate
from planner.routing.solver import choose_method
from tests.factories import hours, line_matrix, problem_on_a_line, stop_spec, van


def _two_depots(one_kind: bool, count: int = 10) -> Problem:
    """Vans leave from 0, motorbikes from 9,000 m; ten stops between, each visited twice."""
    positions = [float(600 * i) for i in range(1, count + 1)]
    stops = [stop_spec(i + 1, visits=2, window=(8, 12)) for i in range(count)]
    fleet = [van(1, shift=(7.5, 11.5)), van(2, kind="motor", shift=(7.5, 11.5))]
    problem = problem_on_a_line(positions, stops, fleet, one_kind_per_stop=one_kind)
    travel = dict(problem.travel) | {"motor": line_matrix([9000.0, *positions], kind="motor")}
    return replace(problem, travel=travel)


def _kinds_of(problem: Problem, plan: Plan) -> dict[int, set[str]]:
    kind_of = {v.id: v.kind for v in problem.vehicles}
    kinds: dict[int, set[str]] = defaultdict(set)
    for route in plan.routes:
        for visit in route.visits:
            kinds[visit.stop_id].add(kind_of[route.vehicle_id])
    return kinds


@pytest.mark.parametrize("method", ["AUTO", "DAYS", "HYBRID"])
def test_each_stop_is_visited_by_one_kind_of_vehicle(method: str) -> None:
    problem = _two_depots(one_kind=True)
    plan = solve(problem, SolveParams(time_limit_s=2, method=method))
    assert validate(problem, plan) == []
    assert plan.visits_planned == 20
    kinds = _kinds_of(problem, plan)
    assert all(len(k) == 1 for k in kinds.values()), kinds
    # Both kinds are used: neither vehicle alone has the hours for every visit.
    assert {k for ks in kinds.values() for k in ks} == {"van", "motor"}


@pytest.mark.parametrize("method", ["AUTO", "DAYS", "HYBRID"])
def test_the_rule_holds_where_free_routing_would_change_kinds_between_days(method: str) -> None:
    # The van has a long Wednesday and a short Monday, the motorbike the other way round:
    # free to, each stop would take the motorbike on Monday and the van on Wednesday.
    positions = [float(600 * i) for i in range(1, 7)]
    stops = [stop_spec(i + 1, visits=2, patterns=(("mon", "wed"),)) for i in range(6)]
    long_day, short_day = hours(7.5, 15.5), hours(7.5, 9)
    fleet = [
        replace(van(1), shifts=(("mon", short_day), ("wed", long_day))),
        replace(van(2, kind="motor"), shifts=(("mon", long_day), ("wed", short_day))),
    ]
    free = problem_on_a_line(positions, stops, fleet)
    params = SolveParams(time_limit_s=2, method=method)
    free_plan = solve(free, params)
    assert any(len(k) > 1 for k in _kinds_of(free, free_plan).values())

    problem = replace(free, one_kind_per_stop=True)
    plan = solve(problem, params)
    assert validate(problem, plan) == []
    assert all(len(k) == 1 for k in _kinds_of(problem, plan).values())
    assert plan.visits_planned < free_plan.visits_planned
    assert {u.stop_id for u in plan.unserved}  # what no longer fits is reported, not dropped


def test_a_stop_visited_by_two_kinds_breaks_the_rule() -> None:
    fleet = [van(1), van(2, kind="motor")]  # same depot, same roads, same hours
    problem = problem_on_a_line([3000.0], [stop_spec(1, visits=2)], fleet, one_kind_per_stop=True)
    plan = solve(problem, SolveParams(time_limit_s=2))
    assert validate(problem, plan) == []
    first, second = sorted(plan.routes, key=lambda r: r.day_index)
    other = 2 if second.vehicle_id == 1 else 1
    moved = replace(plan, routes=(first, replace(second, vehicle_id=other)))
    assert [v.code for v in validate(problem, moved)] == ["kind"]
    assert validate(replace(problem, one_kind_per_stop=False), moved) == []


def test_a_problem_keeping_each_stop_on_one_kind_is_planned_day_by_day() -> None:
    # One model keeps each stop on the kind its first plan gave it; day by day, ruin and
    # recreate can move a stop and all its visits to the other kind. Free to change kinds,
    # a tiny problem (six linked visits) is one model, a larger one is day by day.
    cases = ((False, 3, "SINGLE"), (True, 3, "DAYS"), (False, 10, "DAYS"), (True, 10, "DAYS"))
    for one_kind, count, method in cases:
        problem = _two_depots(one_kind, count)
        _, options = check_problem(problem)
        assert choose_method(problem, options, SolveParams()) == method, (one_kind, count)
