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
from planner.routing.solver import solve
from planner.routing.validator import validate

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
