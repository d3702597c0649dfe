"""The OR-Tools routing model of a periodic problem.

One routing vehicle per (vehicle, working day) on a horizon-long time axis; each required visit
is a node copy; the days of a stop's copies must form one of its allowed day patterns; every
visit is optional with a demand-weighted penalty, so what cannot fit is dropped.
"""

from dataclasses import dataclass, field

from ortools.constraint_solver import pywrapcp

from planner.core import weekday_key
from planner.routing.diagnostics import StopOptions
from planner.routing.patterns import partial_assignments
from planner.routing.problem import SECONDS_PER_DAY, Problem, SolveParams, VehicleSpec

UNLIMITED = 1_000_000


@dataclass
class Model:
    """The routing model and the mapping between its indexes and the problem."""

    problem: Problem
    options: tuple[StopOptions, ...]
    slots: list[tuple[VehicleSpec, int]]
    node_stop: list[int]
    manager: pywrapcp.RoutingIndexManager
    routing: pywrapcp.RoutingModel
    time: pywrapcp.RoutingDimension | None = None
    copies: dict[int, list[int]] = field(default_factory=dict)
    linked: bool = False  # day patterns or pins tie visits together with CP constraints

    def copies_of(self, stop_index: int) -> list[int]:
        """Routing indexes of a stop's visit copies."""
        return self.copies.get(stop_index, [])


def build_model(problem: Problem, options: tuple[StopOptions, ...], params: SolveParams) -> Model:
    """The complete routing model: costs, time windows, shifts, breaks, patterns, capacities."""
    model = _build(problem, options)
    _add_time(model, _register_costs_and_transits(model, params))
    _node_windows(model)
    _shifts_and_breaks(model)
    _vehicles_and_patterns(model)
    _capacities(model)
    return model


def _slots(problem: Problem) -> list[tuple[VehicleSpec, int]]:
    slots: list[tuple[VehicleSpec, int]] = []
    for day in problem.working_day_indexes():
        weekday = weekday_key(problem.date_of(day))
        slots.extend((v, day) for v in problem.vehicles if v.shift_on(weekday) is not None)
    return slots


def _build(problem: Problem, options: tuple[StopOptions, ...]) -> Model:
    node_stop = [-1]
    for option in options:
        node_stop.extend([option.stop_index] * problem.stops[option.stop_index].visits)
    slots = _slots(problem)
    manager = pywrapcp.RoutingIndexManager(len(node_stop), len(slots), 0)
    model = Model(problem, options, slots, node_stop, manager, pywrapcp.RoutingModel(manager))
    for node, stop_index in enumerate(node_stop):
        if stop_index >= 0:
            model.copies.setdefault(stop_index, []).append(manager.NodeToIndex(node))
    return model


def service_s(problem: Problem, stop_index: int) -> int:
    """Service time of a node's stop (0 at the depot)."""
    return 0 if stop_index < 0 else problem.stops[stop_index].service_s


def _previous_slots(problem: Problem) -> dict[int, set[tuple[int, int]]]:
    slots: dict[int, set[tuple[int, int]]] = {}
    for visit in problem.previous:
        slots.setdefault(visit.stop_id, set()).add(
            (visit.vehicle_id, (visit.date - problem.start).days)
        )
    return slots


def _register_costs_and_transits(m: Model, params: SolveParams) -> list[int]:
    """Time transit per vehicle kind; arc cost (metres) per kind, or per routing vehicle when
    re-planning adds a charge for moving a stop off its previous day and vehicle."""
    problem, routing, nodes = m.problem, m.routing, m.node_stop
    previous = _previous_slots(problem)
    time_by_kind: dict[str, int] = {}
    cost_by_kind: dict[str, int] = {}
    transits = []
    for slot, (vehicle, day) in enumerate(m.slots):
        travel = problem.travel[vehicle.kind]
        if vehicle.kind not in time_by_kind:
            time_by_kind[vehicle.kind] = routing.RegisterTransitMatrix(
                [
                    [service_s(problem, a) + travel.duration_s[a + 1][b + 1] for b in nodes]
                    for a in nodes
                ]
            )
            cost_by_kind[vehicle.kind] = routing.RegisterTransitMatrix(
                [[travel.distance_m[a + 1][b + 1] for b in nodes] for a in nodes]
            )
        transits.append(time_by_kind[vehicle.kind])
        moved = [_moved_charge(problem, b, vehicle.id, day, previous, params) for b in nodes]
        if any(moved):
            costs = [
                [travel.distance_m[a + 1][b + 1] + moved[j] for j, b in enumerate(nodes)]
                for a in nodes
            ]
            routing.SetArcCostEvaluatorOfVehicle(routing.RegisterTransitMatrix(costs), slot)
        else:
            routing.SetArcCostEvaluatorOfVehicle(cost_by_kind[vehicle.kind], slot)
    return transits


def _moved_charge(
    problem: Problem,
    stop_index: int,
    vehicle_id: int,
    day: int,
    previous: dict[int, set[tuple[int, int]]],
    params: SolveParams,
) -> int:
    if stop_index < 0:
        return 0
    before = previous.get(problem.stops[stop_index].id)
    return params.stability_penalty if before and (vehicle_id, day) not in before else 0


def _add_time(m: Model, transits: list[int]) -> None:
    horizon = m.problem.horizon_days * SECONDS_PER_DAY
    m.routing.AddDimensionWithVehicleTransits(transits, horizon, horizon, False, "time")
    m.time = m.routing.GetDimensionOrDie("time")


def _allowed_starts(
    problem: Problem, stop_index: int, days: tuple[int, ...]
) -> list[tuple[int, int]]:
    stop = problem.stops[stop_index]
    allowed = []
    for day in days:
        base = day * SECONDS_PER_DAY
        for window in stop.windows_on(weekday_key(problem.date_of(day))):
            if window.duration_s >= stop.service_s:
                allowed.append((base + window.start_s, base + window.end_s - stop.service_s))
    return sorted(allowed)


REMOVE_S_PER_GAP_SECOND = 1e-7  # measured: OR-Tools takes ~80 ns per value taken out of a domain


def _node_windows(m: Model) -> None:
    """A stop's weekday windows over the horizon become its copies' allowed service starts."""
    assert m.time is not None
    for stop_index, (first, last, gaps) in window_domains(m.problem, m.options, m.slots).items():
        for index in m.copies_of(stop_index):
            cumul = m.time.CumulVar(index)
            cumul.SetRange(first, last)
            for low, high in gaps:
                cumul.RemoveInterval(low, high)


Domain = tuple[int, int, list[tuple[int, int]]]  # first and last service start, gaps between


def window_domains(
    problem: Problem,
    options: tuple[StopOptions, ...],
    slots: list[tuple[VehicleSpec, int]] | None = None,
) -> dict[int, Domain]:
    """Per stop, its first and last allowed service start over the horizon and the gaps its
    windows forbid between them.

    Only the gaps inside some vehicle's shift count: a visit rides one vehicle-day, whose
    start and end lie inside its shift, so nights and days the stop cannot be visited are
    excluded already. (Taking out every gap cost half a minute of model building for 200
    visits over four weeks.)"""
    shifts = _shift_spans(problem, _slots(problem) if slots is None else slots)
    found = {}
    for option in options:
        allowed = _allowed_starts(problem, option.stop_index, option.candidate_days)
        gaps: list[tuple[int, int]] = []
        cursor = allowed[0][0]
        for start, end in allowed:
            if start > cursor:
                gaps.extend(_inside_shifts(cursor, start - 1, shifts))
            cursor = max(cursor, end + 1)
        found[option.stop_index] = (allowed[0][0], cursor - 1, gaps)
    return found


def windows_build_s(problem: Problem, options: tuple[StopOptions, ...]) -> float:
    """About how long taking the window gaps out of every copy's domain takes."""
    return REMOVE_S_PER_GAP_SECOND * sum(
        problem.stops[i].visits * sum(high - low + 1 for low, high in gaps)
        for i, (_, _, gaps) in window_domains(problem, options).items()
    )


def _shift_spans(
    problem: Problem, slots: list[tuple[VehicleSpec, int]]
) -> dict[int, tuple[int, int]]:
    """Per day, from the earliest shift start to the latest shift end (horizon seconds)."""
    spans: dict[int, tuple[int, int]] = {}
    for vehicle, day in slots:
        shift = vehicle.shift_on(weekday_key(problem.date_of(day)))
        assert shift is not None
        base = day * SECONDS_PER_DAY
        low, high = spans.get(day, (base + shift.start_s, base + shift.end_s))
        spans[day] = (min(low, base + shift.start_s), max(high, base + shift.end_s))
    return spans


def _inside_shifts(
    low: int, high: int, shifts: dict[int, tuple[int, int]]
) -> list[tuple[int, int]]:
    """The parts of [low, high] that lie inside a day's shift span."""
    parts = []
    for day in range(low // SECONDS_PER_DAY, high // SECONDS_PER_DAY + 1):
        span = shifts.get(day)
        if span is not None and max(low, span[0]) <= min(high, span[1]):
            parts.append((max(low, span[0]), min(high, span[1])))
    return parts


def _shifts_and_breaks(m: Model) -> None:
    assert m.time is not None
    problem, routing, solver = m.problem, m.routing, m.routing.solver()
    visit_transits = [
        service_s(problem, m.node_stop[m.manager.IndexToNode(i)]) for i in range(routing.Size())
    ]
    for slot, (vehicle, day) in enumerate(m.slots):
        weekday = weekday_key(problem.date_of(day))
        shift = vehicle.shift_on(weekday)
        assert shift is not None
        base = day * SECONDS_PER_DAY
        for index in (routing.Start(slot), routing.End(slot)):
            m.time.CumulVar(index).SetRange(base + shift.start_s, base + shift.end_s)
        breaks = [
            solver.FixedDurationIntervalVar(
                base + rule.window.start_s,
                base + rule.window.start_s,
                rule.window.duration_s,
                False,
                f"{rule.name} {slot}",
            )
            for rule in vehicle.breaks_on(weekday)
        ]
        if breaks:
            m.time.SetBreakIntervalsOfVehicle(breaks, slot, visit_transits)
        routing.AddVariableMaximizedByFinalizer(m.time.CumulVar(routing.Start(slot)))
        routing.AddVariableMinimizedByFinalizer(m.time.CumulVar(routing.End(slot)))


def _vehicles_and_patterns(m: Model) -> None:
    """Each copy may only ride a compatible vehicle on a candidate day; copies follow a pattern."""
    problem, routing, solver = m.problem, m.routing, m.routing.solver()
    slot_days = [-1] + [day for _, day in m.slots]
    for option in m.options:
        stop = problem.stops[option.stop_index]
        allowed = [
            slot
            for slot, (vehicle, day) in enumerate(m.slots)
            if vehicle.kind in stop.vehicle_kinds and day in option.candidate_days
        ]
        copies = m.copies_of(option.stop_index)
        for index in copies:
            routing.VehicleVar(index).SetValues([-1, *allowed])
            routing.AddDisjunction([index], stop.penalty)
        if len(copies) > 1 or stop.patterns:
            day_vars = []
            for index in copies:
                position = solver.IntVar(0, len(m.slots), "")
                solver.Add(position == routing.VehicleVar(index) + 1)
                day_var = solver.IntVar(-1, problem.horizon_days, "")
                solver.Add(day_var == solver.Element(slot_days, position))
                day_vars.append(day_var)
            rows = sorted({r for p in option.patterns for r in partial_assignments(p, len(copies))})
            solver.Add(solver.AllowedAssignments(day_vars, rows))
            m.linked = True
        _pins(m, option.stop_index, copies)


def _pins(m: Model, stop_index: int, copies: list[int]) -> None:
    solver = m.routing.solver()
    for pin in m.problem.stops[stop_index].pins:
        slots = [
            slot
            for slot, (vehicle, day) in enumerate(m.slots)
            if (pin.vehicle_id is None or vehicle.id == pin.vehicle_id)
            and (pin.date is None or m.problem.date_of(day) == pin.date)
        ]
        members = [solver.IsMemberVar(m.routing.VehicleVar(index), slots) for index in copies]
        solver.Add(solver.Sum(members) >= 1)
        m.linked = True


def _capacities(m: Model) -> None:
    problem, routing = m.problem, m.routing
    max_stops = [v.max_stops_per_day or UNLIMITED for v, _ in m.slots]
    if any(v.max_stops_per_day for v, _ in m.slots):
        ones = routing.RegisterUnaryTransitVector([0 if s < 0 else 1 for s in m.node_stop])
        routing.AddDimensionWithVehicleCapacity(ones, 0, max_stops, True, "stops")
    crates = [0 if s < 0 else problem.stops[s].crates for s in m.node_stop]
    if any(crates):
        demand = routing.RegisterUnaryTransitVector(crates)
        capacity = [
            v.capacity_crates if v.capacity_crates is not None else UNLIMITED for v, _ in m.slots
        ]
        routing.AddDimensionWithVehicleCapacity(demand, 0, capacity, True, "crates")
