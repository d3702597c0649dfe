"""Reading the published plan and the public pages, shared by the `/jadwal` tests (and e2e)."""

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient

from planner.plans import plan_json
from planner.store import published_plan
from tests.factories import TODAY, WIB, publish_demo_plan
from web.db import get_session

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def planned_copy(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo database with a published week starting today."""
    path = tmp_path_factory.mktemp("public") / "planned.db"
    shutil.copyfile(template, path)
    publish_demo_plan(path, TODAY)
    return path


def published(app: Flask) -> dict[str, Any]:
    """The published plan in its JSON form."""
    with app.app_context():
        plan = published_plan(get_session())
        assert plan is not None and plan.id is not None
        return plan_json(get_session(), plan.id)


def minute(iso: str) -> dt.datetime:
    """A plan time as the schedule shows it: WIB, to the minute."""
    return dt.datetime.fromisoformat(iso).astimezone(WIB).replace(second=0)


def stop_visits(plan: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    """A plan's visits by stop id, in time order."""
    found: dict[int, list[dict[str, Any]]] = {}
    for route in plan["routes"]:
        for visit in route["visits"]:
            found.setdefault(visit["stop_id"], []).append(visit)
    return {k: sorted(v, key=lambda x: x["start"]) for k, v in found.items()}


def later_stop(app: Flask) -> dict[str, Any]:
    """A stop whose visits all fall after today (so 'next visit' cannot race the clock)."""
    visits = stop_visits(published(app))
    stop_id = next(k for k, v in visits.items() if v[0]["start"][:10] > TODAY.isoformat())
    return {"stop_id": stop_id, "visits": visits[stop_id], **visits[stop_id][0]}


def label(visit: dict[str, Any]) -> str:
    """`Senin, 30 November 2026 · 08:05–08:50`, as the pages show a visit."""
    day = format_date(dt.date.fromisoformat(visit["start"][:10]), "EEEE, d MMMM yyyy", locale="id")
    return f"{day} · {visit['start'][11:16]}–{visit['departure'][11:16]}"


def urls(stop: dict[str, Any]) -> list[str]:
    """Every public page about `stop`, its village and its calendar."""
    return [
        "/jadwal/",
        f"/jadwal/desa/{stop['village_code']}",
        f"/jadwal/titik/{stop['stop_id']}",
        f"/jadwal/titik/{stop['stop_id']}.ics",
        f"/jadwal/titik/{stop['stop_id']}/poster",
        "/jadwal/terdekat?q=Hegarsari",
        f"/jadwal/terdekat?lat={stop['lat']}&lon={stop['lon']}",
    ]


def text(client: FlaskClient, url: str) -> str:
    """The body of a page that must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.get_data(as_text=True)
    response.close()  # static files stay open until closed
    return body
