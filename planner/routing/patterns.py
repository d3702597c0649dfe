"""Which days a stop's visits may fall on: explicit weekday patterns or evenly spread days."""

import itertools
from collections.abc import Sequence

MAX_PATTERNS = 240
MAX_DROPPED_PER_STOP = 2
MAX_PERMUTED_COPIES = 4
SPREAD_SHARE = 2 / 3  # visits at least 2/3 of the even spacing apart (2 a week: >= 2 days)


def min_gap_days(visits: int, horizon_days: int) -> int:
    """Least number of days between two visits of a stop, counted around the rotation."""
    if visits <= 1:
        return 0
    return max(1, round(SPREAD_SHARE * horizon_days / visits))


def _cyclic_ok(days: Sequence[int], gap: int, horizon_days: int) -> bool:
    ordered = sorted(days)
    pairs = zip(ordered, [*ordered[1:], ordered[0] + horizon_days], strict=True)
    return all(b - a >= gap for a, b in pairs)


def _spread(candidates: Sequence[int], visits: int, horizon_days: int) -> list[tuple[int, ...]]:
    gap = min_gap_days(visits, horizon_days)
    found: list[tuple[int, ...]] = []
    for combo in itertools.combinations(candidates, visits):
        if _cyclic_ok(combo, gap, horizon_days):
            found.append(combo)
            if len(found) >= MAX_PATTERNS:
                break
    return found


def _weekly(candidates: Sequence[int], visits: int, weeks: int) -> list[tuple[int, ...]]:
    """Patterns that repeat the same weekdays every week (residents rely on fixed days)."""
    per_week = visits // weeks
    weekdays = sorted({d % 7 for d in candidates})
    chosen = set(candidates)
    found = []
    for combo in _spread(weekdays, per_week, 7):
        days = tuple(sorted(w * 7 + d for w in range(weeks) for d in combo))
        if all(day in chosen for day in days):
            found.append(days)
    return found


def default_patterns(
    candidates: Sequence[int], visits: int, horizon_days: int
) -> list[tuple[int, ...]]:
    """Evenly spread day sets; over several weeks, the same weekdays each week when possible."""
    if visits <= 0:
        return [()]
    if visits == 1:
        return [(d,) for d in candidates]
    weeks = horizon_days // 7
    if weeks > 1 and visits % weeks == 0:
        weekly = _weekly(candidates, visits, weeks)
        if weekly:
            return weekly
    return _spread(candidates, visits, horizon_days)


def explicit_patterns(
    candidates: Sequence[int], visits: int, weekday_sets: Sequence[Sequence[int]]
) -> list[tuple[int, ...]]:
    """Day sets from weekday patterns (e.g. Mon+Thu), repeated each week, of the right size."""
    chosen = set(candidates)
    found = []
    for weekday_set in weekday_sets:
        days = tuple(d for d in sorted(chosen) if d % 7 in set(weekday_set))
        if len(days) == visits:
            found.append(days)
    return found


def can_spread(candidates: Sequence[int], visits: int, horizon_days: int) -> bool:
    """Whether some `visits` of the candidate days are as far apart as default_patterns asks.

    From each start, the earliest days that keep the gap leave the widest gap back to the start
    around the rotation, so trying every start decides it without listing combinations."""
    if visits <= 0:
        return True
    ordered = sorted(candidates)
    gap = min_gap_days(visits, horizon_days)
    for start in ordered:
        picks = [start]
        for day in ordered:
            if len(picks) < visits and day >= picks[-1] + max(gap, 1):
                picks.append(day)
        if len(picks) == visits and start + horizon_days - picks[-1] >= gap:
            return True
    return False


def has_day_pattern(
    candidates: Sequence[int],
    visits: int,
    horizon_days: int,
    weekday_sets: Sequence[Sequence[int]] = (),
) -> bool:
    """Whether the stop's visits can be given days: by one of its weekday patterns when it has
    any, else spread evenly (or the same weekdays each week) as default_patterns would."""
    if weekday_sets:
        return bool(explicit_patterns(candidates, visits, weekday_sets))
    weeks = horizon_days // 7
    if weeks > 1 and visits % weeks == 0 and _weekly(candidates, visits, weeks):
        return True
    return can_spread(candidates, visits, horizon_days)


def partial_assignments(pattern: tuple[int, ...], copies: int) -> list[tuple[int, ...]]:
    """A pattern's days given to the copies, allowing up to two visits (or all) dropped.

    With few copies any copy may take any of the days, so the search can move one visit at a
    time; with many, copy i always takes the pattern's i-th day, to keep the table small.
    """
    rows = [tuple([-1] * copies)]
    for dropped in range(min(MAX_DROPPED_PER_STOP, len(pattern)) + 1):
        for kept in itertools.combinations(pattern, len(pattern) - dropped):
            if not kept:
                continue
            if copies > MAX_PERMUTED_COPIES:
                # Each copy keeps its place in the pattern, so one insertion can bring back
                # a dropped middle-day visit.
                row = [d if d in kept else -1 for d in pattern]
                rows.append(tuple(row) + (-1,) * (copies - len(row)))
                continue
            for places in itertools.permutations(range(copies), len(kept)):
                row = [-1] * copies
                for place, day in zip(places, kept, strict=True):
                    row[place] = day
                rows.append(tuple(row))
    return rows
