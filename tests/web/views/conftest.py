"""Fixtures shared by the residents' schedule page tests."""

from typing import Any

import pytest
from flask import Flask

from tests.web.views.public_helpers import later_stop


@pytest.fixture
def later(app: Flask) -> dict[str, Any]:
    return later_stop(app)
