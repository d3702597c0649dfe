"""One working day as its own small VRPTW: the day's stops, the vehicles working that day.

A day problem is a one-week Problem whose only working day is the day's weekday, with each
stop visited once; its routes come back shifted onto the full horizon. Day problems share
nothing, so they can be solved in any order, in parallel or on other workers.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from planner.core import weekday_key
from planner.routing.problem import (
    SECONDS_PER_DAY,
    Pin,
    PlannedBreak,
    PlannedVisit,
    PreviousVisit,
    Problem,
    RoutePlan,
    SolveParams,
)
from planner.travel import TravelMatrix

# A day's routing converges in about this many seconds times its stops squared (at least
# MIN_DAY_S): a small day is not searched for longer, and the time goes to moving stops
# between days instead (bench/RESULTS.md, "Tenth pass").
DAY_S_PER_STOP_SQUARED = 0.001
MIN_DAY_S = 0.05  # a day always gets this much: enough for its first solution


def day_limit(stops: int, limit_s: float) -> float:
    """The time a day of `stops` stops is routed for, out of `limit_s` given."""
    return min(limit_s, max(MIN_DAY_S, DAY_S_PER_STOP_SQUARED * stops * stops))


@dataclass(frozen=True)
class DayJob:
    """The stops (indexes into the full problem) to route on one day, and the days that reuse
    the same routes (a repeating week: same weekday, same stops, nothing date-specific); the
    stops in `stuck` weigh `stuck_weight` times their penalty when left out."""

    day: int
    stop_indexes: tuple[int, ...]
    copies_to: tuple[int, ...] = ()
    stuck: frozenset[int] = frozenset()
    stuck_weight: int = 1


@dataclass(frozen=True)
class DayResult:
    """A day's routes on the full horizon, and the stops (full indexes) it could not place."""

    day: int
    routes: tuple[RoutePlan, ...]
    dropped: tuple[int, ...]


def _sub_matrix(matrix: TravelMatrix, nodes: Sequence[int]) -> TravelMatrix:
    return replace(
        matrix,
        distance_m=tuple(tuple(matrix.distance_m[a][b] for b in nodes) for a in nodes),
        duration_s=tuple(tuple(matrix.duration_s[a][b] for b in nodes) for a in nodes),
    )


def _day_pins(problem: Problem, day: int, pins: Sequence[Pin]) -> tuple[Pin, ...]:
    """Pins that hold on this day: to a vehicle working it, or to this very date."""
    date = problem.date_of(day)
    working = {v.id for v in problem.vehicles if v.shift_on(weekday_key(date)) is not None}
    return tuple(
        Pin(vehicle_id=p.vehicle_id)
        for p in pins
        if (p.date is None or p.date == date)
        and (p.vehicle_id is None or p.vehicle_id in working)
        and not (p.date is None and p.vehicle_id is None)
    )


def date_specific(problem: Problem, day: int, stop_indexes: Sequence[int]) -> tuple[object, ...]:
    """What makes a day differ from the same weekday in another week (pins, previous plan)."""
    date = problem.date_of(day)
    ids = {problem.stops[i].id for i in stop_indexes}
    pins = tuple(
        (problem.stops[i].id, p.vehicle_id)
        for i in stop_indexes
        for p in problem.stops[i].pins
        if p.date == date
    )
    kept = tuple(
        sorted(
            (v.stop_id, v.vehicle_id, v.position)
            for v in problem.previous
            if v.date == date and v.stop_id in ids
        )
    )
    return pins + kept


def day_problem(
    problem: Problem,
    day: int,
    stop_indexes: Sequence[int],
    weights: Mapping[int, int] | None = None,
) -> Problem:
    """The day as a problem of its own, stops in the order given (`weights`: a multiple of
    some stops' penalty)."""
    date = problem.date_of(day)
    weekday = weekday_key(date)
    weights = weights or {}
    stops = tuple(
        replace(
            problem.stops[i],
            visits=1,
            patterns=(),
            pins=_day_pins(problem, day, problem.stops[i].pins),
            penalty=problem.stops[i].penalty * weights.get(i, 1),
        )
        for i in stop_indexes
    )
    nodes = [0, *(i + 1 for i in stop_indexes)]
    ids = {s.id for s in stops}
    return Problem(
        start=date,
        weeks=1,
        working_days=(weekday,),
        depot=problem.depot,
        vehicles=tuple(v for v in problem.vehicles if v.shift_on(weekday) is not None),
        stops=stops,
        travel={kind: _sub_matrix(m, nodes) for kind, m in problem.travel.items()},
        previous=tuple(
            PreviousVisit(v.stop_id, date, v.vehicle_id, v.position)
            for v in problem.previous
            if v.date == date and v.stop_id in ids
        ),
    )


def shift_route(route: RoutePlan, day: int) -> RoutePlan:
    """A route of day 0 of a day problem, moved onto day `day` of the full horizon."""
    offset = (day - route.day_index) * SECONDS_PER_DAY

    def move(visit: PlannedVisit) -> PlannedVisit:
        return replace(
            visit,
            arrival_s=visit.arrival_s + offset,
            start_s=visit.start_s + offset,
            departure_s=visit.departure_s + offset,
        )

    def move_break(b: PlannedBreak) -> PlannedBreak:
        return replace(b, start_s=b.start_s + offset, end_s=b.end_s + offset)

    return replace(
        route,
        day_index=day,
        start_s=route.start_s + offset,
        end_s=route.end_s + offset,
        visits=tuple(move(v) for v in route.visits),
        breaks=tuple(move_break(b) for b in route.breaks),
    )


SolveDay = Callable[[Problem, SolveParams, list[list[int]] | None], tuple[RoutePlan, ...]]
Initial = Mapping[int, Sequence[int]]  # vehicle id -> its stops (full indexes), in order


def solve_day(
    problem: Problem,
    job: DayJob,
    params: SolveParams,
    solve_one: SolveDay,
    initial: Initial | None = None,
) -> DayResult:
    """Route one day (`initial`: a first solution to improve on)."""
    sub = day_problem(
        problem, job.day, job.stop_indexes, dict.fromkeys(job.stuck, job.stuck_weight)
    )
    position = {full: local for local, full in enumerate(job.stop_indexes)}
    first = None
    if initial is not None:
        first = [
            [position[i] for i in initial.get(v.id, ()) if i in position] for v in sub.vehicles
        ]
    limit = day_limit(len(job.stop_indexes), params.time_limit_s)
    routes = solve_one(sub, replace(params, time_limit_s=limit), first)
    placed = {v.stop_id for r in routes for v in r.visits}
    dropped = tuple(i for i in job.stop_indexes if problem.stops[i].id not in placed)
    return DayResult(job.day, tuple(shift_route(r, job.day) for r in routes), dropped)
