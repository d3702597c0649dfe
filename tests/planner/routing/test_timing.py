"""Routes timed by hand (used to repair plans) obey the same rules the validator checks."""

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.routing import Plan, validate
from planner.routing.solver.repair import DayPlan, insert_on
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
    # The repair's insertion finds exactly the place trying every position finds, and nothing
    # on a day the route cannot take the visit.
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


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-20000, 20000), min_size=3, max_size=10),
    st.lists(st.sampled_from(WINDOWS), min_size=10, max_size=10),
    st.randoms(use_true_random=False),
)
def test_a_visit_goes_to_the_vehicle_with_the_cheapest_insertion(
    positions: list[int], windows: list[tuple[float, float]], rng: random.Random
) -> None:
    # The visit lands where trying every vehicle and position puts it (the first on a tie).
    stops = [stop_spec(i + 1, window=windows[i]) for i in range(len(positions))]
    vans = [van(1), van(2), van(3)]
    problem = problem_on_a_line([float(p) for p in positions], stops, vans)
    plan = DayPlan(problem)
    for stop in rng.sample(range(len(stops) - 1), len(stops) - 1):
        vehicle = rng.choice(vans)
        sequence = plan.sequence(vehicle.id, 0)
        route = DayRoute(problem, vehicle, 0).time([*sequence, stop])
        if route is not None:
            plan.add([route])
    new = len(stops) - 1
    found = insert_on(plan, new, 0)
    expected = min(
        (
            (cheapest[0], order, cheapest[1])
            for order, vehicle in enumerate(vans)
            if (
                cheapest := _cheapest(
                    DayRoute(problem, vehicle, 0), plan.sequence(vehicle.id, 0), new
                )
            )
        ),
        default=None,
    )
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert (found.extra_m, found.route.vehicle_id, found.position) == (
        expected[0],
        vans[expected[1]].id,
        expected[2],
    )


def test_on_a_tie_the_first_vehicle_takes_the_visit() -> None:
    problem = problem_on_a_line([5000.0, 7000.0], [stop_spec(1), stop_spec(2)], [van(3), van(1)])
    plan = DayPlan(problem)
    first = insert_on(plan, 0, 0)
    assert first is not None and first.route.vehicle_id == 3
    plan.add([first.route])
    # The second stop lies beyond the first: 4 km more for van 3, 14 km for an empty van 1.
    second = insert_on(plan, 1, 0)
    assert second is not None and (second.route.vehicle_id, second.extra_m) == (3, 4000)
