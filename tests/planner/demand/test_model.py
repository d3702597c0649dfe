"""Survey-derived demand: TGM, shrinkage toward the city, attendance, priority, windows, topics."""

import json
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from planner import core
from planner.core import WEEKDAYS
from planner.demand import (
    SLOT_WINDOWS,
    TOPICS,
    DemandParams,
    DemandResult,
    Observation,
    Respondent,
    TgmScale,
    VillageInfo,
    estimate_demand,
    fit_beta_prior,
    inputs,
    shrink_rate,
    smoothed_shares,
    tgm_band,
    tgm_score,
    update_attendance,
)

# fm=5/7 -> 71.43, dm=90/120 -> 75, jb=3/6 -> 50, fai=7/7 -> 100, dai=60/180 -> 33.33
# TGM = 0.3 * (71.4286 + 75 + 50) + 0.05 * (100 + 33.3333) = 58.9286 + 6.6667 = 65.5952
HABITS = (5.0, 90.0, 3.0, 7.0, 60.0)  # fm, dm, jb, fai, dai
HABITS_TGM = 65.5952381
HABIT_FIELDS = ("fm", "dm", "jb", "fai", "dai")
MAX_SHIFT = DemandParams().small_sample_max_shift
REQUIRED_KEYS = {
    "code",
    "name",
    "respondents",
    "interest_rate",
    "tgm_mean",
    "expected_attendance",
    "priority",
    "visits_per_rotation",
    "preferred_windows",
    "topics",
    "preferred_days",
    "factors",
}


def answers(code: str, interest: int, count: int, **extra: object) -> list[Respondent]:
    """`count` identical respondents of one village with the HABITS reading profile."""
    return [Respondent(code, interest, *HABITS, **extra) for _ in range(count)]  # type: ignore[arg-type]


def small_city() -> tuple[list[VillageInfo], list[Respondent]]:
    """Three villages, ten answers each; everyone reads alike, so TGM plays no part.

    A: 20 000 people at the library (0 km), all 10 interested, mornings, children's books, sat.
    B: 20 000 people, 5 km away, 5 of 10 interested, no preferences given.
    C: 50 000 people, 10 km away, nobody interested, afternoons, farming, mon+tue, 30 min away.
    City rate 15/30 = 0.5; kappa_min = 3 * 0.5 / 0.1 - 3 = 12 -> Beta(6, 6).
    """
    villages = [
        VillageInfo("A", "Alpha", 20_000, 0.0),
        VillageInfo("B", "Beta", 20_000, 5.0),
        VillageInfo("C", "Gamma", 50_000, 10.0),
    ]
    a_profile = {"slots": frozenset({"pagi"}), "topics": frozenset({"anak"})}
    respondents = [
        *answers("A", 5, 6, **a_profile, days=frozenset({"sat"}), age_group="anak", gender="P"),
        *answers("A", 5, 4, **a_profile, days=frozenset({"sat"}), age_group="dewasa", gender="L"),
        *answers("B", 4, 5),
        *answers("B", 2, 5),
        *answers(
            "C",
            1,
            10,
            slots=frozenset({"sore"}),
            topics=frozenset({"pertanian"}),
            days=frozenset({"mon", "tue"}),
            travel_minutes=30.0,
        ),
    ]
    return villages, respondents


# --- TGM ---------------------------------------------------------------------------------


def test_tgm_matches_the_hand_computed_perpusnas_formula() -> None:
    assert tgm_score(*HABITS) == pytest.approx(HABITS_TGM)
    assert tgm_band(tgm_score(*HABITS)) == "tinggi"


def test_answers_above_the_caps_count_as_full_marks() -> None:
    assert tgm_score(7, 120, 6, 7, 180) == pytest.approx(100.0)
    assert tgm_score(30, 1440, 50, 100, 1440) == pytest.approx(100.0)
    assert tgm_score(0, 0, 0, 0, 0) == 0.0
    # Only reading every day for the cap counts fully: fm=14 scores like fm=7.
    assert tgm_score(14, 90, 3, 7, 60) == tgm_score(7, 90, 3, 7, 60)


def test_a_custom_scale_moves_the_caps() -> None:
    # fm=5 is now the cap: 0.3 * (100 + 75 + 50) + 6.6667 = 74.1667
    assert tgm_score(*HABITS, scale=TgmScale(fm_max_per_week=5.0)) == pytest.approx(74.1666667)


@pytest.mark.parametrize("field", HABIT_FIELDS)
@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_negative_or_non_finite_habits_are_rejected(field: str, bad: float) -> None:
    habits = [
        bad if name == field else value for name, value in zip(HABIT_FIELDS, HABITS, strict=True)
    ]
    with pytest.raises(ValueError, match=field):
        tgm_score(*habits)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0.0, "sangat rendah"),
        (20.0, "sangat rendah"),
        (20.01, "rendah"),
        (59.99, "sedang"),
        (66.77, "tinggi"),
        (100.0, "sangat tinggi"),
    ],
)
def test_bands_use_upper_bounds(score: float, band: str) -> None:
    assert tgm_band(score) == band


def test_bands_are_configurable_and_checked() -> None:
    scale = TgmScale(bands=((50.0, "kurang"), (100.0, "baik")))
    assert [tgm_band(40.0, scale), tgm_band(50.5, scale)] == ["kurang", "baik"]
    with pytest.raises(ValueError, match="lie in"):
        tgm_band(101.0)
    with pytest.raises(ValueError, match="increasing"):
        TgmScale(bands=((60.0, "a"), (40.0, "b"), (100.0, "c")))
    with pytest.raises(ValueError, match="reach"):
        TgmScale(bands=((50.0, "a"), (90.0, "b")))
    with pytest.raises(ValueError, match="dm_max_minutes"):
        TgmScale(dm_max_minutes=0.0)


# --- Shrinkage toward the city -------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "kappa", "shrunk"),
    [
        # p = 20/100; kappa_min = 3 * 0.8 / 0.1 - 3 = 21; (0.2 * 21 + 3) / (21 + 3) = 0.30
        ([(3, 3), (0, 50), (17, 47)], 21.0, 0.30),
        # p = 50/100; kappa_min = 3 * 0.5 / 0.1 - 3 = 12; (6 + 3) / (12 + 3) = 0.60
        ([(3, 3), (0, 50), (47, 47)], 12.0, 0.60),
        # p = 80/100; kappa_min = 21; (0.8 * 21 + 0) / (21 + 3) = 0.70
        ([(0, 3), (50, 50), (30, 47)], 21.0, 0.70),
    ],
)
def test_three_answers_move_a_village_at_most_ten_points(
    counts: list[tuple[int, int]], kappa: float, shrunk: float
) -> None:
    alpha, beta, estimate, kappa_used = fit_beta_prior(counts)
    assert estimate is not None and estimate < kappa  # villages differ a lot: the floor binds
    assert kappa_used == pytest.approx(kappa)
    assert shrink_rate(*counts[0], alpha, beta) == pytest.approx(shrunk)


@given(
    data=st.data(),
    rate=st.sampled_from([0.2, 0.5, 0.8]),
    n=st.integers(0, 3),
    all_interested=st.booleans(),
)
def test_small_villages_stay_near_the_city_rate_whatever_the_city(
    data: st.DataObject, rate: float, n: int, all_interested: bool
) -> None:
    sizes = data.draw(st.lists(st.integers(1, 120), min_size=2, max_size=24), label="sizes")
    filler = -(sum(sizes) + n) % 10  # a total divisible by 10 makes the city rate exact
    sizes += [filler] if filler else []
    small = (n if all_interested else 0, n)
    remaining = round(rate * (sum(sizes) + n)) - small[0]
    assume(0 <= remaining <= sum(sizes))
    others = []
    for index, size in enumerate(sizes):
        room_after = sum(sizes[index + 1 :])
        low, high = max(0, remaining - room_after), min(size, remaining)
        interested = data.draw(st.integers(low, high), label=f"village {index}")
        others.append((interested, size))
        remaining -= interested
    alpha, beta, _, kappa = fit_beta_prior([small, *others])
    assert alpha / (alpha + beta) == pytest.approx(rate)
    assert abs(shrink_rate(*small, alpha, beta) - rate) <= MAX_SHIFT + 1e-9
    assert kappa <= max(25.0, 3 * max(rate, 1 - rate) / MAX_SHIFT - 3) + 1e-9


@given(
    others=st.lists(
        st.tuples(st.integers(0, 150), st.integers(0, 150)).map(sorted).map(tuple), max_size=25
    ),
    n=st.integers(0, 3),
    all_interested=st.booleans(),
)
def test_small_villages_stay_near_any_city_rate(
    others: list[tuple[int, int]], n: int, all_interested: bool
) -> None:
    small = (n if all_interested else 0, n)
    alpha, beta, _, _ = fit_beta_prior([small, *others])
    city = alpha / (alpha + beta)
    assert abs(shrink_rate(*small, alpha, beta) - city) <= MAX_SHIFT + 1e-9


def test_a_village_with_a_hundred_answers_follows_them() -> None:
    # Spread-out villages: kappa estimate ~0, floor kappa_min = 3 * (1 - p) / 0.1 - 3 = 12.5
    # with p = 145/300 = 0.483 -> (0.483 * 12.5 + 95) / 112.5 = 0.898
    spread = [(95, 100), (0, 50), (50, 50), (0, 50), (0, 50)]
    # 24 alike villages (50/100) + ours: estimate ~43 > cap, so kappa = 25; p = 1295/2500 = 0.518
    # -> (0.518 * 25 + 95) / 125 = 0.8636
    alike = [(95, 100), *[(50, 100)] * 24]
    for counts, kappa in ((spread, 12.5), (alike, 25.0)):
        alpha, beta, _, kappa_used = fit_beta_prior(counts)
        assert kappa_used == pytest.approx(kappa, abs=0.01)
        assert abs(alpha / (alpha + beta) - 0.5) < 0.02
        assert shrink_rate(95, 100, alpha, beta) >= 0.95 - MAX_SHIFT


def test_kappa_falls_back_to_the_cap_when_it_cannot_be_estimated() -> None:
    # One village, or villages that differ no more than by chance: no estimate, use the cap.
    for counts in ([(5, 10)], [(5, 10), (5, 10), (5, 10)], [(1, 1), (0, 1)]):
        alpha, beta, estimate, kappa = fit_beta_prior(counts)
        assert estimate is None
        assert kappa == 25.0
    # No answers anywhere: an even city rate 0.5 and the cap.
    assert fit_beta_prior([(0, 0), (0, 0)]) == (12.5, 12.5, None, 25.0)


def test_a_cap_below_the_small_sample_floor_gives_way() -> None:
    # kappa_min = 12 at p = 0.5 beats kappa_cap = 5: the 10-point promise wins.
    params = DemandParams(kappa_cap=5.0)
    assert fit_beta_prior([(1, 2), (9, 18)], params)[3] == pytest.approx(12.0)


def test_shrink_rate_is_the_beta_posterior_mean() -> None:
    assert shrink_rate(3, 3, 6.0, 6.0) == pytest.approx(9 / 15)
    assert shrink_rate(0, 0, 2.0, 8.0) == pytest.approx(0.2)
    with pytest.raises(ValueError, match="interested"):
        shrink_rate(4, 3, 6.0, 6.0)
    with pytest.raises(ValueError, match="alpha"):
        shrink_rate(0, 0, 0.0, 0.0)


def test_city_summary_reports_the_prior_and_its_bounds() -> None:
    result = estimate_demand(*small_city())
    city = result.city
    assert (city.respondents, city.interested, city.interest_rate) == (30, 15, 0.5)
    # Rates 1, 0.5, 0 over 10 answers each: rho = (5/0.25 - 2) / (30 - 10 - 2) = 1 -> kappa 0.
    assert city.kappa_estimate == pytest.approx(0.0)
    assert city.kappa_bounds == pytest.approx((12.0, 25.0))
    assert city.kappa_used == pytest.approx(12.0)
    assert (city.prior_alpha, city.prior_beta) == pytest.approx((6.0, 6.0))
    assert city.tgm_mean == pytest.approx(HABITS_TGM)


# --- Shares and logged visits ----------------------------------------------------------------


def test_smoothed_shares_pull_toward_the_city() -> None:
    city = {"pagi": 0.5, "siang": 0.25, "sore": 0.25}
    # 3 of 4 want pagi; strength 4: pagi (4*0.5 + 3)/8 = 0.625, siang = sore = (4*0.25)/8 = 0.125
    shares = smoothed_shares({"pagi": 3}, 4, city, 4.0, tuple(SLOT_WINDOWS))
    assert [(s.key, s.share) for s in shares] == [
        ("pagi", 0.625),
        ("siang", 0.125),
        ("sore", 0.125),
    ]
    nobody = smoothed_shares({}, 0, city, 4.0, tuple(SLOT_WINDOWS))
    assert {s.key: s.share for s in nobody} == city
    raw = smoothed_shares({"sore": 1}, 2, city, 0.0, tuple(SLOT_WINDOWS))
    assert [(s.key, s.share) for s in raw][0] == ("sore", 0.5)
    with pytest.raises(ValueError, match="malam"):
        smoothed_shares({"malam": 1}, 1, city, 4.0, tuple(SLOT_WINDOWS))


def test_update_attendance_blends_the_model_with_logged_visits() -> None:
    assert update_attendance(50.0, [], 3.0) == 50.0
    # (3 * 50 + 30 + 30 + 30) / (3 + 3) = 40: the model weighs like three visits
    assert update_attendance(50.0, [30, 30, 30], 3.0) == pytest.approx(40.0)
    assert update_attendance(50.0, [30, 30, 30], 0.0) == pytest.approx(30.0)
    # 1000 visits of 12 drown a model of 80: (3*80 + 12000) / 1003 = 12.2
    assert update_attendance(80.0, [12] * 1000, 3.0) == pytest.approx(12.2, abs=0.01)
    heavier = update_attendance(50.0, [30, 30, 30], 30.0)
    assert 40.0 < heavier < 50.0  # a stronger prior keeps closer to the model
    with pytest.raises(ValueError, match="observed"):
        update_attendance(50.0, [-1], 3.0)


# --- The whole model on a hand-built city ---------------------------------------------------


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


def test_windows_days_and_topics_reflect_the_answers() -> None:
    a, b, c = estimate_demand(*small_city()).villages
    # City: pagi 10/20, sore 10/20. A: pagi (10*0.5 + 10)/20 = 0.75, sore (10*0.5)/20 = 0.25
    assert [(w.slot, w.start, w.end, w.share) for w in a.preferred_windows] == [
        ("pagi", "07:30", "11:00", 0.75),
        ("sore", "14:00", "17:00", 0.25),
    ]
    assert [w.slot for w in c.preferred_windows] == ["sore", "pagi"]
    assert [(w.slot, w.share) for w in b.preferred_windows] == [("pagi", 0.5), ("sore", 0.5)]
    # Days: A's Saturday first; B (no answers) follows the city, ties in weekday order
    assert a.preferred_days[0].key == "sat" and len(a.preferred_days) == len(WEEKDAYS)
    assert [d.key for d in b.preferred_days[:3]] == ["mon", "tue", "sat"]
    # Topics: A anak (10*0.5 + 10)/20 = 0.75, pertanian 0.25, scaled to sum to 1
    assert [(t.key, t.share) for t in a.topics[:2]] == [("anak", 0.75), ("pertanian", 0.25)]
    assert c.topics[0].key == "pertanian"
    for village in (a, b, c):
        assert sum(t.share for t in village.topics) == pytest.approx(1.0)
        assert {t.key for t in village.topics} == set(TOPICS)


def test_weak_windows_drop_out_but_the_best_one_stays() -> None:
    strict = DemandParams(window_min_share=0.9)
    a = estimate_demand(*small_city(), params=strict).villages[0]
    assert [w.slot for w in a.preferred_windows] == ["pagi"]


def test_a_multi_topic_village_gets_a_crate_mix_summing_to_one() -> None:
    villages = [VillageInfo("X", "X", 8_000, 2.0)]
    picks = frozenset({"anak", "agama", "fiksi"})
    result = estimate_demand(villages, answers("X", 4, 5, topics=picks))
    # Each topic ticked by everyone: raw shares 1, 1, 1 -> one third each of the crate mix.
    assert {t.key: t.share for t in result.villages[0].topics if t.share} == pytest.approx(
        {"anak": 1 / 3, "agama": 1 / 3, "fiksi": 1 / 3}
    )


def test_profile_shares_of_age_group_and_gender() -> None:
    a, b, _ = estimate_demand(*small_city()).villages
    assert [(s.key, s.share) for s in a.age_groups] == [("anak", 0.6), ("dewasa", 0.4)]
    assert [(s.key, s.share) for s in a.genders] == [("P", 0.6), ("L", 0.4)]
    assert b.age_groups == () and b.genders == ()


def test_logged_visits_move_the_expected_attendance() -> None:
    logged = [Observation("B", 30)] * 3 + [Observation("A", 200)] * 2
    a, b, _ = estimate_demand(*small_city(), observations=logged).villages
    # B: (3 * 50 + 90) / 6 = 40
    assert (b.model_attendance, b.expected_attendance) == pytest.approx((50.0, 40.0))
    assert (b.observed_visits, b.observed_mean) == (3, 30.0)
    # A: (3 * 58.18 + 400) / 5 = 114.9 -> capped at 80
    assert a.expected_attendance == 80.0
    assert a.model_attendance == pytest.approx(58.1818)


def test_a_tiny_village_cannot_swing_the_plan() -> None:
    villages = [VillageInfo("big", "Big", 10_000, 1.0), VillageInfo("tiny", "Tiny", 10_000, 1.0)]
    survey = answers("big", 5, 20) + answers("big", 1, 77) + answers("tiny", 5, 3)
    result = estimate_demand(villages, survey)
    assert result.city.interest_rate == pytest.approx(0.23)  # 23 / 100
    assert abs(result.villages[1].interest_rate - 0.23) <= MAX_SHIFT + 1e-9


def test_without_a_survey_every_village_gets_neutral_figures() -> None:
    result = estimate_demand([VillageInfo("A", "A", 10_000, 4.0)], [])
    village = result.villages[0]
    assert (village.respondents, village.raw_interest_rate, village.interest_rate) == (0, None, 0.5)
    assert (village.tgm_mean, village.tgm_band, result.city.tgm_mean) == (None, None, None)
    need = next(f for f in village.factors if f.name == "literacy_need")
    assert need.value == 0.5
    # Nobody said when: every slot is equally likely (1/3 >= 0.25), so all three windows stay.
    assert len(village.preferred_windows) == 3


# --- JSON shape --------------------------------------------------------------------------------


def test_as_dict_is_json_ready_with_the_required_keys() -> None:
    result = estimate_demand(*small_city())
    data = json.loads(json.dumps(result.as_dict()))
    assert set(data) == {"city", "villages", "params"}
    assert data["params"]["priority_weights"]["attendance"] == 0.45
    for village in result.villages:
        shown = village.as_dict()
        assert set(shown) >= REQUIRED_KEYS
        assert list(shown["topics"].values()) == sorted(shown["topics"].values(), reverse=True)
        assert all(set(w) == {"slot", "start", "end", "share"} for w in shown["preferred_windows"])
        assert all(
            {"name", "label", "value", "contribution", "note"} <= set(f) for f in shown["factors"]
        )
    a = data["villages"][0]
    assert (a["interest_rate"], a["expected_attendance"], a["priority"]) == (0.727, 58.2, 52.4)
    assert data["city"]["kappa_bounds"] == [12.0, 25.0]


def test_result_can_be_looked_up_by_code() -> None:
    result: DemandResult = estimate_demand(*small_city())
    assert result.village("B").name == "Beta"
    with pytest.raises(KeyError):
        result.village("Z")


# --- Input checks ------------------------------------------------------------------------------


def test_respondent_from_an_unknown_village_is_rejected() -> None:
    villages, respondents = small_city()
    with pytest.raises(ValueError, match="32.79.99"):
        estimate_demand(villages, [*respondents, *answers("32.79.99", 4, 1)])
    with pytest.raises(ValueError, match="Q"):
        estimate_demand(villages, respondents, [Observation("Q", 10)])
    with pytest.raises(ValueError, match="twice"):
        estimate_demand([*villages, villages[0]], respondents)


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        ({"interest": 6}, "interest"),
        ({"interest": 0}, "interest"),
        ({"days": frozenset({"senin"})}, "senin"),
        ({"slots": frozenset({"malam"})}, "malam"),
        ({"topics": frozenset({"komik"})}, "komik"),
        ({"age_group": "bayi"}, "bayi"),
        ({"gender": "X"}, "gender"),
        ({"travel_minutes": -5.0}, "travel_minutes"),
        ({"dm": -1.0}, "dm"),
    ],
)
def test_bad_answers_are_rejected(extra: dict[str, object], match: str) -> None:
    fields = {
        "village_code": "A",
        "interest": 4,
        **dict(zip(HABIT_FIELDS, HABITS, strict=True)),
        **extra,
    }
    with pytest.raises(ValueError, match=match):
        Respondent(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        ({"weeks": 5}, "weeks"),
        ({"priority_weights": (("attendance", 1.0),)}, "priority_weights"),
        (
            {
                "priority_weights": (
                    ("attendance", 0.5),
                    ("interest", 0.5),
                    ("access", 0.5),
                    ("literacy_need", 0.0),
                )
            },
            "sum to 1",
        ),
        ({"visit_tiers": ((35.0, 2), (60.0, 3), (0.0, 1))}, "decreasing"),
        ({"visit_tiers": ((60.0, 3), (35.0, 2))}, "start at 0"),
        ({"tgm_factor_bounds": (1.1, 1.2)}, "tgm_factor_bounds"),
        ({"small_sample_max_shift": 0.0}, "small_sample_max_shift"),
    ],
)
def test_bad_parameters_are_rejected(extra: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        DemandParams(**extra)  # type: ignore[arg-type]


def test_weekday_codes_match_the_data_model() -> None:
    # One definition: the demand model uses the very tuple the rest of the planner uses.
    assert inputs.WEEKDAYS is core.WEEKDAYS
