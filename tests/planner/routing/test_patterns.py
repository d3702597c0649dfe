"""Whether a stop's visits can be given days: the quick check agrees with listing the patterns."""

import itertools

from planner.routing import has_day_pattern
from planner.routing.patterns import can_spread, default_patterns


def test_the_quick_spread_check_agrees_with_listing_every_pattern() -> None:
    # Every set of open weekdays, 1-3 week rotations, 1-8 visits.
    for weeks in (1, 2, 3):
        horizon = 7 * weeks
        for size in range(1, 8):
            for weekdays in itertools.combinations(range(7), size):
                candidates = [w * 7 + d for w in range(weeks) for d in weekdays]
                for visits in range(1, 9):
                    listed = bool(default_patterns(candidates, visits, horizon))
                    assert has_day_pattern(candidates, visits, horizon) == listed, (
                        weekdays,
                        weeks,
                        visits,
                    )


def test_mondays_only_fit_one_visit_a_week() -> None:
    mondays = [0, 7, 14]
    assert can_spread(mondays, 3, 21) and not can_spread(mondays[:1], 2, 7)


def test_weekday_patterns_must_divide_the_visits() -> None:
    # Mon+Thu in a two-week rotation: 4 visits fit, 3 do not.
    candidates = [0, 3, 7, 10]
    assert has_day_pattern(candidates, 4, 14, [[0, 3]])
    assert not has_day_pattern(candidates, 3, 14, [[0, 3]])
