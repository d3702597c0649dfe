"""Reading villages, stops, demand, plans and check-ins through the API, page by page."""

from pathlib import Path

import pytest
from flask import Flask

from planner.plans import plan_json, record_checkin
from planner.store import Visit, published_plan
from tests.web.api.helpers import Call, planned_copy
from web.db import get_session


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


def test_each_list_answers_items_and_total(call: Call, app: Flask) -> None:
    villages = call("/villages?limit=200").json
    assert villages["total"] == 25 and len(villages["items"]) == 25
    assert (
        villages["items"][0]["code"] == "32.79.01.1001" and "geometry" not in villages["items"][0]
    )
    stops = call("/stops").json
    assert stops["total"] == 25 and {"id", "village_code", "time_windows"} <= set(stops["items"][0])
    plans = call("/plans").json
    assert plans["total"] == 1 and plans["items"][0]["status"] == "published"
    assert "routes" not in plans["items"][0] and "crate_topics" not in plans["items"][0]["metrics"]
    with app.app_context():
        plan = published_plan(get_session())
        assert plan is not None and plan.id is not None
        stored = plan_json(get_session(), plan.id)
    assert call(f"/plans/{plan.id}").json == stored
    routes = call(f"/plans/{plan.id}/routes?limit=2&offset=1").json
    assert routes == {"items": stored["routes"][1:3], "total": len(stored["routes"])}


def test_details_of_a_village_a_stop_and_the_demand(call: Call) -> None:
    village = call("/villages/32.79.01.2003").json
    assert village["name"] == "Balokang" and village["geometry"]["type"] in (
        "Polygon",
        "MultiPolygon",
    )
    stop = call(f"/stops/{village['stop_ids'][0]}").json
    assert stop["village_code"] == "32.79.01.2003" and stop["approximate"] is True
    demand = call("/demand?weeks=2").json
    assert demand["params"]["weeks"] == 2 and len(demand["villages"]) == 25
    assert {"priority", "expected_attendance", "factors"} <= set(demand["villages"][0])


def test_checkins_of_the_published_plan(call: Call, app: Flask) -> None:
    assert call("/checkins").json == {"items": [], "total": 0}
    with app.app_context():
        session = get_session()
        visit = session.get(Visit, 1)
        assert visit is not None
        record_checkin(session, visit, "dilewati", "Jalan banjir", now=visit.planned_arrival)
        session.commit()
    found = call("/checkins").json
    assert found["total"] == 1
    item = found["items"][0]
    assert (item["visit_id"], item["status"], item["note"]) == (1, "dilewati", "Jalan banjir")
    assert call(f"/checkins?plan={item['plan_id']}").json == found


@pytest.mark.parametrize(
    ("query", "expected"),
    [("limit=10&offset=20", (5, 25)), ("limit=1", (1, 25)), ("offset=25", (0, 25)), ("", (25, 25))],
)
def test_pagination(call: Call, query: str, expected: tuple[int, int]) -> None:
    found = call(f"/villages?{query}").json
    assert (len(found["items"]), found["total"]) == expected
