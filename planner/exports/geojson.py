"""A route plan as GeoJSON: a point per visit, a line per route, points for unserved stops."""

import json
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from planner.core import day_name
from planner.exports.common import (
    STATUS_SCHEDULED,
    STATUS_UNSERVED,
    clean,
    has_point,
    parse_date,
    parse_time,
    plan_zone,
    route_places,
    routes,
    scalar,
    unserved,
    visit_identity,
    visits,
)

# One colour per weekday, Monday first (ColorBrewer Dark2: distinct for most colour vision).
WEEKDAY_COLORS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")

Feature = dict[str, Any]


def _point(lat: Any, lon: Any, properties: Mapping[str, Any]) -> Feature:
    geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
    return {"type": "Feature", "geometry": geometry, "properties": dict(properties)}


def _visit_feature(
    route: Mapping[str, Any], order: int, visit: Mapping[str, Any], zone: ZoneInfo
) -> Feature:
    day, identity = visit_identity(route, order, visit)
    properties = {
        "date": day.isoformat(),
        **identity,
        "arrival": parse_time(visit["arrival"], zone).isoformat(),
        "departure": parse_time(visit["departure"], zone).isoformat(),
        "status": STATUS_SCHEDULED,
    }
    return _point(visit["lat"], visit["lon"], properties)


def _route_feature(route: Mapping[str, Any], zone: ZoneInfo) -> Feature:
    day = parse_date(route.get("date") or route["start"])
    coordinates = [[place.lon, place.lat] for place in route_places(route, zone)]
    properties = {
        "date": day.isoformat(),
        "hari": day_name(day),
        "vehicle": clean(route.get("vehicle")),
        "distance_m": scalar(route.get("distance_m")),
        "color": WEEKDAY_COLORS[day.weekday()],
    }
    geometry = {"type": "LineString", "coordinates": coordinates}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _unserved_feature(item: Mapping[str, Any]) -> Feature:
    properties = {
        "stop_id": scalar(item.get("stop_id")),
        "stop_name": clean(item.get("stop_name")),
        "village_code": clean(item.get("village_code")),
        "reason": clean(item.get("reason")),
        "status": STATUS_UNSERVED,
    }
    return _point(item["lat"], item["lon"], properties)


def plan_geojson(plan: Mapping[str, Any]) -> bytes:
    """A GeoJSON FeatureCollection (coordinates in [lon, lat] order, RFC 7946)."""
    zone = plan_zone(plan)
    features = [
        _visit_feature(route, order, visit, zone)
        for route in routes(plan)
        for order, visit in visits(route)
    ]
    features += [_route_feature(route, zone) for route in routes(plan)]
    features += [_unserved_feature(item) for item in unserved(plan) if has_point(item)]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")
