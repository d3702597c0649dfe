"""Timing one vehicle's day by hand: a stop sequence becomes a timed route, or None if it breaks
a rule (window, break, shift, capacity). Used to repair a plan by insertion and to tell a visit
that no longer fits anywhere from one the search did not place in time.

The rules are the solver model's and the validator's: travel time excludes breaks taken on the
way, service never overlaps a break, service starts and ends inside one of the stop's windows.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from planner.core import weekday_key
from planner.routing.problem import (
    SECONDS_PER_DAY,
    PlannedBreak,
    PlannedVisit,
    Problem,
    RoutePlan,
    VehicleSpec,
)


@dataclass(frozen=True)
class Insertion:
    """Where a stop goes into a route, the extra metres it costs, and the route it makes."""

    position: int
    extra_m: int
    route: RoutePlan


class DayRoute:
    """One vehicle on one day: its shift, breaks and matrix, ready to time stop sequences."""

    def __init__(self, problem: Problem, vehicle: VehicleSpec, day: int) -> None:
        self.problem, self.vehicle, self.day = problem, vehicle, day
        self.weekday = weekday_key(problem.date_of(day))
        self.base = day * SECONDS_PER_DAY
        shift = vehicle.shift_on(self.weekday)
        self.shift = None if shift is None else (self.base + shift.start_s, self.base + shift.end_s)
        self.breaks = [
            PlannedBreak(rule.name, self.base + rule.window.start_s, self.base + rule.window.end_s)
            for rule in vehicle.breaks_on(self.weekday)
        ]
        travel = problem.travel[vehicle.kind]
        self.duration, self.distance = travel.duration_s, travel.distance_m
        self._windows: dict[int, tuple[tuple[int, int], ...]] = {}

    def _reach(self, clock: int, travel_s: int) -> int:
        """When travel leaving at `clock` ends, breaks taken on the way not counted as travel."""
        if not self.breaks:
            return clock + travel_s
        remaining, now = travel_s, clock
        for rule in sorted(self.breaks, key=lambda b: b.start_s):
            if rule.end_s <= now:
                continue
            if now + remaining <= rule.start_s:
                break
            remaining -= max(0, rule.start_s - now)
            now = max(now, rule.end_s)
        return now + remaining

    def _windows_of(self, stop_index: int) -> tuple[tuple[int, int], ...]:
        """A stop's windows on this day, in seconds from the start of the horizon."""
        found = self._windows.get(stop_index)
        if found is None:
            windows = self.problem.stops[stop_index].windows_on(self.weekday)
            found = tuple((self.base + w.start_s, self.base + w.end_s) for w in windows)
            self._windows[stop_index] = found
        return found

    def _service_start(self, stop_index: int, arrival: int) -> int | None:
        service_s = self.problem.stops[stop_index].service_s
        for lo, hi in self._windows_of(stop_index):
            start = max(arrival, lo)
            moved = bool(self.breaks)
            while moved:
                moved = False
                for rule in self.breaks:
                    if start < rule.end_s and rule.start_s < start + service_s:
                        start, moved = rule.end_s, True
            if start + service_s <= hi:
                return start
        return None

    def _through(self, clock: int, previous: int, stop_indexes: Sequence[int]) -> int | None:
        """When a vehicle leaving node `previous` at `clock` is back at the depot after these
        stops, or None if a window or the shift's end is missed: `time` without the route."""
        assert self.shift is not None
        stops, duration = self.problem.stops, self.duration
        for stop_index in stop_indexes:
            node = stop_index + 1
            start = self._service_start(stop_index, self._reach(clock, duration[previous][node]))
            if start is None:
                return None
            clock, previous = start + stops[stop_index].service_s, node
        end = self._reach(clock, duration[previous][0])
        return end if end <= self.shift[1] else None

    def fits_limits(self, stop_indexes: Sequence[int]) -> bool:
        """Stop count, crates and vehicle kind allow these stops on this vehicle."""
        vehicle, stops = self.vehicle, self.problem.stops
        if vehicle.max_stops_per_day is not None and len(stop_indexes) > vehicle.max_stops_per_day:
            return False
        if any(vehicle.kind not in stops[i].vehicle_kinds for i in stop_indexes):
            return False
        crates = sum(stops[i].crates for i in stop_indexes)
        return vehicle.capacity_crates is None or crates <= vehicle.capacity_crates

    def time(self, stop_indexes: Sequence[int]) -> RoutePlan | None:
        """The timed route through these stops (matrix index = stop index + 1), or None."""
        if self.shift is None or not stop_indexes or not self.fits_limits(stop_indexes):
            return None
        clock, previous, visits = self.shift[0], 0, []
        for stop_index in stop_indexes:
            node = stop_index + 1
            travel_s = self.duration[previous][node]
            arrival = self._reach(clock, travel_s)
            start = self._service_start(stop_index, arrival)
            if start is None:
                return None
            departure = start + self.problem.stops[stop_index].service_s
            visit = PlannedVisit(
                self.problem.stops[stop_index].id,
                min(arrival, start),
                start,
                departure,
                travel_s,
                self.distance[previous][node],
            )
            visits.append(visit)
            clock, previous = departure, node
        end = self._reach(clock, self.duration[previous][0])
        if end > self.shift[1]:
            return None
        return self._route(visits, end, previous)

    def _route(self, visits: list[PlannedVisit], end: int, last: int) -> RoutePlan:
        assert self.shift is not None
        first = visits[0]
        # Leave as late as the first visit allows (no waiting at the first stop), not earlier
        # than the shift, and never across a break.
        start = max(self.shift[0], first.start_s - first.travel_s)
        if any(b.start_s < first.start_s and start < b.end_s for b in self.breaks):
            start = self.shift[0]
        taken = tuple(b for b in self.breaks if b.start_s < end and start < b.end_s)
        return RoutePlan(
            vehicle_id=self.vehicle.id,
            day_index=self.day,
            start_s=start,
            end_s=end,
            visits=tuple(visits),
            return_travel_s=self.duration[last][0],
            return_distance_m=self.distance[last][0],
            breaks=taken,
        )

    def _idle_s(self, stop_indexes: Sequence[int]) -> int:
        """Shift time neither driven, served nor on a break: what one more visit can use."""
        assert self.shift is not None
        lo, hi = self.shift
        breaks = sum(max(0, min(b.end_s, hi) - max(b.start_s, lo)) for b in self.breaks)
        if not stop_indexes or self._through(lo, 0, stop_indexes) is None:
            return hi - lo - breaks
        nodes = [0, *(i + 1 for i in stop_indexes), 0]
        driving = sum(self.duration[a][b] for a, b in itertools.pairwise(nodes))
        service = sum(self.problem.stops[i].service_s for i in stop_indexes)
        return hi - lo - breaks - service - driving

    def best_insertion(self, stop_indexes: Sequence[int], stop_index: int) -> Insertion | None:
        """The cheapest position for one more stop that keeps the route feasible, or None."""
        if self.shift is None or not self.fits_limits([*stop_indexes, stop_index]):
            return None
        nodes = [0, *(i + 1 for i in stop_indexes), 0]
        node = stop_index + 1
        # The visit's service and the least extra driving must fit the route's idle time
        # (a full route: no need to try every position).
        detour_s = min(
            self.duration[a][node] + self.duration[node][b] - self.duration[a][b]
            for a, b in itertools.pairwise(nodes)
        )
        needed = self.problem.stops[stop_index].service_s + max(0, detour_s)
        if needed > self._idle_s(stop_indexes):
            return None
        options = sorted(
            (
                self.distance[nodes[p]][node]
                + self.distance[node][nodes[p + 1]]
                - self.distance[nodes[p]][nodes[p + 1]],
                p,
            )
            for p in range(len(nodes) - 1)
        )
        # When the vehicle leaves each stop of the route as it is (the stops before an
        # insertion keep their times): None from the first stop whose window is missed.
        leaving: list[tuple[int, int] | None] = [(self.shift[0], 0)]
        for index in stop_indexes:
            last = leaving[-1]
            if last is None:
                leaving.append(None)
                continue
            clock, previous = last
            start = self._service_start(
                index, self._reach(clock, self.duration[previous][index + 1])
            )
            leaving.append(
                None if start is None else (start + self.problem.stops[index].service_s, index + 1)
            )
        for extra, position in options:
            before = leaving[position]
            if before is None:
                continue
            rest = [stop_index, *stop_indexes[position:]]
            if self._through(before[0], before[1], rest) is None:
                continue
            route = self.time([*stop_indexes[:position], *rest])
            assert route is not None  # the same timing as _through, with the visits built
            return Insertion(position, extra, route)
        return None
