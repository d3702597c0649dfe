"""The GPX export: one route per day from the depot back to the depot."""

from typing import Any

import gpxpy
import pytest

from planner.exports import plan_gpx
from tests.planner.exports.helpers import BALOKANG, DEPOT, FORMULA_NAME, SCRIPT_NAME


def test_gpx_has_one_route_per_day_from_depot_back_to_depot(plan: dict[str, Any]) -> None:
    gpx = gpxpy.parse(plan_gpx(plan).decode("utf-8"))
    assert [r.name for r in gpx.routes] == [
        "2026-11-30 Mobil Pusling 1",
        "2026-12-01 Motor Pusling 2",
    ]
    monday = gpx.routes[0].points
    assert [p.name for p in monday] == [
        DEPOT["name"],
        BALOKANG,
        SCRIPT_NAME,
        DEPOT["name"],
    ]
    for points in (monday, gpx.routes[1].points):
        assert (points[0].latitude, points[0].longitude) == (DEPOT["lat"], DEPOT["lon"])
        assert (points[-1].latitude, points[-1].longitude) == (DEPOT["lat"], DEPOT["lon"])
    assert (monday[1].latitude, monday[1].longitude) == (-7.3601, 108.5302)
    assert monday[1].description == "tiba 08:05, selesai 08:50; Balokang"
    assert sorted(w.name for w in gpx.waypoints) == sorted([BALOKANG, SCRIPT_NAME, FORMULA_NAME])


def test_gpx_escapes_markup_in_stop_names(plan: dict[str, Any]) -> None:
    data = plan_gpx(plan)
    assert b"<script>" not in data
    assert b"&lt;script&gt;" in data


def test_gpx_for_one_route_only(plan: dict[str, Any]) -> None:
    gpx = gpxpy.parse(plan_gpx(plan, route_index=1).decode("utf-8"))
    assert [len(r.points) for r in gpx.routes] == [3]
    assert [w.name for w in gpx.waypoints] == [FORMULA_NAME]
    with pytest.raises(ValueError, match="route_index 2"):
        plan_gpx(plan, route_index=2)


# iCalendar
