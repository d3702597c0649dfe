"""The OR-Tools solver (the only code that imports ortools): `solve(problem, params) -> Plan`.

The model (model.py) makes every visit optional with a demand-weighted penalty, so what cannot
fit is dropped, lowest demand first, and reported with a reason (result.py); search.py chooses
how OR-Tools searches, progress.py reports on the search and cancels it.
"""

import time

from planner.routing.diagnostics import check_problem
from planner.routing.problem import Plan, Problem, SolveParams
from planner.routing.solver.model import build_model
from planner.routing.solver.progress import Progress
from planner.routing.solver.result import plan_of
from planner.routing.solver.search import (
    ITERATED_LOCAL_SEARCH,
    choose_metaheuristic,
    search_parameters,
    warm_start,
)

__all__ = ["solve"]


def solve(problem: Problem, params: SolveParams | None = None) -> Plan:
    """Plan the horizon: routes per vehicle and day, unserved visits with reasons."""
    params = params or SolveParams()
    started = time.monotonic()
    diagnostics, options = check_problem(problem)
    model = build_model(problem, options, params)
    routing = model.routing
    routing.AddAtSolutionCallback(Progress(model, params, started))
    initial = warm_start(model)
    metaheuristic = choose_metaheuristic(model, params, initial is not None)
    search = search_parameters(params, metaheuristic, model)
    if metaheuristic == ITERATED_LOCAL_SEARCH:  # starts afresh even when forced to re-plan
        solution = routing.SolveWithIteratedLocalSearch(search)
    elif initial is not None:
        solution = routing.SolveFromAssignmentWithParameters(initial, search)
    else:
        solution = routing.SolveWithParameters(search)
    return plan_of(model, solution, diagnostics, time.monotonic() - started)
