"""The demand result as JSON and looked up by village code."""

import json

import pytest

from planner.demand import DemandResult, estimate_demand
from tests.planner.demand.helpers import small_city

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
