"""A route plan as GPX 1.1 for offline navigation: one `<rte>` per route, a `<wpt>` per stop."""

from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import gpxpy.gpx

from planner.core import day_name, format_hhmm
from planner.exports.common import (
    Place,
    clean,
    parse_date,
    plan_zone,
    route_places,
    routes,
    visits,
)

GPX_VERSION = "1.1"
GPX_CREATOR = "Keliling - Perpustakaan Keliling"


def _chosen_routes(plan: Mapping[str, Any], route_index: int | None) -> Sequence[Mapping[str, Any]]:
    all_routes = routes(plan)
    if route_index is None:
        return all_routes
    if not 0 <= route_index < len(all_routes):
        msg = f"route_index {route_index} di luar jangkauan (rencana punya {len(all_routes)} rute)"
        raise ValueError(msg)
    return [all_routes[route_index]]


def _stop_description(place: Place) -> str:
    times = f"tiba {format_hhmm(place.arrival)}, selesai {format_hhmm(place.departure)}"
    return f"{times}; {place.village}" if place.village else times


def _descriptions(places: Sequence[Place]) -> list[str]:
    """Leaving the depot, each stop's times and village, back at the depot."""
    first, *stops, last = places
    return [
        f"berangkat {format_hhmm(first.departure)}",
        *(_stop_description(place) for place in stops),
        f"kembali {format_hhmm(last.arrival)}",
    ]


def _route(route: Mapping[str, Any], zone: ZoneInfo) -> gpxpy.gpx.GPXRoute:
    day = parse_date(route.get("date") or route["start"])
    vehicle = clean(route.get("vehicle"))
    places = route_places(route, zone)
    gpx_route = gpxpy.gpx.GPXRoute(
        name=f"{day.isoformat()} {vehicle}".strip(),
        description=(
            f"{day_name(day)}, {format_hhmm(places[0].arrival)}–{format_hhmm(places[-1].departure)}"
        ),
    )
    for place, description in zip(places, _descriptions(places), strict=True):
        point = gpxpy.gpx.GPXRoutePoint(
            place.lat, place.lon, time=place.arrival, name=place.name, description=description
        )
        gpx_route.points.append(point)
    return gpx_route


def _waypoints(chosen: Sequence[Mapping[str, Any]]) -> list[gpxpy.gpx.GPXWaypoint]:
    seen: dict[Any, gpxpy.gpx.GPXWaypoint] = {}
    for route in chosen:
        for _, visit in visits(route):
            stop_id = visit.get("stop_id")
            key = (visit["lat"], visit["lon"]) if stop_id is None else stop_id
            if key not in seen:
                seen[key] = gpxpy.gpx.GPXWaypoint(
                    float(visit["lat"]),
                    float(visit["lon"]),
                    name=clean(visit.get("stop_name")),
                    description=clean(visit.get("village")) or None,
                )
    return list(seen.values())


def plan_gpx(plan: Mapping[str, Any], route_index: int | None = None) -> bytes:
    """GPX 1.1 of every route, or only routes[route_index]: depot, visits in order, depot."""
    chosen = _chosen_routes(plan, route_index)
    gpx = gpxpy.gpx.GPX()
    gpx.creator = GPX_CREATOR
    gpx.name = clean(plan.get("region")) or None
    gpx.waypoints.extend(_waypoints(chosen))
    zone = plan_zone(plan)
    gpx.routes.extend(_route(route, zone) for route in chosen)
    return gpx.to_xml(version=GPX_VERSION).encode("utf-8")
