"""The Perpusnas reading-habit score (TGM) and its bands."""

import math

import pytest

from planner.demand import TgmScale, tgm_band, tgm_score
from tests.planner.demand.helpers import HABIT_FIELDS, HABITS, HABITS_TGM


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
