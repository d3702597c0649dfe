"""The plan being built day by day, and its repair: a stop whose visits did not all fit moves
to the day pattern where most of them fit, inserted at the cheapest feasible places."""

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from planner.routing.diagnostics import StopOptions
from planner.routing.problem import Pin, Problem, RoutePlan
from planner.routing.timing import DayRoute, Insertion

SAFETY_S = 0.3  # kept back from the limit for assembling the plan (less for short limits)
SAFETY_SHARE = 0.05


@dataclass
class Clock:
    """The solve's deadline: its start plus the time limit."""

    started: float
    limit_s: float

    def left(self) -> float:
        """Seconds left before the time limit."""
        return self.started + self.limit_s - time.monotonic()

    @property
    def safety_s(self) -> float:
        """Time kept back for assembling the plan at the end."""
        return min(SAFETY_S, SAFETY_SHARE * self.limit_s)

    def elapsed(self) -> float:
        """Seconds since the solve started."""
        return time.monotonic() - self.started


@dataclass
class DayPlan:
    """Routes by (vehicle id, day) while the plan is assembled."""

    problem: Problem
    routes: dict[tuple[int, int], RoutePlan] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index_of = {s.id: i for i, s in enumerate(self.problem.stops)}
        self.vehicles = {v.id: v for v in self.problem.vehicles}

    def add(self, routes: Iterable[RoutePlan]) -> None:
        """Put routes in (replacing any of the same vehicle and day)."""
        for route in routes:
            self.routes[(route.vehicle_id, route.day_index)] = route

    def sequence(self, vehicle_id: int, day: int) -> list[int]:
        """Stop indexes of a vehicle's route on a day, in order."""
        route = self.routes.get((vehicle_id, day))
        return [] if route is None else [self.index_of[v.stop_id] for v in route.visits]

    def served(self) -> dict[int, set[int]]:
        """The days each stop (by index) is visited."""
        days: dict[int, set[int]] = {}
        for (_, day), route in self.routes.items():
            for visit in route.visits:
                days.setdefault(self.index_of[visit.stop_id], set()).add(day)
        return days

    def day_routes(self, day: int) -> dict[int, list[int]]:
        """Each vehicle's stops on a day."""
        return {v: self.sequence(v, d) for (v, d) in self.routes if d == day}

    def remove(self, stop_index: int, day: int) -> None:
        """Take a stop's visit out of a day, re-timing its route."""
        for (vehicle_id, d), _ in list(self.routes.items()):
            sequence = self.sequence(vehicle_id, d)
            if d != day or stop_index not in sequence:
                continue
            sequence.remove(stop_index)
            timed = DayRoute(self.problem, self.vehicles[vehicle_id], day).time(sequence)
            if timed is not None:
                self.routes[(vehicle_id, d)] = timed
            elif not sequence:
                del self.routes[(vehicle_id, d)]

    def visits(self) -> int:
        """Visits in the plan."""
        return sum(len(r.visits) for r in self.routes.values())

    def distance_m(self) -> int:
        """Metres driven in the plan."""
        return sum(r.distance_m for r in self.routes.values())


def insert_on(plan: DayPlan, stop_index: int, day: int) -> Insertion | None:
    """The cheapest feasible insertion of a stop's visit on a day, over every vehicle (the
    first vehicle on a tie)."""
    problem = plan.problem
    stop = problem.stops[stop_index]
    date = problem.date_of(day)
    pinned = {
        p.vehicle_id
        for p in stop.pins
        if p.vehicle_id is not None and (p.date is None or p.date == date)
    }
    node = stop_index + 1
    # Vehicles by the least extra metres any position in their route could cost: once that is
    # no less than the best insertion found, no later vehicle can beat it.
    candidates = []
    for order, vehicle in enumerate(problem.vehicles):
        if vehicle.kind not in stop.vehicle_kinds or (pinned and vehicle.id not in pinned):
            continue
        sequence = plan.sequence(vehicle.id, day)
        nodes = [0, *(i + 1 for i in sequence), 0]
        matrix = problem.travel[vehicle.kind].distance_m
        least = min(matrix[a][node] + matrix[node][b] - matrix[a][b] for a, b in pairwise(nodes))
        candidates.append((least, order, vehicle, sequence))
    candidates.sort(key=lambda c: (c[0], c[1]))
    best: tuple[int, int, Insertion] | None = None
    for least, order, vehicle, sequence in candidates:
        if best is not None and (least, order) >= best[:2]:
            break
        day_route = DayRoute(problem, vehicle, day)
        if day_route.shift is None:
            continue
        found = day_route.best_insertion(sequence, stop_index)
        if found is not None and (best is None or (found.extra_m, order) < best[:2]):
            best = (found.extra_m, order, found)
    return None if best is None else best[2]


def best_pattern(
    plan: DayPlan, option: StopOptions, served: set[int]
) -> tuple[tuple[int, ...], dict[int, Insertion]] | None:
    """The pattern where most of a stop's visits are (or can be inserted), fewest extra metres
    on a tie, with the insertions it needs; None if none places more than `served`."""
    best: tuple[int, int, tuple[int, ...], dict[int, Insertion]] | None = None
    problem, stop = plan.problem, plan.problem.stops[option.stop_index]
    insertions: dict[int, Insertion | None] = {}  # patterns share days: each is tried once
    for pattern in option.patterns:
        if not pins_hold(problem, stop.pins, pattern):
            continue
        inserted: dict[int, Insertion] = {}
        for day in pattern:
            if day not in served:
                if day not in insertions:
                    insertions[day] = insert_on(plan, option.stop_index, day)
                found = insertions[day]
                if found is not None:
                    inserted[day] = found
        placed = len(served & set(pattern)) + len(inserted)
        cost = sum(i.extra_m for i in inserted.values())
        if best is None or (placed, -cost) > (best[0], -best[1]):
            best = (placed, cost, pattern, inserted)
    if best is None or best[0] <= len(served):
        return None
    return best[2], best[3]


def published_days(plan: DayPlan) -> dict[int, set[int]]:
    """Per stop index, its days in the published plan."""
    days: dict[int, set[int]] = {}
    for visit in plan.problem.previous:
        index = plan.index_of.get(visit.stop_id)
        if index is not None:
            days.setdefault(index, set()).add((visit.date - plan.problem.start).days)
    return days


def pins_hold(problem: Problem, pins: Sequence[Pin], pattern: Sequence[int]) -> bool:
    """Whether a day pattern includes every date the stop is pinned to."""
    dates = {problem.date_of(d) for d in pattern}
    return all(p.date is None or p.date in dates for p in pins)


def repair(plan: DayPlan, options: Iterable[StopOptions], clock: Clock) -> set[int]:
    """Place left-out visits where they fit, highest demand first; the days touched."""
    problem = plan.problem
    touched: set[int] = set()
    ordered = sorted(options, key=lambda o: -problem.stops[o.stop_index].penalty)
    for option in ordered:
        stop = problem.stops[option.stop_index]
        served = plan.served().get(option.stop_index, set())
        if len(served) >= stop.visits:
            continue
        if clock.left() < clock.safety_s:
            break
        found = best_pattern(plan, option, served)
        if found is None:
            continue
        pattern, inserted = found
        for day in served - set(pattern):
            plan.remove(option.stop_index, day)
            touched.add(day)
        for day, insertion in inserted.items():
            plan.add([insertion.route])
            touched.add(day)
    return touched
