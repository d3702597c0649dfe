"""The OR-Tools solver (the only code that imports ortools): `solve(problem, params) -> Plan`.

Small problems are one routing model over the whole horizon (single.py, model.py); larger ones
are planned day by day (periodic.py): CP-SAT chooses each stop's day pattern, each day is a
small routing model, and visits that did not fit are moved to where they do. Every visit is
optional with a demand-weighted penalty, so what cannot fit is left out, lowest demand first,
and reported with a reason. The time limit covers everything, model building included.
"""

import time

from planner.routing.diagnostics import StopOptions, check_problem
from planner.routing.problem import Plan, Problem, SolveParams
from planner.routing.solver.periodic import solve_by_days
from planner.routing.solver.repair import Clock
from planner.routing.solver.result import plan_of
from planner.routing.solver.single import search_model
from planner.routing.solver.weekly import repeat_weeks, template_params, week_template

__all__ = ["choose_method", "solve"]

SINGLE, DAYS, AUTO = "SINGLE", "DAYS", "AUTO"
# Measured (bench/RESULTS.md): when every visit stands alone (one visit per stop, no pins, no
# published plan to keep), one model searched by iterated local search is best up to this many
# visits; when visits are linked by day patterns or pins, day by day is better from this many.
SINGLE_MODEL_MAX_VISITS = 300
LINKED_SINGLE_MAX_VISITS = 12


def choose_method(problem: Problem, options: tuple[StopOptions, ...], params: SolveParams) -> str:
    """SINGLE (one model) or DAYS (day by day): forced by params, or by the problem's shape."""
    if params.method != AUTO:
        return params.method
    if len({d for o in options for d in o.candidate_days}) <= 1:
        return SINGLE  # one day: the day problem is the whole problem
    visits = sum(problem.stops[o.stop_index].visits for o in options)
    stands_alone = not problem.previous and all(
        problem.stops[o.stop_index].visits <= 1 and not problem.stops[o.stop_index].pins
        for o in options
    )
    limit = SINGLE_MODEL_MAX_VISITS if stands_alone else LINKED_SINGLE_MAX_VISITS
    return SINGLE if visits <= limit else DAYS


def solve(problem: Problem, params: SolveParams | None = None) -> Plan:
    """Plan the horizon: routes per vehicle and day, unserved visits with reasons."""
    params = params or SolveParams()
    template = week_template(problem) if params.method == AUTO else None
    if template is not None:
        return repeat_weeks(problem, solve(template, template_params(params, problem.weeks)))
    clock = Clock(time.monotonic(), params.time_limit_s)
    diagnostics, options = check_problem(problem)
    if choose_method(problem, options, params) == DAYS:
        return solve_by_days(problem, params, clock, diagnostics, options)
    model, solution = search_model(problem, options, params, clock.started)
    return plan_of(model, solution, diagnostics, clock.elapsed())
