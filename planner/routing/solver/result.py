"""The Plan read out of a finished search: routes, and every visit left out with its reason."""

from ortools.constraint_solver import pywrapcp

from planner.core import N_, _
from planner.routing.problem import Diagnostic, Plan, RoutePlan, Unserved
from planner.routing.routes import extract_routes
from planner.routing.solver.model import Model
from planner.routing.unserved import NO_SOLUTION, explain_dropped

NO_SOLUTION_REASON = N_("the solver found no plan within the time limit")


def plan_of(
    model: Model,
    solution: pywrapcp.Assignment | None,
    diagnostics: tuple[Diagnostic, ...],
    elapsed: float,
) -> Plan:
    """The Plan: routes, then every visit left out with its reason. A search that placed no
    visit while visits were required has no plan ("no_solution"), never an empty one."""
    problem = model.problem
    visits_of = {s.id: s.visits for s in problem.stops}
    unserved = [
        Unserved(d.stop_id, visits_of[d.stop_id], d.code, d.message, d.params) for d in diagnostics
    ]
    routes: tuple[RoutePlan, ...] = ()
    objective = 0
    if solution is not None:
        routes = extract_routes(model, solution)
        objective = solution.ObjectiveValue()
    if solution is not None:
        unserved.extend(_dropped(model, solution, routes))
    else:
        unserved.extend(_unsolved(model))
    required = sum(s.visits for s in problem.stops)
    status = "ok" if routes or not required else "no_solution"
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


def _unsolved(model: Model) -> list[Unserved]:
    stops = [model.problem.stops[option.stop_index] for option in model.options]
    reason = _(NO_SOLUTION_REASON)
    return [Unserved(stop.id, stop.visits, NO_SOLUTION, reason) for stop in stops]


def _dropped(
    model: Model, solution: pywrapcp.Assignment, routes: tuple[RoutePlan, ...]
) -> list[Unserved]:
    unserved = []
    for option in model.options:
        dropped = sum(
            1
            for index in model.copies_of(option.stop_index)
            if solution.Value(model.routing.NextVar(index)) == index
        )
        if dropped:
            unserved.append(
                explain_dropped(
                    model.problem,
                    routes,
                    option.stop_index,
                    dropped,
                    option.candidate_days,
                    option.patterns,
                )
            )
    return unserved
