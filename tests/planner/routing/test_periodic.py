"""Planning day by day and by repeating a week: what a coordinator sees in the plan."""

import datetime as dt
import time
from dataclasses import replace
from typing import Any

from pytest import MonkeyPatch

from planner.routing import (
    Plan,
    PreviousVisit,
    Problem,
    SolveParams,
    SolveProgress,
    solve,
    validate,
)
from planner.routing.diagnostics import check_problem
from planner.routing.solver import periodic
from planner.routing.solver.days import DayJob, solve_day
from planner.routing.solver.repair import Clock, DayPlan
from planner.routing.timing import DayRoute
from tests.factories import problem_on_a_line, stop_spec, van

DAYS = SolveParams(time_limit_s=3, method="DAYS")
MONDAY, TUESDAY, WEDNESDAY = 0, 1, 2


def _city(stops: int, visits: int = 1, **changes: object) -> Problem:
    positions = [((-1) ** i) * (500 + 700 * i) for i in range(stops)]
    specs = [stop_spec(i + 1, visits=visits) for i in range(stops)]
    return problem_on_a_line(positions, specs, [van(1), van(2, kind="motor")], **changes)


def _checked(problem: Problem, params: SolveParams) -> Plan:
    plan = solve(problem, params)
    assert validate(problem, plan) == []
    return plan


def _slots(plan: Plan, stop_id: int) -> list[tuple[int, int]]:
    return sorted(
        (r.day_index, r.vehicle_id) for r in plan.routes for v in r.visits if v.stop_id == stop_id
    )


def test_a_month_of_weekly_visits_is_the_first_week_repeated() -> None:
    problem = _city(14, visits=4, weeks=4)
    plan = _checked(problem, SolveParams(time_limit_s=2))
    assert plan.visits_planned == 56 and plan.unserved == ()
    for stop in problem.stops:
        slots = _slots(plan, stop.id)
        day, vehicle = slots[0]
        # Same weekday and vehicle every week; residents can rely on "every Tuesday".
        assert slots == [(day + 7 * w, vehicle) for w in range(4)]
    week = [r for r in plan.routes if r.day_index < 7]
    later = [r for r in plan.routes if 21 <= r.day_index < 28]
    assert [(r.vehicle_id, [v.stop_id for v in r.visits]) for r in week] == [
        (r.vehicle_id, [v.stop_id for v in r.visits]) for r in later
    ]
    assert [v.start_s % 86_400 for r in week for v in r.visits] == [
        v.start_s % 86_400 for r in later for v in r.visits
    ]


def test_a_holiday_is_planned_around_day_by_day() -> None:
    holiday = dt.date(2026, 12, 8)  # the Tuesday of week 2
    problem = _city(10, visits=2, weeks=2, holidays=frozenset({holiday}))
    plan = _checked(problem, SolveParams(time_limit_s=3))
    assert plan.visits_planned == 20 and plan.unserved == ()
    assert all(problem.date_of(r.day_index) != holiday for r in plan.routes)


def test_day_by_day_places_every_visit_that_fits_within_the_limit() -> None:
    problem = _city(20, visits=2, weeks=2)
    plan = _checked(problem, DAYS)
    assert plan.status == "ok" and plan.visits_planned == 40 and plan.unserved == ()
    assert plan.solve_seconds <= DAYS.time_limit_s + 3
    for stop in problem.stops:  # two visits a fortnight, at least 5 days apart
        days = [d for d, _ in _slots(plan, stop.id)]
        assert len(days) == 2 and days[1] - days[0] >= 5


def test_day_by_day_keeps_the_published_days_when_re_planning() -> None:
    problem = _city(12, visits=2, weeks=2)
    first = _checked(problem, DAYS)
    previous = tuple(
        PreviousVisit(v.stop_id, problem.date_of(r.day_index), r.vehicle_id, p)
        for r in first.routes
        for p, v in enumerate(r.visits)
    )
    grown = replace(problem, previous=previous)
    second = _checked(grown, DAYS)
    before = {(p.stop_id, (p.date - problem.start).days) for p in previous}
    after = {(v.stop_id, r.day_index) for r in second.routes for v in r.visits}
    assert len(before & after) / len(before) >= 0.9


def test_a_full_day_crowds_visits_out_and_names_the_day() -> None:
    # One van on Mondays only, 07:30-15:30 with lunch: at most 7 stops of 45 minutes fit.
    stops = [stop_spec(i + 1) for i in range(12)]
    problem = problem_on_a_line([100 * (i + 1) for i in range(12)], stops, [van(days=("mon",))])
    plan = _checked(problem, DAYS)
    assert 0 < plan.visits_planned < 12
    left = [u for u in plan.unserved]
    assert left and {u.code for u in left} == {"crowded_out"}
    assert "Senin 30/11" in left[0].reason and "Kendaraan 1" in left[0].reason


def test_nothing_possible_is_no_plan_not_an_empty_one() -> None:
    late = [stop_spec(i + 1, window=(18, 20)) for i in range(5)]
    problem = problem_on_a_line([100 * (i + 1) for i in range(5)], late)
    for method in ("SINGLE", "DAYS"):
        plan = solve(problem, SolveParams(time_limit_s=1, method=method))
        assert plan.status == "no_solution" and plan.routes == ()
        assert {u.stop_id for u in plan.unserved} == {1, 2, 3, 4, 5}
        assert all(u.code == "unreachable" and u.reason for u in plan.unserved)


def test_a_visit_that_still_fits_is_reported_as_not_placed_in_time() -> None:
    from planner.routing.timing import DayRoute
    from planner.routing.unserved import explain_dropped

    problem = _city(6)
    plan = _checked(problem, SolveParams(time_limit_s=1))
    route = plan.routes[0]
    index_of = {s.id: i for i, s in enumerate(problem.stops)}
    kept = [index_of[v.stop_id] for v in route.visits][1:]
    vehicle = next(v for v in problem.vehicles if v.id == route.vehicle_id)
    shorter = DayRoute(problem, vehicle, route.day_index).time(kept)
    assert shorter is not None
    left_out = index_of[route.visits[0].stop_id]
    days = problem.working_day_indexes()
    reason = explain_dropped(problem, [shorter], left_out, 1, days, [(d,) for d in days])
    assert reason.code == "time_limit" and "batas waktu" in reason.reason


def test_a_cancelled_day_by_day_solve_stops_soon_with_what_it_has() -> None:
    reports: list[SolveProgress] = []
    params = replace(
        DAYS,
        time_limit_s=30,
        progress=reports.append,
        # Cancelled while the days are first routed: once the first day's routes are reported.
        should_stop=lambda: len(reports) >= 1,
    )
    problem = _city(16, visits=2, weeks=2)
    plan = _checked(problem, params)
    # Choosing patterns takes a tenth of the limit (3 s); a day's routing only notices a
    # cancel at its own (short) limit, and then no other day is routed.
    assert plan.solve_seconds < 15
    assert reports and plan.visits_planned == reports[-1].visits_planned < 32


def test_days_routed_in_two_worker_processes_make_the_same_kind_of_plan() -> None:
    problem = _city(20, visits=2, weeks=2)
    plan = _checked(problem, replace(DAYS, time_limit_s=6, workers=2))
    assert plan.status == "ok" and plan.visits_planned == 40 and plan.unserved == ()
    assert plan.solve_seconds <= 6 + 3


def test_a_visit_the_last_re_routing_left_out_is_put_back(monkeypatch: MonkeyPatch) -> None:
    # A day re-routed as a whole may take in one stop's missing visit in place of another's,
    # leaving that stop on one of its two days; with room on the day, the plan places it.
    improve = periodic._improve

    def drops_a_visit(plan: DayPlan, *args: Any, **kwargs: Any) -> None:
        improve(plan, *args, **kwargs)
        served = plan.served()
        stop = min(served)
        plan.remove(stop, min(served[stop]))

    monkeypatch.setattr(periodic, "_improve", drops_a_visit)
    problem = _city(10, visits=2, weeks=1)
    plan = _checked(problem, DAYS)
    assert plan.visits_planned == 20 and plan.unserved == ()


def test_a_visit_with_no_other_day_takes_the_room_of_two_that_have_one() -> None:
    # The van carries 10 crates. The school (8 crates) is visited Monday and Tuesday; two
    # posyandu (3 crates each, any day) fill Monday. Moving either one alone does not make room
    # for the school, so insertion cannot place it; re-routing Monday lets the school in and the
    # posyandu go to Wednesday, where the van is empty.
    fleet = [van(1, days=("mon", "tue", "wed"), capacity=10)]
    stops = [
        stop_spec(1, visits=2, patterns=(("mon", "tue"),), crates=8),
        stop_spec(2, crates=3),
        stop_spec(3, crates=3),
    ]
    problem = problem_on_a_line([1000.0, 10_000.0, 10_100.0], stops, fleet)
    plan = DayPlan(problem)
    for day, sequence in ((MONDAY, [1, 2]), (TUESDAY, [0])):
        route = DayRoute(problem, problem.vehicles[0], day).time(sequence)
        assert route is not None
        plan.add([route])
    _, options = check_problem(problem)
    clock = Clock(time.monotonic(), 2.0)
    params = SolveParams(time_limit_s=2.0)
    report = periodic._Reporter(problem, params, clock, options)
    periodic._polish(plan, options, {MONDAY}, params, clock, report, budget_s=0.5)
    periodic._put_back(plan, options, None, clock)
    assert plan.visits() == 4
    assert plan.served() == {0: {MONDAY, TUESDAY}, 1: {WEDNESDAY}, 2: {WEDNESDAY}}


def test_a_small_day_is_routed_briefly_and_a_large_one_for_its_share(
    monkeypatch: MonkeyPatch,
) -> None:
    # A day of eight stops settles in hundredths of a second: it is not searched for the
    # whole share it was given (the rest goes to moving stops between days).
    limits: list[tuple[int, float]] = []

    def spy(problem: Problem, params: SolveParams, first: Any) -> tuple[()]:
        limits.append((len(problem.stops), params.time_limit_s))
        return ()

    for count in (8, 100):
        problem = _city(count)
        solve_day(problem, DayJob(0, tuple(range(count))), replace(DAYS, time_limit_s=4), spy)
    assert [(n, round(limit, 6)) for n, limit in limits] == [(8, 0.064), (100, 4)]
