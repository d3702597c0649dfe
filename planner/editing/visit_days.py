"""Whether a stop's visits can be given days at all: its opening days that are working days,
its visits per rotation and its weekday patterns, for every rotation length the planner offers.

A refusal is a typed value (what is wrong, with the numbers and days); the form says it in the
page's language. Visits from the demand model are decided at planning time and not checked here.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from planner.core import WEEKDAYS
from planner.routing import has_day_pattern

MAX_ROTATION_WEEKS = 4  # the longest rotation the planning form offers

RefusalCode = Literal["not_working_day", "closed_on_working_days", "no_rotation"]


@dataclass(frozen=True)
class DayPatternRefusal:
    """Why a stop's days cannot be met, and under which form field to say it.

    `days` are the offending non-working days (not_working_day, closed_on_working_days) or the
    stop's open working days (no_rotation); `most` is the most visits that fit in the longest
    rotation (no_rotation without patterns)."""

    field: str
    code: RefusalCode
    days: tuple[str, ...]
    visits: int | None = None
    pattern: tuple[str, ...] = ()
    most: int = 0


def _open_working_days(windows: Mapping[str, Any], working_days: Collection[str]) -> list[str]:
    return [day for day in WEEKDAYS if windows.get(day) and day in working_days]


def _candidates(days: Sequence[str], weeks: int) -> list[int]:
    return [week * 7 + WEEKDAYS.index(day) for week in range(weeks) for day in days]


def possible_rotations(
    visits: int,
    patterns: Sequence[Sequence[str]],
    windows: Mapping[str, Any],
    working_days: Collection[str],
) -> tuple[int, ...]:
    """The rotation lengths (weeks) in which `visits` visits can be given days."""
    days = _open_working_days(windows, working_days)
    sets = [[WEEKDAYS.index(day) for day in p] for p in patterns]
    return tuple(
        weeks
        for weeks in range(1, MAX_ROTATION_WEEKS + 1)
        if has_day_pattern(_candidates(days, weeks), visits, 7 * weeks, sets)
    )


def _most_visits(days: Sequence[str]) -> int:
    candidates = _candidates(days, MAX_ROTATION_WEEKS)
    horizon = 7 * MAX_ROTATION_WEEKS
    return next(
        (n for n in range(len(candidates), 0, -1) if has_day_pattern(candidates, n, horizon)), 0
    )


def day_pattern_refusal(
    visits: int | None,
    patterns: Sequence[Sequence[str]],
    windows: Mapping[str, Any],
    working_days: Collection[str],
) -> DayPatternRefusal | None:
    """Why no plan could give this stop its days, or None when some rotation can."""
    for pattern in patterns:
        idle = tuple(day for day in pattern if day not in working_days)
        if idle:
            return DayPatternRefusal(
                "day_patterns", "not_working_day", idle, pattern=tuple(pattern)
            )
    days = _open_working_days(windows, working_days)
    if not days:
        closed = tuple(day for day in WEEKDAYS if windows.get(day))
        return DayPatternRefusal("windows", "closed_on_working_days", closed)
    if visits is None or possible_rotations(visits, patterns, windows, working_days):
        return None
    if patterns:
        return DayPatternRefusal("visits_override", "no_rotation", tuple(days), visits)
    return DayPatternRefusal(
        "visits_override", "no_rotation", tuple(days), visits, most=_most_visits(days)
    )
