"""The OR-Tools solver (the only code that imports ortools): `solve(problem, params) -> Plan`.

Small problems are one routing model over the whole horizon (single.py, model.py); larger ones
are planned day by day (periodic.py): CP-SAT chooses each stop's day pattern, each day is a
small routing model, and visits that did not fit are moved to where they do. Every visit is
optional with a demand-weighted penalty, so what cannot fit is left out, lowest demand first,
and reported with a reason. The time limit covers everything, model building included.
"""

import time
from dataclasses import replace

from planner.routing.diagnostics import StopOptions, check_problem
from planner.routing.problem import (
    Diagnostic,
    Plan,
    PreviousVisit,
    Problem,
    SolveParams,
    SolveProgress,
)
from planner.routing.solver.kinds import kind_choices, kinds_in, one_kind_each
from planner.routing.solver.model import windows_build_s
from planner.routing.solver.periodic import SEED, solve_by_days
from planner.routing.solver.repair import Clock
from planner.routing.solver.result import plan_of
from planner.routing.solver.single import search_model
from planner.routing.solver.weekly import repeat_weeks, template_params, week_template

__all__ = ["choose_method", "solve"]

SINGLE, DAYS, HYBRID, AUTO = "SINGLE", "DAYS", "HYBRID", "AUTO"
HYBRID_DAYS_SHARE = 0.5  # of the limit, for the day-by-day plan the one model starts from
BUILD_SHARE = 0.5  # of the time left, at most, for building HYBRID's one model
# Measured (bench/RESULTS.md): when every visit stands alone (one visit per stop, no pins, no
# published plan to keep), one model searched by iterated local search is best up to this many
# visits. When visits are linked by day patterns, pins or a published plan, a tiny problem is
# one model and a larger one is day by day. (Day by day then one model started from that plan,
# HYBRID, planned the demo week and p02, p05, p08 worse than day by day alone once ruin and
# recreate ran in rounds: it is used only when forced.)
SINGLE_MODEL_MAX_VISITS = 300
LINKED_SINGLE_MAX_VISITS = 12


def choose_method(problem: Problem, options: tuple[StopOptions, ...], params: SolveParams) -> str:
    """SINGLE, DAYS or HYBRID: forced by params, or by the problem's shape."""
    if params.method != AUTO:
        return params.method
    if len({d for o in options for d in o.candidate_days}) <= 1:
        return SINGLE  # one day: the day problem is the whole problem
    visits = sum(problem.stops[o.stop_index].visits for o in options)
    stands_alone = not problem.previous and all(
        problem.stops[o.stop_index].visits <= 1 and not problem.stops[o.stop_index].pins
        for o in options
    )
    if stands_alone:
        return SINGLE if visits <= SINGLE_MODEL_MAX_VISITS else DAYS
    # A stop kept on one vehicle kind (the multi-depot benchmarks) is planned day by day: one
    # model would keep each stop on the kind its first plan gave it, ruin and recreate moves it.
    if visits <= LINKED_SINGLE_MAX_VISITS and not kind_choices(problem, options):
        return SINGLE
    return DAYS


def solve(problem: Problem, params: SolveParams | None = None) -> Plan:
    """Plan the horizon: routes per vehicle and day, unserved visits with reasons."""
    params = _improvements_only(params or SolveParams())
    template = week_template(problem) if params.method == AUTO else None
    if template is not None:
        return repeat_weeks(problem, solve(template, template_params(params, problem.weeks)))
    clock = Clock(time.monotonic(), params.time_limit_s)
    diagnostics, options = check_problem(problem)
    method = choose_method(problem, options, params)
    if method == DAYS:
        return solve_by_days(problem, params, clock, diagnostics, options)
    if method == HYBRID:
        return _hybrid(problem, params, clock, diagnostics, options)
    model, solution = search_model(problem, options, params, clock.started)
    return plan_of(model, solution, diagnostics, clock.elapsed())


def _hybrid(
    problem: Problem,
    params: SolveParams,
    clock: Clock,
    diagnostics: tuple[Diagnostic, ...],
    options: tuple[StopOptions, ...],
) -> Plan:
    """Day by day for part of the limit (less once polishing its days brings nothing), then
    one model started from that plan, which can move visits between days and vehicles at
    once; the better of the two."""
    build_s = windows_build_s(problem, options)
    if build_s > BUILD_SHARE * (1 - HYBRID_DAYS_SHARE) * params.time_limit_s:
        # No time to build the one model: day by day until polishing brings nothing.
        return solve_by_days(problem, params, clock, diagnostics, options, pace=SEED)
    days_clock = Clock(clock.started, HYBRID_DAYS_SHARE * params.time_limit_s)
    by_days = solve_by_days(problem, params, days_clock, diagnostics, options, pace=SEED)
    if params.should_stop is not None and params.should_stop():
        return by_days
    if build_s > BUILD_SHARE * clock.left():
        return by_days  # the one model would not be built in time to search
    choices = kind_choices(problem, options)
    if choices:  # the one model keeps each stop on its kind of the day-by-day plan
        problem = one_kind_each(problem, kinds_in(problem, by_days.routes, choices))
        diagnostics, options = check_problem(problem)
    earlier = [
        PreviousVisit(v.stop_id, problem.date_of(r.day_index), r.vehicle_id, position)
        for r in by_days.routes
        for position, v in enumerate(r.visits)
    ]
    model, solution = search_model(problem, options, params, clock.started, earlier=earlier)
    whole = plan_of(model, solution, diagnostics, clock.elapsed())
    better = (whole.visits_planned, -_metres(whole)) > (by_days.visits_planned, -_metres(by_days))
    return replace(whole if better else by_days, solve_seconds=round(clock.elapsed(), 2))


def _improvements_only(params: SolveParams) -> SolveParams:
    """Progress passed on only when the best plan so far gets better, whichever phase of the
    search found it."""
    report = params.progress
    if report is None:
        return params
    best: list[int] = []

    def better(progress: SolveProgress) -> None:
        if not best or progress.objective < best[0]:
            best[:] = [progress.objective]
            report(progress)

    return replace(params, progress=better)


def _metres(plan: Plan) -> int:
    return sum(r.distance_m for r in plan.routes)
