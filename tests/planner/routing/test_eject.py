"""Making room on a full day: a visit that fits nowhere takes the place of one that can move."""

import time
from dataclasses import replace

from planner.routing.diagnostics import check_problem
from planner.routing.solver.eject import make_room
from planner.routing.solver.repair import Clock, DayPlan, insert_on
from planner.routing.timing import DayRoute
from tests.factories import problem_on_a_line, stop_spec, van


def _full_monday() -> DayPlan:
    """One van working 08:00-09:40 on Monday and Tuesday: room for two 45-minute visits a
    day. Stops 1 and 2 (open both days) fill Monday; stop 3 is open on Mondays only."""
    shuttle = van(1, days=("mon", "tue"), shift=(8, 9 + 40 / 60))
    stops = [stop_spec(1), stop_spec(2), stop_spec(3)]
    stops[2] = replace(stops[2], windows=stops[2].windows[:1])  # Monday's window only
    problem = problem_on_a_line([300, 600, 900], stops, [shuttle], working_days=("mon", "tue"))
    plan = DayPlan(problem)
    route = DayRoute(problem, shuttle, 0).time([0, 1])
    assert route is not None
    plan.add([route])
    return plan


def test_a_visit_that_fits_nowhere_moves_another_to_its_other_day() -> None:
    plan = _full_monday()
    _, options = check_problem(plan.problem)
    assert insert_on(plan, 2, 0) is None  # Monday is full: insertion alone cannot place it

    touched = make_room(plan, options, Clock(time.monotonic(), 10))

    served = plan.served()
    assert served[2] == {0}  # stop 3 on its only day
    assert len(served[0] | served[1]) == 2 and {len(served[0]), len(served[1])} == {1}
    assert plan.visits() == 3 and touched == {0, 1}
    for route in plan.routes.values():  # every route still ends inside the shift
        assert route.end_s - route.day_index * 86_400 <= (9 * 60 + 40) * 60


def test_nothing_moves_when_the_other_visits_have_nowhere_to_go() -> None:
    plan = _full_monday()
    mondays = tuple(replace(s, windows=s.windows[:1]) for s in plan.problem.stops)
    stuck = DayPlan(replace(plan.problem, stops=mondays))  # every stop open on Mondays only
    stuck.add(plan.routes.values())
    _, options = check_problem(stuck.problem)

    assert make_room(stuck, options, Clock(time.monotonic(), 10)) == set()
    assert stuck.served() == {0: {0}, 1: {0}}  # the plan is left as it was
