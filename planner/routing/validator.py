"""An independent check of a plan: every time recomputed from the matrix, every rule re-read.

It shares no code with the solver; it only knows the problem's rules.
"""

from collections import defaultdict
from dataclasses import dataclass

from planner.core import WEEKDAYS, _, weekday_key
from planner.routing.patterns import min_gap_days
from planner.routing.problem import (
    SECONDS_PER_DAY,
    Plan,
    PlannedVisit,
    Problem,
    RoutePlan,
    StopSpec,
    VehicleSpec,
)


@dataclass(frozen=True)
class Violation:
    """One broken rule, located by stop, day and vehicle where it applies."""

    code: str
    message: str
    stop_id: int | None = None
    day_index: int | None = None
    vehicle_id: int | None = None


def _overlap(a_s: int, b_s: int, intervals: list[tuple[int, int]]) -> int:
    return sum(max(0, min(b_s, end) - max(a_s, start)) for start, end in intervals)


class _RouteChecker:
    def __init__(self, problem: Problem, route: RoutePlan, vehicle: VehicleSpec) -> None:
        self.problem, self.route, self.vehicle = problem, route, vehicle
        self.weekday = weekday_key(problem.date_of(route.day_index))
        self.base = route.day_index * SECONDS_PER_DAY
        self.breaks = [
            (self.base + b.window.start_s, self.base + b.window.end_s)
            for b in vehicle.breaks_on(self.weekday)
        ]
        self.found: list[Violation] = []

    def fail(self, code: str, message: str, stop_id: int | None = None) -> None:
        self.found.append(Violation(code, message, stop_id, self.route.day_index, self.vehicle.id))

    def check(self, stops: dict[int, tuple[int, StopSpec]]) -> list[Violation]:
        shift = self.vehicle.shift_on(self.weekday)
        day_ok = self.route.day_index in self.problem.working_day_indexes()
        if shift is None or not day_ok:
            self.fail(
                "no_shift",
                _("{vehicle} does not work on this day").format(vehicle=self.vehicle.name),
            )
            return self.found
        if self.route.start_s < self.base + shift.start_s:
            self.fail("shift", _("leaves before the shift starts"))
        matrix = self.problem.travel[self.vehicle.kind]
        previous, clock = 0, self.route.start_s
        for visit in self.route.visits:
            if visit.stop_id not in stops:
                message = _("point #{id} does not exist").format(id=visit.stop_id)
                self.fail("unknown_stop", message, visit.stop_id)
                continue
            index, stop = stops[visit.stop_id]
            self._visit(visit, stop, matrix.duration_s[previous][index + 1], clock)
            if visit.distance_m != matrix.distance_m[previous][index + 1]:
                message = _("the distance to {stop} does not match the matrix").format(
                    stop=stop.name
                )
                self.fail("distance", message, stop.id)
            previous, clock = index + 1, visit.departure_s
        back = matrix.duration_s[previous][0]
        if (self.route.end_s - clock) - _overlap(clock, self.route.end_s, self.breaks) < back:
            self.fail("travel", _("too little time to drive back to the depot"))
        if self.route.end_s > self.base + shift.end_s:
            self.fail("shift", _("back at the depot after the shift ends"))
        self._limits(stops)
        return self.found

    def _visit(self, visit: PlannedVisit, stop: StopSpec, travel_s: int, clock: int) -> None:
        if self.vehicle.kind not in stop.vehicle_kinds:
            message = _("a {kind} may not go to {stop}").format(
                kind=self.vehicle.kind, stop=stop.name
            )
            self.fail("vehicle_kind", message, stop.id)
        if (visit.start_s - clock) - _overlap(clock, visit.start_s, self.breaks) < travel_s:
            message = _("too little travel time to {stop}").format(stop=stop.name)
            self.fail("travel", message, stop.id)
        if (
            not visit.arrival_s <= visit.start_s
            or visit.departure_s != visit.start_s + stop.service_s
        ):
            message = _("arrival/start/end at {stop} do not agree").format(stop=stop.name)
            self.fail("service", message, stop.id)
        windows = [
            (self.base + w.start_s, self.base + w.end_s) for w in stop.windows_on(self.weekday)
        ]
        end = visit.start_s + stop.service_s
        if not any(a <= visit.start_s and end <= b for a, b in windows):
            message = _("the service at {stop} is outside its time windows").format(stop=stop.name)
            self.fail("window", message, stop.id)
        if _overlap(visit.start_s, end, self.breaks):
            message = _("the service at {stop} clashes with a break").format(stop=stop.name)
            self.fail("break", message, stop.id)

    def _limits(self, stops: dict[int, tuple[int, StopSpec]]) -> None:
        limit = self.vehicle.max_stops_per_day
        if limit is not None and len(self.route.visits) > limit:
            self.fail("max_stops", _("more than {limit} points in a day").format(limit=limit))
        capacity = self.vehicle.capacity_crates
        load = sum(stops[v.stop_id][1].crates for v in self.route.visits if v.stop_id in stops)
        if capacity is not None and load > capacity:
            message = _("a load of {load} crates exceeds the capacity of {capacity}")
            self.fail("capacity", message.format(load=load, capacity=capacity))


def _pattern_ok(problem: Problem, stop: StopSpec, days: list[int]) -> bool:
    if len(set(days)) != len(days):
        return False
    if stop.patterns:
        offsets = [
            {(WEEKDAYS.index(w) - problem.start.weekday()) % 7 for w in pattern}
            for pattern in stop.patterns
        ]
        return any({d % 7 for d in days} <= allowed for allowed in offsets)
    gap = min_gap_days(stop.visits, problem.horizon_days)
    ordered = sorted(days)
    pairs = zip(ordered, [*ordered[1:], ordered[0] + problem.horizon_days], strict=True)
    return len(ordered) < 2 or all(b - a >= gap for a, b in pairs)


def _stop_rules(problem: Problem, plan: Plan) -> list[Violation]:
    found = []
    vehicles = {v.id: v for v in problem.vehicles}
    visits: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for route in plan.routes:
        for visit in route.visits:
            visits[visit.stop_id].append((route.day_index, route.vehicle_id))
    unserved: defaultdict[int, int] = defaultdict(int)
    for item in plan.unserved:
        unserved[item.stop_id] += item.visits
    for stop in problem.stops:
        done = visits.get(stop.id, [])
        days = [day for day, _vehicle in done]
        if len(done) + unserved[stop.id] != stop.visits:
            found.append(
                Violation(
                    "count",
                    _("{stop}: {done} planned + {unserved} unserved ≠ {visits} asked").format(
                        stop=stop.name,
                        done=len(done),
                        unserved=unserved[stop.id],
                        visits=stop.visits,
                    ),
                    stop.id,
                )
            )
        if done and not _pattern_ok(problem, stop, days):
            found.append(
                Violation(
                    "pattern",
                    _("{stop}: the visit days are not spread as the pattern asks").format(
                        stop=stop.name
                    ),
                    stop.id,
                )
            )
        if (
            problem.one_kind_per_stop
            and len({vehicles[v].kind for _, v in done if v in vehicles}) > 1
        ):
            found.append(
                Violation(
                    "kind",
                    _("{stop}: visited by more than one kind of vehicle").format(stop=stop.name),
                    stop.id,
                )
            )
        for pin in stop.pins if done else ():
            if not any(
                (pin.date is None or problem.date_of(day) == pin.date)
                and (pin.vehicle_id is None or vehicle == pin.vehicle_id)
                for day, vehicle in done
            ):
                found.append(
                    Violation(
                        "pin",
                        _("{stop}: the pinned visit is missing").format(stop=stop.name),
                        stop.id,
                    )
                )
    return found


def validate(problem: Problem, plan: Plan) -> list[Violation]:
    """Every rule the plan breaks (an empty list for a valid plan)."""
    stops = {s.id: (i, s) for i, s in enumerate(problem.stops)}
    vehicles = {v.id: v for v in problem.vehicles}
    found: list[Violation] = []
    seen: set[tuple[int, int]] = set()
    for route in plan.routes:
        vehicle = vehicles.get(route.vehicle_id)
        if vehicle is None:
            message = _("vehicle #{id} does not exist").format(id=route.vehicle_id)
            found.append(Violation("unknown_vehicle", message))
            continue
        if (route.vehicle_id, route.day_index) in seen:
            found.append(
                Violation(
                    "duplicate_route",
                    _("{vehicle} has two routes on the same day").format(vehicle=vehicle.name),
                )
            )
        seen.add((route.vehicle_id, route.day_index))
        found.extend(_RouteChecker(problem, route, vehicle).check(stops))
    return found + _stop_rules(problem, plan)
