"""Survey answers, observations and parameters are checked on the way in."""

import pytest

from planner import core
from planner.demand import DemandParams, Observation, Respondent, estimate_demand, inputs
from tests.planner.demand.helpers import HABIT_FIELDS, HABITS, answers, small_city


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
