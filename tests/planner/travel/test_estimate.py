"""The straight-line estimate provider."""

import math

import pytest

from planner.core import EARTH_RADIUS_M, haversine_m
from planner.travel import EstimateProvider, Point, TravelError
from tests.planner.travel.helpers import BANJAR


def north_of(point: Point, distance_m: float) -> Point:
    """The point distance_m due north (along a meridian haversine is exactly R·Δφ)."""
    return Point(point.lat + math.degrees(distance_m / EARTH_RADIUS_M), point.lon)


def test_estimate_is_straight_line_times_circuity_at_town_speed() -> None:
    points = [BANJAR, north_of(BANJAR, 1000.0)]
    assert haversine_m(points[0].lat, points[0].lon, points[1].lat, points[1].lon) == (
        pytest.approx(1000.0)
    )
    van = EstimateProvider().matrix(points, "van")
    motor = EstimateProvider().matrix(points, "motor")
    # 1000 m × 1.3 = 1300 m of road.
    assert van.distance_m == ((0, 1300), (1300, 0))
    # Van 30 km/h = 8.33 m/s: 1300 / 8.33 = 156.0 s (float noise must not make it 157).
    assert van.duration_s == ((0, 156), (156, 0))
    # Motor 35 km/h = 9.72 m/s: 1300 / 9.72 = 133.7 s, rounded up to 134.
    assert motor.duration_s == ((0, 134), (134, 0))
    assert (van.provider, van.vehicle_kind, motor.vehicle_kind) == ("estimate", "van", "motor")
    assert "Perkiraan" in van.label and "1,3" in van.label and "bukan jaringan jalan" in van.label


def test_estimate_is_symmetric_with_zero_diagonal() -> None:
    points = [BANJAR, Point(-7.35, 108.56), Point(-7.40, 108.60)]
    matrix = EstimateProvider(circuity=1.5, speeds_kmh={"van": 20.0}).matrix(points, "van")
    for table in (matrix.distance_m, matrix.duration_s):
        assert all(table[i][i] == 0 for i in range(3))
        assert all(table[i][j] == table[j][i] for i in range(3) for j in range(3))
    assert "1,5" in matrix.label


def test_estimate_refuses_an_unknown_vehicle_kind() -> None:
    with pytest.raises(TravelError, match="sepeda"):
        EstimateProvider().matrix([BANJAR], "sepeda")
