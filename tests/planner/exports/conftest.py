"""The plan fixture shared by the export tests."""

from typing import Any

import pytest

from tests.planner.exports.helpers import make_plan


@pytest.fixture
def plan() -> dict[str, Any]:
    return make_plan()
