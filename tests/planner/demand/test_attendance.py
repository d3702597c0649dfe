"""Expected attendance blended with logged visits."""

import pytest

from planner.demand import Observation, estimate_demand, update_attendance
from tests.planner.demand.helpers import small_city


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


def test_logged_visits_move_the_expected_attendance() -> None:
    logged = [Observation("B", 30)] * 3 + [Observation("A", 200)] * 2
    a, b, _ = estimate_demand(*small_city(), observations=logged).villages
    # B: (3 * 50 + 90) / 6 = 40
    assert (b.model_attendance, b.expected_attendance) == pytest.approx((50.0, 40.0))
    assert (b.observed_visits, b.observed_mean) == (3, 30.0)
    # A: (3 * 58.18 + 400) / 5 = 114.9 -> capped at 80
    assert a.expected_attendance == 80.0
    assert a.model_attendance == pytest.approx(58.1818)
