"""Priority, visits per rotation and the factors that explain them on a hand-built city."""

import pytest

from planner.demand import DemandParams, VillageInfo, estimate_demand
from tests.planner.demand.helpers import answers, small_city


def test_hand_built_city_attendance_priority_and_visits() -> None:
    result = estimate_demand(*small_city())
    a, b, c = result.villages
    # Interest: A (6 + 10)/22, B (6 + 5)/22, C (6 + 0)/22
    assert [v.interest_rate for v in (a, b, c)] == pytest.approx([16 / 22, 0.5, 6 / 22])
    assert (a.raw_interest_rate, c.raw_interest_rate) == (1.0, 0.0)
    # Attendance = population * 0.004 * rate * (1 + 0.5 * min(km / 10, 1)) * 1 (equal TGM)
    # A: 80 * 0.7273 * 1 = 58.18; B: 80 * 0.5 * 1.25 = 50; C: 200 * 0.2727 * 1.5 = 81.8 -> cap 80
    assert [v.model_attendance for v in (a, b, c)] == pytest.approx([58.1818, 50.0, 80.0])
    assert c.expected_attendance == 80.0
    # literacy need = 1 - 0.6560 = 0.3440 -> 15 * 0.3440 = 5.16 points for everyone
    # A: 45 * 58.18/80 + 20 * 0.7273 + 20 * 0       + 5.16 = 52.43
    # B: 45 * 50/80    + 20 * 0.5    + 20 * 0.5     + 5.16 = 53.29
    # C: 45 * 1        + 20 * 0.2727 + 20 * (0.7 * 1 + 0.3 * 30/60) + 5.16 = 72.62
    assert [v.priority for v in (a, b, c)] == pytest.approx([52.43, 53.29, 72.62], abs=0.01)
    # tiers: >= 60 -> 3 a week, >= 35 -> 2
    assert [v.visits_per_rotation for v in (a, b, c)] == [2, 2, 3]
    assert [v.code for v in result.villages] == ["A", "B", "C"]  # input order kept
    assert (a.tgm_band, a.travel_minutes_mean, c.travel_minutes_mean) == ("tinggi", None, 30.0)


def test_priority_follows_population_then_interest() -> None:
    villages = [VillageInfo(code, code, pop, 3.0) for code, pop in (("S", 5_000), ("L", 15_000))]
    villages.append(VillageInfo("M", "M", 10_000, 3.0))
    survey = [r for v in villages for r in answers(v.code, 5, 6) + answers(v.code, 1, 4)]
    by_population = estimate_demand(villages, survey)
    ranked = sorted(by_population.villages, key=lambda v: -v.priority)
    assert [v.code for v in ranked] == ["L", "M", "S"]

    same = [VillageInfo(code, code, 10_000, 3.0) for code in ("lo", "mid", "hi")]
    survey = [
        r
        for code, keen in (("lo", 3), ("mid", 6), ("hi", 9))
        for r in answers(code, 5, keen) + answers(code, 2, 10 - keen)
    ]
    by_interest = estimate_demand(same, survey)
    ranked = sorted(by_interest.villages, key=lambda v: -v.priority)
    assert [v.code for v in ranked] == ["hi", "mid", "lo"]
    assert ranked[0].expected_attendance > ranked[1].expected_attendance


def test_weeks_multiply_visits_and_the_weekly_maximum_caps_them() -> None:
    two_weeks = estimate_demand(*small_city(), params=DemandParams(weeks=2))
    assert [v.visits_per_rotation for v in two_weeks.villages] == [4, 4, 6]
    # 2 per week is the most any village gets, over 3 weeks: 6 each
    capped = estimate_demand(*small_city(), params=DemandParams(weeks=3, max_visits_per_week=2))
    assert [v.visits_per_rotation for v in capped.villages] == [6, 6, 6]


def test_factors_explain_priority_and_attendance() -> None:
    for village in estimate_demand(*small_city()).villages:
        priority = [f for f in village.factors if f.kind == "priority"]
        attendance = [f for f in village.factors if f.kind == "attendance"]
        assert [f.name for f in priority] == ["attendance", "interest", "access", "literacy_need"]
        assert sum(f.contribution for f in priority) == pytest.approx(village.priority)
        assert sum(f.contribution for f in attendance) == pytest.approx(village.expected_attendance)
        assert all(f.note and f.label for f in village.factors)
    c = estimate_demand(*small_city()).villages[2]
    capacity = next(f for f in c.factors if f.name == "capacity")
    assert capacity.contribution == pytest.approx(80.0 - 81.8182, abs=1e-3)
    assert "melebihi kapasitas 80" in capacity.note


def test_without_a_survey_every_village_gets_neutral_figures() -> None:
    result = estimate_demand([VillageInfo("A", "A", 10_000, 4.0)], [])
    village = result.villages[0]
    assert (village.respondents, village.raw_interest_rate, village.interest_rate) == (0, None, 0.5)
    assert (village.tgm_mean, village.tgm_band, result.city.tgm_mean) == (None, None, None)
    need = next(f for f in village.factors if f.name == "literacy_need")
    assert need.value == 0.5
    # Nobody said when: every slot is equally likely (1/3 >= 0.25), so all three windows stay.
    assert len(village.preferred_windows) == 3
