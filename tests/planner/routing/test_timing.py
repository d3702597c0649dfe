"""Routes timed by hand (used to repair plans) obey the same rules the validator checks."""

import datetime as dt

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
