from planner.routing.diagnostics import check_problem
from planner.routing.patterns import (
    MAX_DROPPED_PER_STOP,
    has_day_pattern,
    min_gap_days,
    partial_assignments,
)
from planner.routing.problem import (
    SECONDS_PER_DAY,
    BreakRule,
    Depot,
    Pin,
    Plan,
    PlannedVisit,
    PreviousVisit,
    Problem,
    RoutePlan,
    SolveParams,
    SolveProgress,
    StopSpec,
    Unserved,
    VehicleSpec,
    Window,
)
from planner.routing.validator import validate


def solve(problem: Problem, params: SolveParams | None = None) -> Plan:
    """Plan the horizon: routes per vehicle and day, unserved visits with reasons.

    OR-Tools (with pandas and numpy, about 100 MB) is imported on the first solve, so the code
    that only reads plans (a survey import, the pages, the CLI) does not load it."""
    from planner.routing.solver import solve as solve_with_ortools  # noqa: PLC0415

    return solve_with_ortools(problem, params)


__all__ = [
    "BreakRule",
    "Depot",
    "MAX_DROPPED_PER_STOP",
    "Pin",
    "Plan",
    "PlannedVisit",
    "PreviousVisit",
    "Problem",
    "RoutePlan",
    "SECONDS_PER_DAY",
    "SolveParams",
    "SolveProgress",
    "StopSpec",
    "Unserved",
    "VehicleSpec",
    "Window",
    "check_problem",
    "has_day_pattern",
    "min_gap_days",
    "partial_assignments",
    "solve",
    "validate",
]
