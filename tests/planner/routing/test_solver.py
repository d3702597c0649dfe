"""The route planner on tiny hand-built instances whose answer is known; every plan validated."""

import datetime as dt
import random
from dataclasses import replace
from itertools import pairwise

import pytest

from planner.routing import (
    Pin,
    Plan,
    PreviousVisit,
    Problem,
    SolveParams,
    SolveProgress,
    min_gap_days,
    solve,
    validate,
)
from tests.factories import HOUR_S, hours, problem_on_a_line, stop_spec, van

QUICK = SolveParams(time_limit_s=1)


def _solve(problem: Problem, params: SolveParams = QUICK) -> Plan:
    plan = solve(problem, params)
    assert validate(problem, plan) == []
    return plan


def _days(plan: Plan, stop_id: int) -> list[int]:
    return sorted(r.day_index for r in plan.routes for v in r.visits if v.stop_id == stop_id)


def _order(plan: Plan) -> list[int]:
    return [v.stop_id for r in plan.routes for v in r.visits]


def test_line_of_stops_is_driven_out_and_back() -> None:
    #   -1000   depot   1000   2000        one van, Monday only, open all day
    #     C ----- 0 ----- A ----- B        optimum: 2 x 1000 + 2 x 2000 = 6000 m
    stops = [stop_spec(1), stop_spec(2), stop_spec(3)]
    problem = problem_on_a_line([1000, 2000, -1000], stops, [van(days=("mon",))])
    plan = _solve(problem)
    assert plan.unserved == ()
    assert [r.distance_m for r in plan.routes] == [6000]


def test_time_windows_force_a_zigzag() -> None:
    #   C(-2000) 11:00-12:00   A(-1000) 08:00-09:00   depot 0   B(+1000) 09:30-10:30
    #   windows force A, B, C: 1000 + 2000 + 3000 + 2000 = 8000 m (6000 m without them)
    stops = [
        stop_spec(1, window=(8, 9)),
        stop_spec(2, window=(9.5, 10.5)),
        stop_spec(3, window=(11, 12)),
    ]
    problem = problem_on_a_line([-1000, 1000, -2000], stops, [van(days=("mon",))])
    plan = _solve(problem)
    assert _order(plan) == [1, 2, 3]
    assert plan.routes[0].distance_m == 8000


@pytest.mark.parametrize("visits", [2, 3])
def test_repeat_visits_fall_on_well_spread_days(visits: int) -> None:
    problem = problem_on_a_line([1500], [stop_spec(1, visits=visits)])
    plan = _solve(problem)
    days = _days(plan, 1)
    assert len(days) == visits == len(set(days))
    gaps = [b - a for a, b in zip(days, [*days[1:], days[0] + 7], strict=True)]
    assert min(gaps) >= 2 == min_gap_days(visits, 7)


def test_explicit_pattern_is_followed() -> None:
    stop = stop_spec(1, visits=2, patterns=(("tue", "fri"),))
    plan = _solve(problem_on_a_line([1500], [stop]))
    assert _days(plan, 1) == [1, 4]  # Tuesday and Friday of the week starting Monday


def test_friday_service_avoids_the_prayer_break() -> None:
    # Open only on Friday 10:30-13:30 for 60 minutes; prayer 11:30-13:00 leaves 10:30-11:30.
    friday_only = stop_spec(1, service_s=HOUR_S, windows=(("fri", (hours(10.5, 13.5),)),))
    plan = _solve(problem_on_a_line([1200], [friday_only]))
    route = plan.routes[0]
    visit = route.visits[0]
    assert route.day_index == 4
    assert (visit.start_s - 4 * 86400, visit.departure_s - 4 * 86400) == (
        10.5 * HOUR_S,
        11.5 * HOUR_S,
    )
    assert [b.name for b in route.breaks] == ["Istirahat salat Jumat"]


def test_a_visit_that_cannot_avoid_the_break_is_diagnosed() -> None:
    too_long = stop_spec(1, service_s=90 * 60, windows=(("fri", (hours(10.5, 13.5),)),))
    plan = _solve(problem_on_a_line([1200], [too_long]))
    assert plan.routes == ()
    assert [(u.stop_id, u.code) for u in plan.unserved] == [(1, "unreachable")]
    assert plan.diagnostics[0].stop_name == "Titik 1"


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (
            {"windows": (("mon", (hours(8, 8.5),)),)},
            "window_too_short",
            "lebih pendek dari lama layanan",
        ),
        ({"vehicle_kinds": frozenset({"motor"})}, "no_vehicle", "tidak ada kendaraan"),
        (
            {"visits": 2, "windows": (("mon", (hours(8, 15),)),)},
            "too_many_visits",
            "butuh 2 kunjungan",
        ),
        ({"windows": ()}, "no_window", "tidak punya jendela waktu"),
        ({"pins": (Pin(date=dt.date(2026, 12, 6)),)}, "pin_impossible", "disematkan"),
    ],
)
def test_impossible_inputs_are_named_with_their_cause(change: dict, code: str, words: str) -> None:  # type: ignore[type-arg]
    bad = replace(stop_spec(2), **change)
    plan = _solve(problem_on_a_line([1000, 1500], [stop_spec(1), bad]))
    assert [(d.stop_id, d.code) for d in plan.diagnostics] == [(2, code)]
    assert words in plan.diagnostics[0].message
    assert [u.stop_id for u in plan.unserved] == [2]
    assert _days(plan, 1)  # the possible stop is still planned


def test_a_stop_too_far_for_any_shift_is_unreachable() -> None:
    plan = _solve(problem_on_a_line([1000, 200_000], [stop_spec(1), stop_spec(2)]))
    assert [(d.stop_id, d.code) for d in plan.diagnostics] == [(2, "unreachable")]


def test_when_the_day_is_full_the_lowest_demand_visit_is_left_out() -> None:
    # 08:00-10:00 holds two 50-minute visits; three compete, the cheapest to drop goes.
    stops = [
        stop_spec(1, service_s=50 * 60, penalty=300_000),
        stop_spec(2, service_s=50 * 60, penalty=100_000),
        stop_spec(3, service_s=50 * 60, penalty=200_000),
    ]
    problem = problem_on_a_line([500, 600, 700], stops, [van(days=("mon",), shift=(8, 10))])
    plan = _solve(problem)
    assert sorted(_order(plan)) == [1, 3]
    assert [(u.stop_id, u.code) for u in plan.unserved] == [(2, "crowded_out")]
    assert "prioritas lebih tinggi" in plan.unserved[0].reason


def test_crate_capacity_limits_a_route() -> None:
    stops = [stop_spec(i, crates=1, penalty=100_000 * i) for i in (1, 2, 3)]
    problem = problem_on_a_line([500, 600, 700], stops, [van(days=("mon",), capacity=2)])
    plan = _solve(problem)
    assert len(_order(plan)) == 2 and [u.stop_id for u in plan.unserved] == [1]


def test_pins_put_a_visit_on_the_chosen_day_and_vehicle() -> None:
    stop = stop_spec(1, pins=(Pin(date=dt.date(2026, 12, 3), vehicle_id=2),))
    problem = problem_on_a_line([800], [stop], [van(1), van(2)])
    plan = _solve(problem)
    assert [(r.day_index, r.vehicle_id) for r in plan.routes] == [(3, 2)]


def _city(seed: int, count: int) -> tuple[list[float], list]:  # type: ignore[type-arg]
    rng = random.Random(seed)
    positions = [rng.uniform(-15_000, 15_000) for _ in range(count)]
    stops = [stop_spec(i + 1, visits=rng.choice((1, 1, 2))) for i in range(count)]
    return positions, stops


def test_replanning_after_adding_a_stop_keeps_residents_days() -> None:
    positions, stops = _city(7, 14)
    fleet = [van(1), van(2, kind="motor")]
    first = _solve(problem_on_a_line(positions, stops, fleet), SolveParams(time_limit_s=2))
    previous = tuple(
        PreviousVisit(
            v.stop_id, dt.date(2026, 11, 30) + dt.timedelta(days=r.day_index), r.vehicle_id, i
        )
        for r in first.routes
        for i, v in enumerate(r.visits)
    )
    grown = problem_on_a_line([*positions, 2500], [*stops, stop_spec(99)], fleet, previous=previous)
    second = _solve(grown, SolveParams(time_limit_s=2))
    before = {(p.stop_id, (p.date - dt.date(2026, 11, 30)).days, p.vehicle_id) for p in previous}
    after = {(v.stop_id, r.day_index, r.vehicle_id) for r in second.routes for v in r.visits}
    kept = len(before & after) / len(before)
    assert kept >= 0.9
    assert 99 in _order(second)


def test_progress_is_reported_and_the_limit_respected() -> None:
    positions, stops = _city(3, 12)
    reports: list[SolveProgress] = []
    params = SolveParams(time_limit_s=1, progress=reports.append)
    plan = _solve(problem_on_a_line(positions, stops), params)
    seen = [(r.elapsed_s, r.objective) for r in reports]
    assert seen and seen[-1][0] <= 3
    # The last report is the plan returned, in the coordinator's terms.
    assert reports[-1].visits_planned == plan.visits_planned == reports[-1].visits_required
    assert reports[-1].distance_m == sum(r.distance_m for r in plan.routes)
    assert plan.solve_seconds <= 3
    elapsed, costs = [e for e, _ in seen], [c for _, c in seen]
    assert elapsed == sorted(elapsed)
    # Only improvements are reported: each cost below the one before, the search found at
    # least one after its first solution, and the last one reported is the plan returned.
    assert all(later < earlier for earlier, later in pairwise(costs)), costs
    assert len(costs) >= 2 and costs[-1] == plan.objective


def test_same_input_same_plan() -> None:
    positions, stops = _city(5, 6)
    problem = problem_on_a_line(positions, stops)
    first, second = _solve(problem), _solve(problem)
    assert first.routes == second.routes and first.objective == second.objective


def test_validator_catches_broken_plans() -> None:
    problem = problem_on_a_line([1000], [stop_spec(1, visits=2)])
    plan = _solve(problem)
    route = plan.routes[0]
    late = replace(route.visits[0], start_s=route.visits[0].start_s + 9 * HOUR_S)
    broken = replace(plan, routes=(replace(route, visits=(late,)), *plan.routes[1:]))
    codes = {v.code for v in validate(problem, broken)}
    assert {"window", "service"} <= codes
    same_day = replace(plan, routes=(route, replace(plan.routes[1], day_index=route.day_index + 1)))
    assert "pattern" in {v.code for v in validate(problem, same_day)}
    assert "count" in {v.code for v in validate(problem, replace(plan, routes=plan.routes[:1]))}


def test_many_visits_keep_their_place_in_the_pattern() -> None:
    from planner.routing import partial_assignments

    pattern = (0, 1, 2, 4, 5)
    rows = partial_assignments(pattern, 5)
    assert (-1, 1, 2, 4, 5) in rows  # Monday dropped: the others stay in their columns
    assert all(day in (-1, pattern[i]) for row in rows for i, day in enumerate(row))


def test_a_stop_visited_every_working_day_gets_all_its_visits() -> None:
    plan = _solve(problem_on_a_line([900, 1500], [stop_spec(1, visits=6), stop_spec(2, visits=5)]))
    assert _days(plan, 1) == [0, 1, 2, 3, 4, 5]
    assert len(_days(plan, 2)) == 5 and plan.unserved == ()


@pytest.mark.parametrize("visits", [1, 2])
def test_a_cancelled_solve_returns_the_best_plan_found_so_far(visits: int) -> None:
    # One visit per stop runs iterated local search (it returns at its time limit); two visits
    # per stop link the copies by day patterns and run guided local search (it returns at once).
    positions, stops = _city(7, 8)
    stops = [replace(s, visits=visits) for s in stops]
    reports: list[int] = []
    limit = 2 if visits == 1 else 30
    params = SolveParams(
        time_limit_s=limit,
        progress=lambda report: reports.append(report.objective),
        should_stop=lambda: bool(reports),
        method="SINGLE",  # one model; a cancel day by day: test_periodic.py
    )
    plan = _solve(problem_on_a_line(positions, stops), params)
    assert plan.status == "ok" and plan.unserved == ()
    assert sum(len(r.visits) for r in plan.routes) == 8 * visits
    assert reports == [plan.objective]  # no improvement after the cancel; that plan came back
    assert plan.solve_seconds < (limit + 2 if visits == 1 else 10)
