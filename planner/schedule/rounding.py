"""Clean published times: the solver's minutes on 5-minute steps, kept inside the stop's windows.

Residents read `10:05–10:50`, not the solver's `10:06–10:51`. Each visit is rounded to the
nearest 5-minute step that keeps its service inside the time window it was planned in (the
start moves up instead of down when rounding down would leave the window, the end likewise);
then the visits of one stop share a time where they can: a time one visit rounds to is given
to every other visit of the stop whose window allows it and whose exact times are at most
`TOLERANCE` away, so the same weekday shows the same time every week (and Monday 14:40,
Wednesday 14:42 both read 14:40). Drivers and coordinators keep the exact times.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from planner.core import weekday_key

STEP = dt.timedelta(minutes=5)
TOLERANCE = dt.timedelta(minutes=10)

Window = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class ExactVisit:
    """A visit as planned: service start and end (aware, local) and its day's windows."""

    start: dt.datetime
    end: dt.datetime
    windows: tuple[Window, ...] = ()


Span = tuple[dt.datetime, dt.datetime]


def windows_on(time_windows: Mapping[str, Any], day: dt.date) -> tuple[Window, ...]:
    """A stop's windows (`{"mon": [["07:30", "12:00"]]}`) on a date; unreadable pairs ignored."""
    found = []
    for pair in time_windows.get(weekday_key(day), ()) or ():
        try:
            opens, closes = dt.time.fromisoformat(pair[0]), dt.time.fromisoformat(pair[1])
        except (TypeError, ValueError, IndexError):
            continue
        if opens < closes:
            found.append((opens, closes))
    return tuple(found)


def floor_step(moment: dt.datetime) -> dt.datetime:
    """The 5-minute step at or before `moment`."""
    return moment.replace(minute=moment.minute - moment.minute % 5, second=0, microsecond=0)


def ceil_step(moment: dt.datetime) -> dt.datetime:
    """The 5-minute step at or after `moment`."""
    down = floor_step(moment)
    return down if down == moment else down + STEP


def on_step(moment: dt.datetime) -> bool:
    """Whether `moment` is a clean 5-minute time (`10:05`, not `10:06` or `10:05:30`)."""
    return floor_step(moment) == moment


def _bounds(day: dt.date, window: Window, zone: dt.tzinfo | None) -> Span:
    return dt.datetime.combine(day, window[0], zone), dt.datetime.combine(day, window[1], zone)


def _window_of(visit: ExactVisit) -> Span | None:
    """The window (as datetimes) holding the visit's whole service, if any."""
    for window in visit.windows:
        opens, closes = _bounds(visit.start.date(), window, visit.start.tzinfo)
        if opens <= visit.start and visit.end <= closes:
            return opens, closes
    return None


def _nearest_step(
    moment: dt.datetime, low: dt.datetime | None, high: dt.datetime | None
) -> dt.datetime:
    """The nearer of the steps around `moment` within [low, high] (the nearer one if neither)."""
    down, up = floor_step(moment), ceil_step(moment)
    ordered = (down, up) if moment - down <= up - moment else (up, down)
    for step in ordered:
        if (low is None or step >= low) and (high is None or step <= high):
            return step
    return ordered[0]


def round_visit(visit: ExactVisit) -> Span:
    """The visit on 5-minute steps, inside the window its exact service was in."""
    window = _window_of(visit)
    low, high = window if window is not None else (None, None)
    start = _nearest_step(visit.start, low, high)
    end = _nearest_step(visit.end, start + STEP, high)
    return start, max(end, start + STEP)


def _fits(span: Span, visit: ExactVisit) -> bool:
    """Whether `span` may be published for `visit`: close to it and inside a window if it was."""
    start, end = span
    if abs(start - visit.start) > TOLERANCE or abs(end - visit.end) > TOLERANCE:
        return False
    if _window_of(visit) is None:
        return True
    return any(
        (b := _bounds(visit.start.date(), w, visit.start.tzinfo))[0] <= start and end <= b[1]
        for w in visit.windows
    )


def _on_day(times: tuple[dt.time, dt.time], visit: ExactVisit) -> Span:
    day, zone = visit.start.date(), visit.start.tzinfo
    return dt.datetime.combine(day, times[0], zone), dt.datetime.combine(day, times[1], zone)


def published_spans(visits: Sequence[ExactVisit]) -> list[Span]:
    """One stop's visits as residents read them: rounded, sharing one time where they can.

    Greedy: the clock time (from the visits' own rounded times) that most of the visits not yet
    placed accept wins (ties: the smaller total shift, then the earlier time) and is given to
    them; a visit no shared time fits keeps its own rounded time. Two visits on one day never
    share a time.
    """
    spans = [round_visit(v) for v in visits]
    same_day = [v.start.date() == v.end.date() for v in visits]
    times = sorted({(s.time(), e.time()) for (s, e), ok in zip(spans, same_day, strict=True) if ok})
    left = {i for i, ok in enumerate(same_day) if ok}
    while left:
        best: tuple[int, dt.timedelta, tuple[dt.time, dt.time]] | None = None
        best_members: list[int] = []
        for clock in times:
            members = _members(clock, visits, left)
            if not members:
                continue
            shift = sum(
                (abs(_on_day(clock, visits[i])[0] - visits[i].start) for i in members),
                dt.timedelta(),
            )
            key = (-len(members), shift, clock)
            if best is None or key < best:
                best, best_members = key, members
        if best is None or len(best_members) < 2:
            break
        for i in best_members:
            spans[i] = _on_day(best[2], visits[i])
            left.discard(i)
    return spans


def _members(
    clock: tuple[dt.time, dt.time], visits: Sequence[ExactVisit], left: set[int]
) -> list[int]:
    """The visits still to place that accept `clock`, one per day (the closest)."""
    by_day: dict[dt.date, tuple[dt.timedelta, int]] = {}
    for i in sorted(left):
        span = _on_day(clock, visits[i])
        if not _fits(span, visits[i]):
            continue
        shift = abs(span[0] - visits[i].start) + abs(span[1] - visits[i].end)
        day = visits[i].start.date()
        if day not in by_day or shift < by_day[day][0]:
            by_day[day] = (shift, i)
    return sorted(i for _, i in by_day.values())
