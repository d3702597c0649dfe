"""One vehicle kind per stop (`Problem.one_kind_per_stop`): the days are routed with every
kind the stop allows, then each stop keeps the kind that drove most of its visits (the nearer
depot on a tie) and its other visits are taken out, for the repair to place them again on
that kind. From there on the plan is improved as a problem where each stop has one kind.

Choosing kinds before routing (a depot per customer fixed by distance, or chosen with the day
patterns by CP-SAT) measured worse on the multi-depot benchmarks (bench/RESULTS.md, issue 11).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from planner.routing.diagnostics import StopOptions
from planner.routing.problem import Problem, RoutePlan
from planner.routing.solver.repair import DayPlan
from planner.routing.timing import DayRoute


def kind_choices(problem: Problem, options: Iterable[StopOptions]) -> dict[int, list[str]]:
    """The stops whose visits could be split between kinds: stop index -> its kinds, nearest
    depot first (empty unless the problem keeps each stop on one kind)."""
    if not problem.one_kind_per_stop:
        return {}
    fleet = {v.kind for v in problem.vehicles}
    found = {}
    for option in options:
        i = option.stop_index
        stop = problem.stops[i]
        kinds = sorted(
            stop.vehicle_kinds & fleet,
            key=lambda k: (problem.travel[k].distance_m[0][i + 1], k),
        )
        if stop.visits > 1 and len(kinds) > 1:
            found[i] = kinds
    return found


def kinds_in(
    problem: Problem, routes: Iterable[RoutePlan], choices: dict[int, list[str]]
) -> dict[int, str]:
    """Each choosing stop's kind: the one of most of its visits in `routes`, the nearest on a
    tie or when none is planned."""
    index_of = {s.id: i for i, s in enumerate(problem.stops)}
    kind_of = {v.id: v.kind for v in problem.vehicles}
    counts: dict[int, Counter[str]] = {i: Counter() for i in choices}
    for route in routes:
        for visit in route.visits:
            i = index_of[visit.stop_id]
            if i in counts:
                counts[i][kind_of[route.vehicle_id]] += 1
    return {
        i: max(kinds, key=lambda k: (counts[i][k], -kinds.index(k))) for i, kinds in choices.items()
    }


def one_kind_each(problem: Problem, kinds: dict[int, str]) -> Problem:
    """The problem with each stop of `kinds` held to its kind."""
    stops = tuple(
        replace(stop, vehicle_kinds=frozenset({kinds[i]})) if i in kinds else stop
        for i, stop in enumerate(problem.stops)
    )
    return replace(problem, stops=stops)


def unify(plan: DayPlan, choices: dict[int, list[str]]) -> DayPlan:
    """The plan on the problem with one kind per stop: visits on another kind taken out."""
    kinds = kinds_in(plan.problem, plan.routes.values(), choices)
    narrowed = DayPlan(one_kind_each(plan.problem, kinds))
    for vehicle_id, day in plan.routes:
        vehicle = narrowed.vehicles[vehicle_id]
        sequence = [
            i for i in plan.sequence(vehicle_id, day) if kinds.get(i, vehicle.kind) == vehicle.kind
        ]
        timed = DayRoute(narrowed.problem, vehicle, day).time(sequence)
        if timed is not None:
            narrowed.add([timed])
    return narrowed
