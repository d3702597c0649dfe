"""Choosing each stop's day pattern with CP-SAT, before the days are routed one by one.

Each stop takes one of its allowed day patterns or none (its visits are then left out, lowest
demand first). The days' estimated work (service plus a share of travel) must fit the shifts of
the vehicles working that day, per vehicle kind and per stretch of the day the stops' windows
allow (a morning-only school cannot use the afternoon). Among the patterns that fit, neighbours
on the same day are rewarded, so each day covers a compact part of the region, and a stop keeps
the days of the published plan when re-planning. When CP-SAT finds no solution in its time (a
short limit on a busy machine), the stops are spread over the days greedily instead.
"""

import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.core import weekday_key
from planner.routing.diagnostics import StopOptions
from planner.routing.problem import Problem, VehicleSpec, Window
from planner.routing.solver.repair import pins_hold

MAX_PATTERNS_PER_STOP = 48
NEIGHBOURS = 5
TRAVEL_SHARE = 1.2  # a visit's travel: this share of the mean time to its nearest neighbours
FILL = 0.95  # share of a shift's working time the estimate may fill
PINNED_WEIGHT = 1000


@dataclass(frozen=True)
class Assignment:
    """The chosen day pattern of every plannable stop (None: left out) and whether CP-SAT
    proved it optimal for its estimate."""

    patterns: dict[int, tuple[int, ...] | None]
    optimal: bool


def _subsample(patterns: Sequence[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """At most MAX_PATTERNS_PER_STOP patterns, spread over the list."""
    if len(patterns) <= MAX_PATTERNS_PER_STOP:
        return list(patterns)
    step = len(patterns) / MAX_PATTERNS_PER_STOP
    return sorted({patterns[int(i * step)] for i in range(MAX_PATTERNS_PER_STOP)})


class _Estimate:
    """Per-visit work in seconds and per vehicle-day working time, from the travel matrices."""

    def __init__(self, problem: Problem, options: Sequence[StopOptions]) -> None:
        self.problem = problem
        kind = problem.vehicles[0].kind
        self.duration = problem.travel[kind].duration_s
        self.distance = problem.travel[kind].distance_m
        indexes = [o.stop_index for o in options]
        self.neighbours: dict[int, list[int]] = {}
        self.work: dict[int, int] = {}
        stops = problem.stops
        for i in indexes:
            # Neighbours that one vehicle can serve together (with depots or kinds per stop,
            # two close stops of different vehicles gain nothing from sharing a day).
            near = sorted(
                (self.distance[i + 1][j + 1], j)
                for j in indexes
                if j != i and stops[i].vehicle_kinds & stops[j].vehicle_kinds
            )
            self.neighbours[i] = [j for _, j in near[:NEIGHBOURS]]
            close = [self.duration[i + 1][j + 1] for _, j in near[:2]] or [self.duration[0][i + 1]]
            travel = TRAVEL_SHARE * sum(close) / len(close)
            self.work[i] = problem.stops[i].service_s + int(travel)

    def vehicle_time(self, vehicle: VehicleSpec, day: int, span: Window | None) -> int:
        """Working seconds of a vehicle on a day inside `span` (the whole shift if None)."""
        weekday = weekday_key(self.problem.date_of(day))
        shift = vehicle.shift_on(weekday)
        if shift is None:
            return 0
        lo, hi = shift.start_s, shift.end_s
        if span is not None:
            lo, hi = max(lo, span.start_s), min(hi, span.end_s)
        if hi <= lo:
            return 0
        breaks = sum(
            max(0, min(hi, b.window.end_s) - max(lo, b.window.start_s))
            for b in vehicle.breaks_on(weekday)
        )
        depot = 2 * sum(self.duration[0][1:]) // max(1, len(self.duration) - 1)
        return int(FILL * (hi - lo - breaks - (depot if span is None else 0)))


def _hull(problem: Problem, stop_index: int, day: int) -> Window | None:
    windows = problem.stops[stop_index].windows_on(weekday_key(problem.date_of(day)))
    if not windows:
        return None
    return Window(min(w.start_s for w in windows), max(w.end_s for w in windows))


class _Builder:
    def __init__(self, problem: Problem, options: Sequence[StopOptions]) -> None:
        self.problem, self.options = problem, options
        self.estimate = _Estimate(problem, options)
        self.model = cp_model.CpModel()
        self.x: dict[int, list[tuple[tuple[int, ...], cp_model.IntVar]]] = {}
        self.on_day: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        self.objective: list[cp_model.LinearExprT] = []
        self.days: dict[int, set[int]] = {}

    def choices(self, previous: dict[int, set[int]], bonus: int) -> None:
        for option in self.options:
            stop = self.problem.stops[option.stop_index]
            kept = previous.get(stop.id, set())
            holding = [p for p in option.patterns if pins_hold(self.problem, stop.pins, p)]
            patterns = _subsample(holding or list(option.patterns))
            # A pin is a promise: a pinned stop outweighs any number of other visits.
            weight = PINNED_WEIGHT if stop.pins and holding else 1
            chosen = []
            for pattern in patterns:
                var = self.model.new_bool_var("")
                chosen.append((pattern, var))
                for day in pattern:
                    self.on_day.setdefault((option.stop_index, day), []).append(var)
                    self.days.setdefault(option.stop_index, set()).add(day)
                value = weight * len(pattern) * stop.penalty + bonus * len(kept & set(pattern))
                self.objective.append(value * var)
            self.model.add_at_most_one(var for _, var in chosen)
            self.x[option.stop_index] = chosen
            self._hint(chosen, kept)

    def _hint(self, chosen: list[tuple[tuple[int, ...], cp_model.IntVar]], kept: set[int]) -> None:
        """Start the search from the published days, when re-planning."""
        if not kept or not chosen:
            return
        best = max(chosen, key=lambda c: len(kept & set(c[0])))
        for pattern, var in chosen:
            self.model.add_hint(var, pattern == best[0] and bool(kept & set(pattern)))

    def _present(self, stop_index: int, day: int) -> cp_model.LinearExprT:
        return sum(self.on_day.get((stop_index, day), []))

    def capacities(self) -> None:
        days = sorted({d for (_, d) in self.on_day})
        for day in days:
            here = [i for i in self.x if (i, day) in self.on_day]
            self._kinds(day, here)
            self._spans(day, here)

    def _load(self, stops: Sequence[int], day: int) -> cp_model.LinearExprT:
        return sum(self.estimate.work[i] * self._present(i, day) for i in stops)

    def _kinds(self, day: int, here: list[int]) -> None:
        vehicles = [v for v in self.problem.vehicles if self.estimate.vehicle_time(v, day, None)]
        kinds = sorted({v.kind for v in vehicles})
        for size in range(1, len(kinds) + 1):
            for subset in itertools.combinations(kinds, size):
                members = [
                    i
                    for i in here
                    if self.problem.stops[i].vehicle_kinds & set(kinds) <= set(subset)
                ]
                if members:
                    serving = [v for v in vehicles if v.kind in subset]
                    cap = sum(self.estimate.vehicle_time(v, day, None) for v in serving)
                    self.model.add(self._load(members, day) <= cap)
                    self._crates(members, day, serving)

    def _crates(self, members: list[int], day: int, serving: list[VehicleSpec]) -> None:
        """The day's crates fit the vehicles that can carry them."""
        crates = {i: self.problem.stops[i].crates for i in members}
        if not any(crates.values()) or any(v.capacity_crates is None for v in serving):
            return
        cap = sum(v.capacity_crates or 0 for v in serving)
        self.model.add(sum(c * self._present(i, day) for i, c in crates.items() if c) <= cap)

    def _spans(self, day: int, here: list[int]) -> None:
        hulls = {i: _hull(self.problem, i, day) for i in here}
        for span in {h for h in hulls.values() if h is not None}:
            members = [
                i
                for i, h in hulls.items()
                if h is not None and span.start_s <= h.start_s and h.end_s <= span.end_s
            ]
            cap = sum(self.estimate.vehicle_time(v, day, span) for v in self.problem.vehicles)
            self.model.add(self._load(members, day) <= cap)

    def _pairs(self) -> set[tuple[int, int]]:
        return {
            (min(i, j), max(i, j)) for i in self.estimate.work for j in self.estimate.neighbours[i]
        }

    def reach(self) -> int:
        """The longest neighbour distance, plus one: the most a pair on one day can earn."""
        pairs = self._pairs()
        return 1 + max((self.estimate.distance[i + 1][j + 1] for i, j in pairs), default=0)

    def neighbours(self) -> None:
        pairs = self._pairs()
        reach = self.reach()
        for i, j in pairs:
            reward = reach - self.estimate.distance[i + 1][j + 1]
            for day in sorted(self.days[i] & self.days[j]):
                together = self.model.new_bool_var("")
                self.model.add(together <= self._present(i, day))
                self.model.add(together <= self._present(j, day))
                self.objective.append(reward * together)


def choose_patterns(
    problem: Problem,
    options: Sequence[StopOptions],
    time_limit_s: float,
    stability_bonus: int,
) -> Assignment:
    """One day pattern per stop (or none), maximising placed visits, then compact days."""
    builder = _Builder(problem, options)
    previous: dict[int, set[int]] = {}
    for visit in problem.previous:
        previous.setdefault(visit.stop_id, set()).add((visit.date - problem.start).days)
    # A kept day outweighs every neighbour a stop could gain by moving: residents keep their day.
    builder.choices(previous, stability_bonus + NEIGHBOURS * builder.reach())
    builder.capacities()
    builder.neighbours()
    builder.model.maximize(sum(builder.objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    solver.parameters.num_workers = min(2, os.cpu_count() or 1)
    status = solver.solve(builder.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # No solution in time (a short limit on a busy machine): spread the stops greedily
        # rather than route empty days; the repair and the improvement rounds go on from there.
        return Assignment(_spread(builder, previous), False)
    chosen: dict[int, tuple[int, ...] | None] = {}
    for stop_index, candidates in builder.x.items():
        chosen[stop_index] = None
        for pattern, var in candidates:
            if solver.value(var):
                chosen[stop_index] = pattern
    return Assignment(chosen, status == cp_model.OPTIMAL)


def _spread(builder: _Builder, previous: dict[int, set[int]]) -> dict[int, tuple[int, ...] | None]:
    """Each stop, pinned and highest demand first, on the pattern keeping most of its published
    days whose busiest day has the least estimated work so far."""
    stops, work = builder.problem.stops, builder.estimate.work
    load: dict[int, int] = {}
    chosen: dict[int, tuple[int, ...] | None] = {}
    for i in sorted(builder.x, key=lambda i: (not stops[i].pins, -stops[i].penalty, i)):
        kept = previous.get(stops[i].id, set())
        patterns = [p for p, _ in builder.x[i]]
        pattern = min(
            patterns,
            key=lambda p: (
                -len(kept & set(p)),
                max(load.get(d, 0) for d in p),
                sum(load.get(d, 0) for d in p),
            ),
            default=None,
        )
        chosen[i] = pattern
        for day in pattern or ():
            load[day] = load.get(day, 0) + work[i]
    return chosen
