"""The Plan read out of a finished search: routes, and every visit left out with its reason."""

from ortools.constraint_solver import pywrapcp

from planner.routing.problem import Diagnostic, Plan, RoutePlan, Unserved
from planner.routing.routes import extract_routes
from planner.routing.solver.model import Model

CROWDED_OUT = (
    "tidak muat: shift kendaraan pada hari-hari yang mungkin sudah terisi kunjungan "
    "berprioritas lebih tinggi"
)
NO_SOLUTION = "solver tidak menemukan rencana dalam batas waktu"


def plan_of(
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
        unserved.extend(_unsolved(model))
        routes: tuple[RoutePlan, ...] = ()
        objective, status = 0, "no_solution"
    else:
        routes = extract_routes(model, solution)
        unserved.extend(_dropped(model, solution))
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


def _unsolved(model: Model) -> list[Unserved]:
    stops = [model.problem.stops[option.stop_index] for option in model.options]
    return [Unserved(stop.id, stop.visits, "no_solution", NO_SOLUTION) for stop in stops]


def _dropped(model: Model, solution: pywrapcp.Assignment) -> list[Unserved]:
    unserved = []
    for option in model.options:
        dropped = sum(
            1
            for index in model.copies_of(option.stop_index)
            if solution.Value(model.routing.NextVar(index)) == index
        )
        if dropped:
            stop = model.problem.stops[option.stop_index]
            unserved.append(Unserved(stop.id, dropped, "crowded_out", CROWDED_OUT))
    return unserved
