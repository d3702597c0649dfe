"""How the routing model is searched: first solution, metaheuristic, iterated local search."""

from collections.abc import Sequence

from ortools.constraint_solver import pywrapcp, routing_enums_pb2, routing_ils_pb2
from ortools.util.optional_boolean_pb2 import BOOL_FALSE, BOOL_TRUE

from planner.routing.problem import PreviousVisit, SolveParams
from planner.routing.solver.model import Model

ITERATED_LOCAL_SEARCH = "ITERATED_LOCAL_SEARCH"
GUIDED_LOCAL_SEARCH = "GUIDED_LOCAL_SEARCH"
AUTO = "AUTO"
# Iterated local search: SISR ruin (Christiaens & Vanden Berghe 2020) removes about a fifth of
# the visits (at least 10, at most 30) in strings of at most half that length (5 to 15),
# cheapest insertion puts them back, greedy descent improves, and simulated annealing accepts;
# its starting temperature is this share of the mean arc cost, cooling a hundredfold. Judged on
# Solomon (100 customers: 20 and 10, as tuned before) and Gehring-Homberger 200 (30 and 15)
# together, and small enough for a day's routes (bench/RESULTS.md).
SISR_REMOVED_SHARE = 0.2
SISR_REMOVED_VISITS = (10, 30)
SISR_MAX_STRING = (5, 15)
SISR_BYPASS = 0.01
START_TEMPERATURE_SHARE = 0.15
IMPROVE_PERTURBED = True  # greedy descent after each recreate
# Operators the descent inside iterated local search leaves out: the heuristic path LNS
# operators (each move re-inserts whole paths by cheapest insertion, which the ruin-and-recreate
# step already does) and the pickup-and-delivery and visit-type operators, which have nothing to
# work on in these models. Each descent is then much faster, so more ruin-and-recreate steps fit
# the limit (GH200's six hardest at 30 s: 4.73 % -> 2.48 %, bench/RESULTS.md).
ILS_OFF_OPERATORS: tuple[str, ...] = (
    "use_global_cheapest_insertion_path_lns",
    "use_local_cheapest_insertion_path_lns",
    "use_relocate_path_global_cheapest_insertion_insert_unperformed",
    "use_global_cheapest_insertion_visit_types_lns",
    "use_local_cheapest_insertion_visit_types_lns",
    "use_relocate_pair",
    "use_light_relocate_pair",
    "use_exchange_pair",
    "use_relocate_subtrip",
    "use_exchange_subtrip",
)
ILS_BANDIT = False
# Guided local search with linked visits: moves that make room for a left-out visit and insert
# it in one step (a capacity-tight day cannot take it by insertion alone: bench/RESULTS.md).
REINSERTION_OPERATORS = ("use_relocate_and_make_active", "use_exchange_and_make_active")


def choose_metaheuristic(m: Model, params: SolveParams, warm_start: bool) -> str:
    """AUTO: iterated local search when every visit stands alone; guided local search when day
    patterns or pins link visits (ruin-and-recreate rebuilds routes with OR-Tools' filters,
    which do not see those constraints, and stalls: bench/RESULTS.md) or when re-planning
    starts from the published plan (iterated local search cannot start from a given plan)."""
    if params.metaheuristic != AUTO:
        return params.metaheuristic
    if m.linked or warm_start:
        return GUIDED_LOCAL_SEARCH
    return ITERATED_LOCAL_SEARCH


def search_parameters(
    params: SolveParams, metaheuristic: str, m: Model, time_limit_s: float
) -> pywrapcp.DefaultRoutingSearchParameters:
    """OR-Tools search parameters for the chosen metaheuristic and the search's time limit."""
    search = pywrapcp.DefaultRoutingSearchParameters()
    search.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, params.first_solution
    )
    if metaheuristic == ITERATED_LOCAL_SEARCH:
        search.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
        )
        _iterated_local_search(search, _mean_arc_cost(m), len(m.node_stop) - 1)
        for operator in ILS_OFF_OPERATORS:
            setattr(search.local_search_operators, operator, BOOL_FALSE)
        search.use_multi_armed_bandit_concatenate_operators = ILS_BANDIT
    else:
        search.local_search_metaheuristic = getattr(
            routing_enums_pb2.LocalSearchMetaheuristic, metaheuristic
        )
        for operator in REINSERTION_OPERATORS:
            setattr(search.local_search_operators, operator, BOOL_TRUE)
    search.time_limit.FromMilliseconds(max(1, int(time_limit_s * 1000)))
    search.log_search = params.log_search
    return search


def ruin_size(visits: int) -> tuple[int, int]:
    """SISR's average number of visits removed and longest string, for a model's size."""
    removed = min(
        SISR_REMOVED_VISITS[1], max(SISR_REMOVED_VISITS[0], round(SISR_REMOVED_SHARE * visits))
    )
    return removed, min(SISR_MAX_STRING[1], max(SISR_MAX_STRING[0], removed // 2))


def _iterated_local_search(
    search: pywrapcp.DefaultRoutingSearchParameters, mean_arc_cost: float, visits: int
) -> None:
    search.use_iterated_local_search = True
    ils = search.iterated_local_search_parameters
    ils.perturbation_strategy = routing_ils_pb2.PerturbationStrategy.RUIN_AND_RECREATE
    ils.improve_perturbed_solution = IMPROVE_PERTURBED
    ruin_recreate = ils.ruin_recreate_parameters
    del ruin_recreate.ruin_strategies[:]
    sisr = ruin_recreate.ruin_strategies.add().sisr
    sisr.avg_num_removed_visits, sisr.max_removed_sequence_size = ruin_size(visits)
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


def warm_start(
    m: Model, visits: Sequence[PreviousVisit] | None = None
) -> pywrapcp.Assignment | None:
    """A first solution from earlier visits (the published plan's by default), when it is
    still feasible in this model."""
    problem = m.problem
    visits = problem.previous if visits is None else visits
    if not visits:
        return None
    slot_of = {(v.id, day): slot for slot, (v, day) in enumerate(m.slots)}
    routes: list[list[int]] = [[] for _ in m.slots]
    stop_index = {s.id: i for i, s in enumerate(problem.stops)}
    used: dict[int, int] = {}
    for visit in sorted(visits, key=lambda v: (v.date, v.position)):
        index = stop_index.get(visit.stop_id)
        slot = slot_of.get((visit.vehicle_id, (visit.date - problem.start).days))
        copies = m.copies_of(index) if index is not None else []
        if slot is None or used.get(index or 0, 0) >= len(copies) or index is None:
            continue
        routes[slot].append(m.manager.IndexToNode(copies[used.get(index, 0)]))
        used[index] = used.get(index, 0) + 1
    return m.routing.ReadAssignmentFromRoutes(routes, True)
