"""One vehicle kind per stop (`Problem.one_kind_per_stop`): the days are routed with every
kind the stop allows, then each stop keeps the kind that drove most of its visits (the nearer
depot on a tie) and its other visits are taken out, for the repair to place them again on
that kind. From there on the plan is improved as a problem where each stop has one kind; a
stop whose visits do not all fit on its kind moves, all its visits, to another kind where
more of them fit.

Choosing kinds before routing (a depot per customer fixed by distance, or chosen with the day
patterns by CP-SAT) measured worse on the multi-depot benchmarks (bench/RESULTS.md, issue 11).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from planner.routing.diagnostics import StopOptions
from planner.routing.problem import Problem, RoutePlan
from planner.routing.solver.repair import Clock, DayPlan, best_pattern, insert_on
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
    """The plan on the problem with one kind per stop: visits on another kind taken out.
    (Moving them onto the kept kind's routes the same days instead measured worse: those
    routes pass far away on those days, and the repair finds cheaper days.)"""
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


def switch_kinds(
    plan: DayPlan, options: Iterable[StopOptions], choices: dict[int, list[str]], clock: Clock
) -> set[int]:
    """Move each stop that is missing visits to the kind where most of them fit (fewest extra
    metres on a tie), if that places more than it has; the days touched."""
    touched: set[int] = set()
    options_of = {o.stop_index: o for o in options}
    served_by_stop = plan.served()
    for option in options_of.values():
        i = option.stop_index
        served = served_by_stop.get(i, set())
        if i not in choices or len(served) >= plan.problem.stops[i].visits:
            continue
        if clock.left() < clock.safety_s:
            break
        (current,) = plan.problem.stops[i].vehicle_kinds
        best: tuple[int, int, str, dict[int, RoutePlan]] | None = None
        before_problem, before_routes = plan.problem, dict(plan.routes)
        for kind in choices[i]:
            if kind == current:
                continue
            plan.problem = one_kind_each(before_problem, {i: kind})
            for day in served:
                plan.remove(i, day)
            found = best_pattern(plan, option, set())
            if found is not None:
                _pattern, inserted = found
                metres = sum(x.extra_m for x in inserted.values())
                if len(inserted) > len(served) and (
                    best is None or (len(inserted), -metres) > (best[0], -best[1])
                ):
                    best = (len(inserted), metres, kind, {d: x.route for d, x in inserted.items()})
            plan.problem, plan.routes = before_problem, dict(before_routes)
        if best is None:
            moved = _room_by_switching(plan, option, options_of, choices, clock)
        else:
            plan.problem = one_kind_each(before_problem, {i: best[2]})
            for day in served:
                plan.remove(i, day)
            plan.add(best[3].values())
            moved = served | set(best[3])
        if moved:
            touched |= moved
            served_by_stop = plan.served()
    return touched


def _room_by_switching(
    plan: DayPlan,
    option: StopOptions,
    options: dict[int, StopOptions],
    choices: dict[int, list[str]],
    clock: Clock,
) -> set[int]:
    """Complete a stop on its kind by moving another stop of that kind, on a day it misses,
    with all its visits to another kind; the days touched (empty if no such move helps)."""
    i, problem = option.stop_index, plan.problem
    served = plan.served()
    days = served.get(i, set())
    pattern = max(option.patterns, key=lambda p: len(days & set(p)), default=())
    (kind,) = problem.stops[i].vehicle_kinds
    missing = sorted(set(pattern) - days)
    if not days <= set(pattern) or not missing:
        return set()
    day = missing[0]
    others = [
        j
        for (vehicle_id, d) in plan.routes
        if d == day and plan.vehicles[vehicle_id].kind == kind
        for j in plan.sequence(vehicle_id, d)
        if j in choices and j in options and len(served[j]) >= problem.stops[j].visits
    ]
    for j in others:
        for other_kind in choices[j]:
            if other_kind == kind or clock.left() < clock.safety_s:
                continue
            before_problem, before_routes = plan.problem, dict(plan.routes)
            plan.problem = one_kind_each(before_problem, {j: other_kind})
            for d in served[j]:
                plan.remove(j, d)
            moved = best_pattern(plan, options[j], set())
            here = None
            if moved is not None and len(moved[1]) == problem.stops[j].visits:
                plan.add(x.route for x in moved[1].values())
                here = insert_on(plan, i, day)
            if here is not None and moved is not None:
                plan.add([here.route])
                return {day} | served[j] | set(moved[1])
            plan.problem, plan.routes = before_problem, before_routes
    return set()
