"""Why a possible visit is not in the plan: no room left, or not placed in the time given.

A visit the input makes impossible is a diagnostic (diagnostics.py). A possible visit that was
left out is "crowded out" when no vehicle allowed at the stop can take it on any day its
pattern still allows (the days and vehicles are named), and "not placed within the time limit"
when one could: a longer search, or planning again, would place it.
"""

from collections.abc import Sequence
from typing import Any

from planner.core import _, day_name
from planner.routing.problem import Problem, RoutePlan, Unserved
from planner.routing.timing import DayRoute

CROWDED_OUT = "crowded_out"
TIME_LIMIT = "time_limit"
NO_SOLUTION = "no_solution"
MAX_NAMED_DAYS = 4


def _day_label(problem: Problem, day: int) -> str:
    date = problem.date_of(day)
    return f"{day_name(date)} {date.day}/{date.month}"


def _named(items: Sequence[str]) -> str:
    shown = ", ".join(items[:MAX_NAMED_DAYS])
    more = len(items) - MAX_NAMED_DAYS
    return _("{days} and {more} other days").format(days=shown, more=more) if more > 0 else shown


def _usable_days(
    served: set[int], candidate_days: Sequence[int], patterns: Sequence[tuple[int, ...]]
) -> list[int]:
    """Days where one more visit keeps the stop's days inside one of its patterns."""
    return [
        d
        for d in candidate_days
        if d not in served and any(served | {d} <= set(p) for p in patterns)
    ]


def explain_dropped(
    problem: Problem,
    routes: Sequence[RoutePlan],
    stop_index: int,
    dropped: int,
    candidate_days: Sequence[int],
    patterns: Sequence[tuple[int, ...]],
) -> Unserved:
    """The reason `dropped` visits of a possible stop are not in the plan made of `routes`."""
    stop = problem.stops[stop_index]
    index_of = {s.id: i for i, s in enumerate(problem.stops)}
    by_slot = {(r.vehicle_id, r.day_index): [index_of[v.stop_id] for v in r.visits] for r in routes}
    served = {r.day_index for r in routes for v in r.visits if v.stop_id == stop.id}
    full: list[str] = []
    full_days: list[dict[str, Any]] = []
    for day in _usable_days(served, candidate_days, patterns):
        vehicles = [
            v
            for v in problem.vehicles
            if v.kind in stop.vehicle_kinds and DayRoute(problem, v, day).shift is not None
        ]
        for vehicle in vehicles:
            sequence = by_slot.get((vehicle.id, day), [])
            if DayRoute(problem, vehicle, day).best_insertion(sequence, stop_index) is not None:
                return Unserved(
                    stop.id,
                    dropped,
                    TIME_LIMIT,
                    _(
                        "not placed within the search's time limit, though it still fits "
                        "(e.g. {day}, {vehicle}); give the search more time and plan again"
                    ).format(day=_day_label(problem, day), vehicle=vehicle.name),
                    {"date": problem.date_of(day).isoformat(), "vehicle": vehicle.name},
                )
        if vehicles:
            names = "/".join(v.name for v in vehicles)
            full.append(f"{_day_label(problem, day)} ({names})")
            vehicle_names = [v.name for v in vehicles]
            full_days.append({"date": problem.date_of(day).isoformat(), "vehicles": vehicle_names})
    where = _named(full) if full else _("every day its visit pattern allows")
    return Unserved(
        stop.id,
        dropped,
        CROWDED_OUT,
        _(
            "does not fit: the vehicles' shifts on {days} are already full of visits with a "
            "higher priority"
        ).format(days=where),
        {"full": full_days},
    )
