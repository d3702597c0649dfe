"""The travel matrix and point types refuse malformed input."""

import pytest

from planner.travel import Point, TravelMatrix


@pytest.mark.parametrize(
    ("distance_m", "duration_s", "problem"),
    [
        (((0, 1),), ((0, 1),), "square"),
        (((0, 1), (1, 0)), ((0,),), "rows"),
        (((0, -1), (1, 0)), ((0, 1), (1, 0)), "negative"),
        (((0, 1), (1, 0)), ((5, 1), (1, 0)), "diagonal"),
    ],
)
def test_matrix_rejects_malformed_tables(
    distance_m: tuple[tuple[int, ...], ...], duration_s: tuple[tuple[int, ...], ...], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        TravelMatrix("estimate", "x", "van", distance_m, duration_s)


def test_point_rejects_impossible_coordinates() -> None:
    with pytest.raises(ValueError, match="lat"):
        Point(108.5, -7.3)
