"""Choosing day patterns: when CP-SAT has no answer in its time, the days are still planned."""

from collections import Counter
from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

from planner.routing import PreviousVisit, Problem
from planner.routing.diagnostics import check_problem
from planner.routing.solver.assign import choose_patterns
from tests.factories import problem_on_a_line, stop_spec, van

FRIDAY = 4  # day index from Monday 30 November 2026


def _twelve_stops() -> Problem:
    """Twelve stops once a week, any working day (Mon-Sat), one van."""
    positions = [float(400 * (i + 1)) for i in range(12)]
    return problem_on_a_line(positions, [stop_spec(i + 1) for i in range(12)], [van()])


@pytest.fixture
def cp_sat_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """CP-SAT out of time before its first solution (a short limit on a busy machine)."""
    monkeypatch.setattr(cp_model.CpSolver, "solve", lambda *_args, **_kw: cp_model.UNKNOWN)


@pytest.mark.usefixtures("cp_sat_finds_nothing")
def test_without_a_cp_sat_answer_the_stops_are_spread_over_the_days() -> None:
    problem = _twelve_stops()
    _, options = check_problem(problem)
    assignment = choose_patterns(problem, options, 1.0, 0)
    assert not assignment.optimal
    days = Counter(d for pattern in assignment.patterns.values() for d in pattern or ())
    assert sum(days.values()) == 12  # every stop has a day
    assert sorted(days.values()) == [2] * 6  # two on each of the six working days


@pytest.mark.usefixtures("cp_sat_finds_nothing")
def test_without_a_cp_sat_answer_a_stop_keeps_its_published_day() -> None:
    problem = _twelve_stops()
    kept = PreviousVisit(problem.stops[0].id, problem.date_of(FRIDAY), problem.vehicles[0].id)
    problem = replace(problem, previous=(kept,))
    _, options = check_problem(problem)
    assignment = choose_patterns(problem, options, 1.0, 0)
    assert assignment.patterns[0] == (FRIDAY,)
