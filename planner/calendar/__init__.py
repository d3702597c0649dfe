"""Days without service: national holidays and cuti bersama, and the library's closed days."""

from planner.calendar.closed import (
    REASON_MAX,
    ClosedDayTakenError,
    add_closed_day,
    closed_days,
    days_off,
    library_closed_days,
    period_days_off,
    planning_holidays,
    remove_closed_day,
    working_days_off,
)
from planner.calendar.national import DayOff, DayOffKind, national_days_off

__all__ = [
    "REASON_MAX",
    "ClosedDayTakenError",
    "DayOff",
    "DayOffKind",
    "add_closed_day",
    "closed_days",
    "days_off",
    "library_closed_days",
    "national_days_off",
    "period_days_off",
    "planning_holidays",
    "remove_closed_day",
    "working_days_off",
]
