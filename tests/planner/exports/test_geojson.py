"""The GeoJSON export: visits, route lines and unserved stops."""

import json
from typing import Any

from planner.exports import plan_geojson
from tests.planner.exports.helpers import DEPOT


def test_geojson_has_visits_routes_and_unserved_in_lon_lat_order(plan: dict[str, Any]) -> None:
    features = json.loads(plan_geojson(plan))["features"]
    kinds = [(f["geometry"]["type"], f["properties"].get("status")) for f in features]
    assert kinds.count(("Point", "terjadwal")) == 3
    assert kinds.count(("LineString", None)) == 2
    assert kinds.count(("Point", "tidak terlayani")) == 1
    first = features[0]
    assert first["geometry"]["coordinates"] == [108.5302, -7.3601]
    assert first["properties"]["order"] == 1
    assert first["properties"]["arrival"] == "2026-11-30T08:05:00+07:00"


def test_geojson_route_lines_run_depot_to_depot_in_weekday_colours(plan: dict[str, Any]) -> None:
    lines = [
        f
        for f in json.loads(plan_geojson(plan))["features"]
        if f["geometry"]["type"] == "LineString"
    ]
    depot = [DEPOT["lon"], DEPOT["lat"]]
    monday = lines[0]["geometry"]["coordinates"]
    assert monday == [depot, [108.5302, -7.3601], [108.5503, -7.3502], depot]
    assert lines[0]["properties"]["distance_m"] == 15230
    assert lines[0]["properties"]["color"] != lines[1]["properties"]["color"]


def test_geojson_skips_unserved_stops_without_coordinates(plan: dict[str, Any]) -> None:
    del plan["unserved"][0]["lat"]
    features = json.loads(plan_geojson(plan))["features"]
    assert all(f["properties"].get("status") != "tidak terlayani" for f in features)
