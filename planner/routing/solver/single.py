"""One OR-Tools routing model for the whole horizon (small problems), or for one day."""

import time
from collections.abc import Sequence

from ortools.constraint_solver import pywrapcp

from planner.routing.diagnostics import StopOptions, check_problem
from planner.routing.problem import PreviousVisit, Problem, RoutePlan, SolveParams
from planner.routing.routes import extract_routes
from planner.routing.solver.model import Model, build_model
from planner.routing.solver.progress import Progress
from planner.routing.solver.search import (
    ITERATED_LOCAL_SEARCH,
    choose_metaheuristic,
    search_parameters,
    warm_start,
)

MIN_SEARCH_S = 0.05


def search_model(
    problem: Problem,
    options: tuple[StopOptions, ...],
    params: SolveParams,
    started: float,
    first: Sequence[Sequence[int]] | None = None,
    earlier: Sequence[PreviousVisit] | None = None,
) -> tuple[Model, pywrapcp.Assignment | None]:
    """Build and search the model; the search gets what is left of the time limit after
    building. A first solution to start from: `first` (each routing vehicle's stop indexes),
    or `earlier` visits (by default the published plan's)."""
    model = build_model(problem, options, params)
    routing = model.routing
    routing.AddAtSolutionCallback(Progress(model, params, started))
    initial = _read_first(model, first) if first is not None else warm_start(model, earlier)
    metaheuristic = choose_metaheuristic(model, params, initial is not None)
    remaining = params.time_limit_s - (time.monotonic() - started)
    search = search_parameters(params, metaheuristic, model, max(MIN_SEARCH_S, remaining))
    if metaheuristic == ITERATED_LOCAL_SEARCH:  # starts afresh even when forced to re-plan
        solution = routing.SolveWithIteratedLocalSearch(search)
    elif initial is not None:
        solution = routing.SolveFromAssignmentWithParameters(initial, search)
    else:
        solution = routing.SolveWithParameters(search)
    return model, solution


def _read_first(model: Model, first: Sequence[Sequence[int]]) -> pywrapcp.Assignment | None:
    """Routes given by stop index (one visit per stop) as a routing assignment."""
    node_of = {stop: model.manager.IndexToNode(c[0]) for stop, c in model.copies.items()}
    routes = [[node_of[i] for i in route if i in node_of] for route in first]
    routes += [[] for _ in range(len(model.slots) - len(routes))]
    return model.routing.ReadAssignmentFromRoutes(routes, True)


def route_one_day(
    problem: Problem, params: SolveParams, first: list[list[int]] | None
) -> tuple[RoutePlan, ...]:
    """The routes of a one-day problem (days.day_problem), searched within params' limit."""
    started = time.monotonic()
    _, options = check_problem(problem)
    if not options:
        return ()
    model, solution = search_model(problem, options, params, started, first)
    return () if solution is None else extract_routes(model, solution)
