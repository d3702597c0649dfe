"""The OR-Tools periodic routing model (the only module that imports ortools).

One routing vehicle per (vehicle, working day) on a horizon-long time axis; each required visit
is a node copy; the days of a stop's copies must form one of its allowed day patterns; every
visit is optional with a demand-weighted penalty, so what cannot fit is dropped, lowest demand
first, and reported with a reason.
"""

import time
from dataclasses import dataclass, field

from ortools.constraint_solver import pywrapcp, routing_enums_pb2, routing_ils_pb2

from planner.routing.diagnostics import StopOptions, check_problem
from planner.routing.patterns import partial_assignments
from planner.routing.problem import (
    SECONDS_PER_DAY,
    Diagnostic,
    Plan,
    Problem,
    RoutePlan,
    SolveParams,
    Unserved,
    VehicleSpec,
    weekday_key,
)
from planner.routing.routes import extract_routes

CROWDED_OUT = (
    "tidak muat: shift kendaraan pada hari-hari yang mungkin sudah terisi kunjungan "
    "berprioritas lebih tinggi"
)
NO_SOLUTION = "solver tidak menemukan rencana dalam batas waktu"
UNLIMITED = 1_000_000
ITERATED_LOCAL_SEARCH = "ITERATED_LOCAL_SEARCH"
GUIDED_LOCAL_SEARCH = "GUIDED_LOCAL_SEARCH"
AUTO = "AUTO"
# Iterated local search: SISR ruin (Christiaens & Vanden Berghe 2020) removes about this many
# visits in strings of at most this length, cheapest insertion puts them back, greedy descent
# improves, and simulated annealing accepts; its starting temperature is this share of the
# mean arc cost, cooling a hundredfold. Chosen on the Solomon instances (bench/RESULTS.md).
SISR_REMOVED_VISITS = 20
SISR_MAX_STRING = 10
SISR_BYPASS = 0.01
START_TEMPERATURE_SHARE = 0.15


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


def _node_windows(m: Model) -> None:
    """A stop's weekday windows over the horizon become its copies' allowed service starts."""
    assert m.time is not None
    for option in m.options:
        allowed = _allowed_starts(m.problem, option.stop_index, option.candidate_days)
        for index in m.copies_of(option.stop_index):
            cumul = m.time.CumulVar(index)
            cumul.SetRange(allowed[0][0], allowed[-1][1])
            cursor = allowed[0][0]
            for start, end in allowed:
                if start > cursor:
                    cumul.RemoveInterval(cursor, start - 1)
                cursor = max(cursor, end + 1)


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


def _search_parameters(
    params: SolveParams, metaheuristic: str, m: Model
) -> pywrapcp.DefaultRoutingSearchParameters:
    search = pywrapcp.DefaultRoutingSearchParameters()
    search.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, params.first_solution
    )
    if metaheuristic == ITERATED_LOCAL_SEARCH:
        search.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
        )
        _iterated_local_search(search, _mean_arc_cost(m))
    else:
        search.local_search_metaheuristic = getattr(
            routing_enums_pb2.LocalSearchMetaheuristic, metaheuristic
        )
    search.time_limit.FromMilliseconds(max(1, int(params.time_limit_s * 1000)))
    search.log_search = params.log_search
    return search


def _iterated_local_search(
    search: pywrapcp.DefaultRoutingSearchParameters, mean_arc_cost: float
) -> None:
    search.use_iterated_local_search = True
    ils = search.iterated_local_search_parameters
    ils.perturbation_strategy = routing_ils_pb2.PerturbationStrategy.RUIN_AND_RECREATE
    ils.improve_perturbed_solution = True
    ruin_recreate = ils.ruin_recreate_parameters
    del ruin_recreate.ruin_strategies[:]
    sisr = ruin_recreate.ruin_strategies.add().sisr
    sisr.avg_num_removed_visits = SISR_REMOVED_VISITS
    sisr.max_removed_sequence_size = SISR_MAX_STRING
    sisr.bypass_factor = SISR_BYPASS
    ruin_recreate.recreate_strategy.heuristic = (
        routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
    )
    annealing = ils.reference_solution_acceptance_strategy.simulated_annealing
    annealing.cooling_schedule_strategy = routing_ils_pb2.CoolingScheduleStrategy.EXPONENTIAL
    annealing.automatic_temperatures = False
    annealing.initial_temperature = max(1.0, START_TEMPERATURE_SHARE * mean_arc_cost)
    annealing.final_temperature = annealing.initial_temperature / 100


def _mean_arc_cost(m: Model) -> float:
    """Mean distance between two different nodes, over the vehicle kinds in use."""
    nodes = [s + 1 for s in m.node_stop]
    total, count = 0, 0
    for kind in {v.kind for v, _ in m.slots}:
        distance = m.problem.travel[kind].distance_m
        total += sum(distance[a][b] for a in nodes for b in nodes) - sum(
            distance[a][a] for a in nodes
        )
        count += len(nodes) * (len(nodes) - 1)
    return total / count if count else 0.0


def _warm_start(m: Model) -> pywrapcp.Assignment | None:
    """The previous plan's visits as a first solution, when it is still feasible."""
    problem = m.problem
    if not problem.previous:
        return None
    slot_of = {(v.id, day): slot for slot, (v, day) in enumerate(m.slots)}
    routes: list[list[int]] = [[] for _ in m.slots]
    stop_index = {s.id: i for i, s in enumerate(problem.stops)}
    used: dict[int, int] = {}
    for visit in sorted(problem.previous, key=lambda v: (v.date, v.position)):
        index = stop_index.get(visit.stop_id)
        slot = slot_of.get((visit.vehicle_id, (visit.date - problem.start).days))
        copies = m.copies_of(index) if index is not None else []
        if slot is None or used.get(index or 0, 0) >= len(copies) or index is None:
            continue
        routes[slot].append(m.manager.IndexToNode(copies[used.get(index, 0)]))
        used[index] = used.get(index, 0) + 1
    return m.routing.ReadAssignmentFromRoutes(routes, True)


class _Progress:
    """Reports progress (elapsed, best cost so far) and stops the search when asked to.

    Iterated local search also reports the perturbed solutions it explores, which may be worse
    than the best, so only improvements are passed on."""

    def __init__(self, routing: pywrapcp.RoutingModel, params: SolveParams, started: float) -> None:
        self.routing, self.params, self.started = routing, params, started
        self.best: int | None = None

    def __call__(self) -> None:
        cost = self.routing.CostVar().Max()
        if self.best is None or cost < self.best:
            self.best = cost
            if self.params.progress is not None:
                self.params.progress(time.monotonic() - self.started, cost)
        if self.params.should_stop is not None and self.params.should_stop():
            self.routing.CancelSearch()


def _metaheuristic(m: Model, params: SolveParams, warm_start: bool) -> str:
    """AUTO: iterated local search when every visit stands alone; guided local search when day
    patterns or pins link visits (ruin-and-recreate rebuilds routes with OR-Tools' filters,
    which do not see those constraints, and stalls: bench/RESULTS.md) or when re-planning
    starts from the published plan (iterated local search cannot start from a given plan)."""
    if params.metaheuristic != AUTO:
        return params.metaheuristic
    if m.linked or warm_start:
        return GUIDED_LOCAL_SEARCH
    return ITERATED_LOCAL_SEARCH


def solve(problem: Problem, params: SolveParams | None = None) -> Plan:
    """Plan the horizon: routes per vehicle and day, unserved visits with reasons."""
    params = params or SolveParams()
    started = time.monotonic()
    diagnostics, options = check_problem(problem)
    model = _build(problem, options)
    _add_time(model, _register_costs_and_transits(model, params))
    _node_windows(model)
    _shifts_and_breaks(model)
    _vehicles_and_patterns(model)
    _capacities(model)
    routing = model.routing
    routing.AddAtSolutionCallback(_Progress(routing, params, started))
    initial = _warm_start(model)
    metaheuristic = _metaheuristic(model, params, initial is not None)
    search = _search_parameters(params, metaheuristic, model)
    if metaheuristic == ITERATED_LOCAL_SEARCH:  # starts afresh even when forced to re-plan
        solution = routing.SolveWithIteratedLocalSearch(search)
    elif initial is not None:
        solution = routing.SolveFromAssignmentWithParameters(initial, search)
    else:
        solution = routing.SolveWithParameters(search)
    elapsed = time.monotonic() - started
    return _plan(model, solution, diagnostics, elapsed)


def _plan(
    model: Model,
    solution: pywrapcp.Assignment | None,
    diagnostics: tuple[Diagnostic, ...],
    elapsed: float,
) -> Plan:
    """The Plan: routes, then every visit left out with its reason."""
    problem = model.problem
    visits_of = {s.id: s.visits for s in problem.stops}
    unserved = [Unserved(d.stop_id, visits_of[d.stop_id], d.code, d.message) for d in diagnostics]
    if solution is None:
        for option in model.options:
            stop = problem.stops[option.stop_index]
            unserved.append(Unserved(stop.id, stop.visits, "no_solution", NO_SOLUTION))
        routes: tuple[RoutePlan, ...] = ()
        objective, status = 0, "no_solution"
    else:
        routes = extract_routes(model, solution)
        for option in model.options:
            dropped = sum(
                1
                for index in model.copies_of(option.stop_index)
                if solution.Value(model.routing.NextVar(index)) == index
            )
            if dropped:
                stop = problem.stops[option.stop_index]
                unserved.append(Unserved(stop.id, dropped, "crowded_out", CROWDED_OUT))
        objective, status = solution.ObjectiveValue(), "ok"
    return Plan(
        start=problem.start,
        weeks=problem.weeks,
        provider=problem.provider,
        provider_label=problem.provider_label,
        status=status,
        routes=routes,
        unserved=tuple(unserved),
        diagnostics=tuple(diagnostics),
        objective=objective,
        solve_seconds=round(elapsed, 2),
    )
