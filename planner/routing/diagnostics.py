"""Checks before solving: every input that makes a stop impossible, named, with the cause."""

from dataclasses import dataclass
from typing import Any

from planner.core import WEEKDAYS, _, weekday_key
from planner.routing.patterns import default_patterns, explicit_patterns, min_gap_days
from planner.routing.problem import (
    BreakRule,
    Diagnostic,
    Problem,
    StopSpec,
    VehicleSpec,
)


@dataclass(frozen=True)
class StopOptions:
    """Where a plannable stop's visits may go: candidate days and allowed day patterns."""

    stop_index: int
    candidate_days: tuple[int, ...]
    patterns: tuple[tuple[int, ...], ...]


def _minutes(seconds: int) -> str:
    return _("{minutes} min").format(minutes=f"{seconds / 60:.0f}")


def _push_past_breaks(start_s: int, length_s: int, breaks: tuple[BreakRule, ...]) -> int:
    """The earliest start at or after `start_s` whose interval overlaps no break."""
    moved = True
    while moved:
        moved = False
        for rule in breaks:
            if start_s < rule.window.end_s and rule.window.start_s < start_s + length_s:
                start_s, moved = rule.window.end_s, True
    return start_s


def _break_time_between(a_s: int, b_s: int, breaks: tuple[BreakRule, ...]) -> int:
    return sum(max(0, min(b_s, r.window.end_s) - max(a_s, r.window.start_s)) for r in breaks)


def solo_trip_fits(problem: Problem, stop_index: int, vehicle: VehicleSpec, weekday: str) -> bool:
    """Whether the vehicle alone can leave the depot, serve the stop and be back in its shift."""
    shift = vehicle.shift_on(weekday)
    stop = problem.stops[stop_index]
    if shift is None or vehicle.kind not in stop.vehicle_kinds:
        return False
    matrix = problem.travel[vehicle.kind].duration_s
    out_s, back_s = matrix[0][stop_index + 1], matrix[stop_index + 1][0]
    breaks = vehicle.breaks_on(weekday)
    arrival = shift.start_s + out_s
    arrival += _break_time_between(shift.start_s, arrival, breaks)  # a break during the drive
    for window in stop.windows_on(weekday):
        start = _push_past_breaks(max(arrival, window.start_s), stop.service_s, breaks)
        end = start + stop.service_s
        home = end + back_s + _break_time_between(end, end + back_s, breaks)
        if end <= window.end_s and home <= shift.end_s:
            return True
    return False


def _candidate_days(problem: Problem, stop_index: int) -> tuple[int, ...]:
    return tuple(
        d
        for d in problem.working_day_indexes()
        if any(
            solo_trip_fits(problem, stop_index, v, weekday_key(problem.date_of(d)))
            for v in problem.vehicles
        )
    )


# A problem's code, its sentence (planner's language) and the values a screen needs to say it again.
Found = tuple[str, str, dict[str, Any]]


def _static_problem(problem: Problem, stop: StopSpec) -> Found | None:
    fleet = sorted({v.kind for v in problem.vehicles})
    if not stop.vehicle_kinds & set(fleet):
        allowed = ", ".join(sorted(stop.vehicle_kinds)) or _("none")
        return (
            "no_vehicle",
            _("no vehicle may go to this point (allowed: {allowed}; fleet: {fleet})").format(
                allowed=allowed, fleet=", ".join(fleet) or _("empty")
            ),
            {"allowed": sorted(stop.vehicle_kinds), "fleet": fleet},
        )
    windows = [w for _day, day_windows in stop.windows for w in day_windows]
    if not windows:
        return "no_window", _("has no time window on any day"), {}
    longest = max(w.duration_s for w in windows)
    if longest < stop.service_s:
        return (
            "window_too_short",
            _(
                "its longest time window, {longest}, is shorter than its service time, {service}"
            ).format(longest=_minutes(longest), service=_minutes(stop.service_s)),
            {"longest_min": round(longest / 60), "service_min": round(stop.service_s / 60)},
        )
    return None


def _patterns(problem: Problem, stop: StopSpec, days: tuple[int, ...]) -> list[tuple[int, ...]]:
    if stop.patterns:
        offsets = [
            [(WEEKDAYS.index(w) - problem.start.weekday()) % 7 for w in pattern]
            for pattern in stop.patterns
        ]
        return explicit_patterns(days, stop.visits, offsets)
    return default_patterns(days, stop.visits, problem.horizon_days)


def _pin_problem(problem: Problem, stop: StopSpec, days: tuple[int, ...]) -> Found | None:
    vehicle_ids = {v.id for v in problem.vehicles}
    for pin in stop.pins:
        if pin.vehicle_id is not None and pin.vehicle_id not in vehicle_ids:
            message = _("pinned to vehicle #{id}, which does not exist").format(id=pin.vehicle_id)
            return "pin_impossible", message, {"vehicle_id": pin.vehicle_id}
        if pin.date is not None:
            day = (pin.date - problem.start).days
            if day not in days:
                message = _("pinned to {date}, a day that is impossible for this point").format(
                    date=pin.date.isoformat()
                )
                return "pin_impossible", message, {"date": pin.date.isoformat()}
    return None


def _diagnose_stop(problem: Problem, index: int) -> tuple[Diagnostic | None, StopOptions | None]:
    stop = problem.stops[index]

    def fail(code: str, message: str, params: dict[str, Any]) -> tuple[Diagnostic, None]:
        return Diagnostic(stop.id, stop.name, code, message, params), None

    static = _static_problem(problem, stop)
    if static is not None:
        return fail(*static)
    days = _candidate_days(problem, index)
    if not days:
        return fail(
            "unreachable",
            _(
                "cannot be reached within any shift: the round trip, breaks and {service} of "
                "service do not fit in its time windows"
            ).format(service=_minutes(stop.service_s)),
            {"service_min": round(stop.service_s / 60)},
        )
    if stop.visits > len(days):
        return fail(
            "too_many_visits",
            _("needs {visits} visits but only {days} days are possible").format(
                visits=stop.visits, days=len(days)
            ),
            {"visits": stop.visits, "days": len(days)},
        )
    patterns = _patterns(problem, stop, days)
    if not patterns:
        gap = min_gap_days(stop.visits, problem.horizon_days)
        return fail(
            "no_pattern",
            (
                _("no day pattern for {visits} visits that follows the given patterns")
                if stop.patterns
                else _("no day pattern for {visits} visits at least {gap} days apart")
            ).format(visits=stop.visits, gap=gap),
            {"visits": stop.visits, "gap_days": None if stop.patterns else gap},
        )
    pin = _pin_problem(problem, stop, days)
    if pin is not None:
        return fail(*pin)
    return None, StopOptions(index, days, tuple(patterns))


def check_problem(problem: Problem) -> tuple[tuple[Diagnostic, ...], tuple[StopOptions, ...]]:
    """Diagnostics for impossible stops, and the options of every stop that can be planned."""
    diagnostics, options = [], []
    for index, stop in enumerate(problem.stops):
        if stop.visits == 0:
            continue
        diagnostic, option = _diagnose_stop(problem, index)
        if diagnostic is not None:
            diagnostics.append(diagnostic)
        if option is not None:
            options.append(option)
    return tuple(diagnostics), tuple(options)
