"""The event body, the API caller type and the planned database shared by the API tests."""

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import TestResponse

from tests.factories import TODAY, publish_demo_plan

XSS = "<script>alert(1)</script>"
DAY = TODAY - dt.timedelta(days=2)


Call = Callable[..., TestResponse]


def planned_copy(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo database with a published week starting today."""
    path = tmp_path_factory.mktemp("api") / "planned.db"
    shutil.copyfile(template, path)
    publish_demo_plan(path, TODAY)
    return path


def event_body(**changes: Any) -> dict[str, Any]:
    """A valid event for the API, two days ago at stop 1, with some changes."""
    body = {
        "stop_id": 1,
        "starts_at": f"{DAY.isoformat()}T09:00:00+07:00",
        "ends_at": f"{DAY.isoformat()}T10:30:00+07:00",
        "event_type": "dongeng",
        "librarians": ["Ani", "Budi"],
        "attendance": {"anak": {"L": 3, "P": 4}, "lansia": {"P": 2}},
        "books_lent": 12,
        "new_members": 1,
        "satisfaction": {"4": 2, "5": 5},
        "notes": "Hujan, pindah ke aula.",
    }
    return body | changes
