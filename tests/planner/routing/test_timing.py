"""Routes timed by hand (used to repair plans) obey the same rules the validator checks."""

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.routing import Plan, validate
from planner.routing.timing import DayRoute
from tests.factories import problem_on_a_line, stop_spec, van

WINDOWS = [(7.5, 11.5), (8, 11), (13, 15.5), (8, 14), (7.5, 15.5)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-9000, 9000), min_size=1, max_size=9),
    st.lists(st.sampled_from(WINDOWS), min_size=9, max_size=9),
    st.integers(0, 5),
)
def test_a_timed_route_passes_the_validator(
    positions: list[int], windows: list[tuple[float, float]], day: int
) -> None:
    stops = [stop_spec(i + 1, window=windows[i]) for i in range(len(positions))]
    problem = problem_on_a_line([float(p) for p in positions], stops, [van()])
    route = DayRoute(problem, problem.vehicles[0], day).time(list(range(len(stops))))
    if route is None:
        return
    plan = Plan(dt.date(2026, 11, 30), 1, "estimate", "uji", "ok", (route,), (), (), 0, 0.0)
    broken = {v.code for v in validate(problem, plan)} - {"count"}
    assert broken == set()
    assert [v.stop_id for v in route.visits] == [s.id for s in stops]


def _cheapest(day_route: DayRoute, sequence: list[int], stop: int) -> tuple[int, int] | None:
    """(extra metres, position) of the cheapest feasible insertion, trying every position."""
    nodes = [0, *(i + 1 for i in sequence), 0]
    m = day_route.distance
    found = [
        (m[nodes[p]][stop + 1] + m[stop + 1][nodes[p + 1]] - m[nodes[p]][nodes[p + 1]], p)
        for p in range(len(nodes) - 1)
        if day_route.time([*sequence[:p], stop, *sequence[p:]]) is not None
    ]
    return min(found, default=None)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(-20000, 20000), min_size=2, max_size=10),
    st.lists(st.sampled_from(WINDOWS), min_size=10, max_size=10),
    st.integers(0, 4),
    st.randoms(use_true_random=False),
)
def test_an_insertion_is_the_cheapest_position_that_keeps_the_route_feasible(
    positions: list[int], windows: list[tuple[float, float]], day: int, rng: random.Random
) -> None:
    # The insertion skips full routes and positions it can rule out early: it must still find
    # exactly the place trying every position finds (a full day gets nothing).
    stops = [stop_spec(i + 1, window=windows[i]) for i in range(len(positions))]
    problem = problem_on_a_line([float(p) for p in positions], stops, [van()])
    day_route = DayRoute(problem, problem.vehicles[0], day)
    sequence = rng.sample(range(len(stops) - 1), rng.randint(0, len(stops) - 1))
    if sequence and day_route.time(sequence) is None:
        return
    new = len(stops) - 1
    found = day_route.best_insertion(sequence, new)
    expected = _cheapest(day_route, sequence, new)
    assert (found and (found.extra_m, found.position)) == expected
    if found is not None:
        assert found.route == day_route.time(
            [*sequence[: found.position], new, *sequence[found.position :]]
        )
