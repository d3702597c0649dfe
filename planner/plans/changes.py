"""What publishing a draft changes, visit by visit: added, moved (day, time or vehicle) and
removed per village and stop, against the published plan; and the driver links it replaces.

`diff_visits` is pure (slots in, changes out); `visit_slots` reads a plan's typed view.
"""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from planner.core import WEEKDAYS, weekday_key
from planner.plans.links import VALID_DAYS_AFTER_ROUTE
from planner.plans.view import PlanView

# A visit whose start moves by less than this many minutes, on the same day and vehicle, is
# the same visit for residents (times are re-computed at every re-plan).
TIME_TOLERANCE_MIN = 5


@dataclass(frozen=True)
class VisitSlot:
    """One visit as residents and drivers see it: rotation week and weekday, start, vehicle."""

    stop_id: int
    stop_name: str
    village_code: str
    village: str
    week: int  # 1-based week of the rotation
    weekday: str  # 'mon'..'sun'
    start_min: int  # local minutes after midnight
    vehicle: str

    @property
    def day(self) -> tuple[int, int]:
        """The rotation day, comparable across plans that start on different dates."""
        return self.week, WEEKDAY_ORDER[self.weekday]

    @property
    def start(self) -> str:
        """'08:30'."""
        return f"{self.start_min // 60:02d}:{self.start_min % 60:02d}"


WEEKDAY_ORDER = {key: index for index, key in enumerate(WEEKDAYS)}


@dataclass(frozen=True)
class VisitMove:
    """A visit that stays in the plan but changes day, time or vehicle."""

    before: VisitSlot
    after: VisitSlot

    @property
    def changes(self) -> tuple[str, ...]:
        """Which of 'day', 'time', 'vehicle' changed."""
        found = []
        if self.before.day != self.after.day:
            found.append("day")
        if abs(self.before.start_min - self.after.start_min) >= TIME_TOLERANCE_MIN:
            found.append("time")
        if self.before.vehicle != self.after.vehicle:
            found.append("vehicle")
        return tuple(found)


@dataclass(frozen=True)
class StopChanges:
    """A stop's visits that publishing adds, moves or removes."""

    stop_id: int
    stop_name: str
    village_code: str
    village: str
    added: tuple[VisitSlot, ...]
    moved: tuple[VisitMove, ...]
    removed: tuple[VisitSlot, ...]


@dataclass(frozen=True)
class PlanChanges:
    """What publishing a draft changes against the published plan (None: first publication)."""

    published_id: int | None
    stops: tuple[StopChanges, ...]
    unchanged: int
    weeks: tuple[int, int]  # rotation weeks of the published plan and of the draft

    @property
    def first_publication(self) -> bool:
        """Nothing was published before."""
        return self.published_id is None

    @property
    def added(self) -> int:
        """Visits that are new."""
        return sum(len(s.added) for s in self.stops)

    @property
    def moved(self) -> int:
        """Visits on another day, at another time or with another vehicle."""
        return sum(len(s.moved) for s in self.stops)

    @property
    def removed(self) -> int:
        """Visits that are no longer planned."""
        return sum(len(s.removed) for s in self.stops)

    @property
    def villages(self) -> tuple[tuple[str, tuple[StopChanges, ...]], ...]:
        """The changed stops grouped by village name."""
        groups: dict[str, list[StopChanges]] = defaultdict(list)
        for stop in self.stops:
            groups[stop.village].append(stop)
        return tuple((name, tuple(found)) for name, found in groups.items())


def visit_slots(plan: PlanView) -> tuple[VisitSlot, ...]:
    """Every visit of a plan as a slot of its rotation."""
    return tuple(
        VisitSlot(
            v.stop_id,
            v.stop_name,
            v.village_code,
            v.village,
            (route.date - plan.start).days // 7 + 1,
            weekday_key(route.date),
            v.start.hour * 60 + v.start.minute,
            route.vehicle,
        )
        for route in plan.routes
        for v in route.visits
    )


def _repeat(slots: Sequence[VisitSlot], weeks: int, times: int) -> list[VisitSlot]:
    """A rotation of `weeks` weeks repeated `times` times (to compare with a longer one)."""
    return [replace(s, week=s.week + weeks * n) for n in range(times) for s in slots]


def _take_pairs(
    before: list[VisitSlot], after: list[VisitSlot], same: Callable[[VisitSlot, VisitSlot], bool]
) -> list[tuple[VisitSlot, VisitSlot]]:
    """Pair visits for which `same` holds, closest start first; paired ones leave the lists."""
    candidates = sorted(
        (
            (abs(a.start_min - b.start_min), i, j)
            for i, a in enumerate(before)
            for j, b in enumerate(after)
            if same(a, b)
        ),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _gap, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((before[i], after[j]))
    before[:] = [s for i, s in enumerate(before) if i not in used_a]
    after[:] = [s for j, s in enumerate(after) if j not in used_b]
    return pairs


def _stop_diff(before: list[VisitSlot], after: list[VisitSlot]) -> tuple[int, StopChanges]:
    """Unchanged visits first (same day and vehicle, start within the tolerance), then moves on
    the same day, then moves to another day in rotation order; the rest is added or removed."""
    first = (after or before)[0]
    unchanged = _take_pairs(
        before,
        after,
        lambda a, b: (
            a.day == b.day
            and a.vehicle == b.vehicle
            and abs(a.start_min - b.start_min) < TIME_TOLERANCE_MIN
        ),
    )
    moved = [VisitMove(a, b) for a, b in _take_pairs(before, after, lambda a, b: a.day == b.day)]
    before.sort(key=lambda s: (s.day, s.start_min))
    after.sort(key=lambda s: (s.day, s.start_min))
    count = min(len(before), len(after))
    moved += [VisitMove(a, b) for a, b in zip(before[:count], after[:count], strict=True)]
    change = StopChanges(
        first.stop_id,
        first.stop_name,
        first.village_code,
        first.village,
        tuple(after[count:]),
        tuple(sorted(moved, key=lambda m: (m.after.day, m.after.start_min))),
        tuple(before[count:]),
    )
    return len(unchanged), change


def diff_visits(
    before: Sequence[VisitSlot],
    after: Sequence[VisitSlot],
    weeks: tuple[int, int] = (1, 1),
    published_id: int | None = None,
) -> PlanChanges:
    """What changes for each stop from the `before` visits to the `after` visits.

    Rotations of different lengths are compared over a common length (a one-week rotation
    against a two-week one: the one week twice)."""
    common = math.lcm(*weeks)
    old = _repeat(before, weeks[0], common // weeks[0])
    new = _repeat(after, weeks[1], common // weeks[1])
    by_stop: dict[int, tuple[list[VisitSlot], list[VisitSlot]]] = defaultdict(lambda: ([], []))
    for slot in old:
        by_stop[slot.stop_id][0].append(slot)
    for slot in new:
        by_stop[slot.stop_id][1].append(slot)
    unchanged, stops = 0, []
    for olds, news in by_stop.values():
        same, change = _stop_diff(olds, news)
        unchanged += same
        if change.added or change.moved or change.removed:
            stops.append(change)
    stops.sort(key=lambda s: (s.village, s.stop_name))
    return PlanChanges(published_id, tuple(stops), unchanged, weeks)


def plan_changes(draft: PlanView, published: PlanView | None) -> PlanChanges:
    """What publishing `draft` changes for residents against the `published` plan."""
    if published is None:
        return diff_visits((), visit_slots(draft), (draft.weeks, draft.weeks))
    return diff_visits(
        visit_slots(published), visit_slots(draft), (published.weeks, draft.weeks), published.id
    )


@dataclass(frozen=True)
class ReplacedLink:
    """A driver link (and its printed QR sheet) of the published plan that still opens a route
    today; once another plan is published it shows "this route has been replaced"."""

    route_id: int
    date: dt.date
    vehicle: str
    visits: int


def replaced_links(published: PlanView | None, today: dt.date) -> tuple[ReplacedLink, ...]:
    """The published plan's driver links still valid today, by date and vehicle."""
    if published is None:
        return ()
    return tuple(
        ReplacedLink(r.route_id, r.date, r.vehicle, len(r.visits))
        for r in published.routes
        if r.date + dt.timedelta(days=VALID_DAYS_AFTER_ROUTE) >= today
    )
