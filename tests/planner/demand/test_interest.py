"""Interest rates shrunk toward the city: small villages cannot swing the plan."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from planner.demand import DemandParams, VillageInfo, estimate_demand, fit_beta_prior, shrink_rate
from tests.planner.demand.helpers import HABITS_TGM, MAX_SHIFT, answers, small_city


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


def test_a_tiny_village_cannot_swing_the_plan() -> None:
    villages = [VillageInfo("big", "Big", 10_000, 1.0), VillageInfo("tiny", "Tiny", 10_000, 1.0)]
    survey = answers("big", 5, 20) + answers("big", 1, 77) + answers("tiny", 5, 3)
    result = estimate_demand(villages, survey)
    assert result.city.interest_rate == pytest.approx(0.23)  # 23 / 100
    assert abs(result.villages[1].interest_rate - 0.23) <= MAX_SHIFT + 1e-9
