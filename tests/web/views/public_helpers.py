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
from planner.schedule import load_schedule
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
    """The published plan in its JSON form; each visit also has `shown`, the (start, end) the
    residents' schedule publishes for it (5-minute steps, `planner.schedule`)."""
    with app.app_context():
        session = get_session()
        plan = published_plan(session)
        assert plan is not None and plan.id is not None
        data = plan_json(session, plan.id)
        shown = {
            v.visit_id: (v.start, v.end) for s in load_schedule(session).stops for v in s.visits
        }
    for route in data["routes"]:
        for visit in route["visits"]:
            visit["shown"] = shown[visit["visit_id"]]
    return data


def minute(iso: str) -> dt.datetime:
    """A plan time in WIB, to the minute (the solver's exact time, as staff pages show it)."""
    return dt.datetime.fromisoformat(iso).astimezone(WIB).replace(second=0)


def hhmm(visit: dict[str, Any]) -> str:
    """The published start of a visit of `published`, e.g. `08:05`."""
    return f"{visit['shown'][0]:%H:%M}"


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
    """`Senin, 30 November 2026 · 08:05–08:50`, as the pages show a visit (published times)."""
    start, end = visit["shown"]
    day = format_date(start.date(), "EEEE, d MMMM yyyy", locale="id")
    return f"{day} · {start:%H:%M}–{end:%H:%M}"


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
