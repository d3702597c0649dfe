"""Largest-remainder apportionment of a population total."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geodata import largest_remainder

weights_strategy = st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=60)


@given(weights=weights_strategy, total=st.integers(min_value=0, max_value=10_000_000))
def test_shares_sum_to_total_and_stay_within_one(weights: list[int], total: int) -> None:
    weights = [*weights, 1]  # at least one positive weight
    shares = largest_remainder(weights, total)
    assert sum(shares) == total
    assert len(shares) == len(weights)
    for weight, share in zip(weights, shares, strict=True):
        exact = Fraction(weight * total, sum(weights))
        assert share >= 0
        assert abs(share - exact) < 1


@given(weights=weights_strategy, total=st.integers(min_value=0, max_value=10_000_000))
def test_larger_weight_never_gets_a_smaller_share(weights: list[int], total: int) -> None:
    weights = [*weights, 1]
    shares = largest_remainder(weights, total)
    ordered = sorted(zip(weights, shares, strict=True))
    assert [share for _, share in ordered] == sorted(share for _, share in ordered)


def test_ties_go_to_the_earlier_area() -> None:
    assert largest_remainder([1, 1, 1], 2) == (1, 1, 0)
    assert largest_remainder([1, 2, 3], 12) == (2, 4, 6)


@pytest.mark.parametrize(
    ("weights", "total", "expected"),
    [([0, 0], 10, "not all be zero"), ([1, -1], 10, "non-negative"), ([1], -1, "non-negative")],
)
def test_bad_input_is_refused(weights: list[int], total: int, expected: str) -> None:
    with pytest.raises(ValueError, match=expected):
        largest_remainder(weights, total)
