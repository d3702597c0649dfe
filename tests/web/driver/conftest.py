"""The published week and the route that every driver page test opens."""

import shutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.factories import publish_for_today, route_data


@pytest.fixture(scope="package")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once for the package)."""
    path = tmp_path_factory.mktemp("driver") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_for_today(path)
    return path


@pytest.fixture
def route(app: Flask) -> dict[str, Any]:
    return route_data(app)
