"""A plan on a map: one colour per weekday, one layer per day and vehicle, escaped labels."""

import datetime as dt
from typing import Any

import folium

from planner.core import day_name, format_hhmm
from web.ui.maps import MapParts, SafeLabel, base_map, render_parts

DAY_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")
UNSERVED_COLOUR = "#6b7280"
PADDING_DEG = 0.01


def day_label(date_text: str) -> str:
    """'2026-11-30' as 'Senin 30/11'."""
    day = dt.date.fromisoformat(date_text)
    return f"{day_name(day)} {day:%d/%m}"


def _hhmm(iso: str) -> str:
    # Plan times are stored in the region's local time with their offset: keep that clock time.
    return format_hhmm(dt.datetime.fromisoformat(iso))


def _bounds(plan: dict[str, Any]) -> tuple[tuple[float, float], tuple[float, float]]:
    points = [(v["lat"], v["lon"]) for r in plan["routes"] for v in r["visits"]]
    points += [(u["lat"], u["lon"]) for u in plan["unserved"] if "lat" in u]
    points += [(r["depot"]["lat"], r["depot"]["lon"]) for r in plan["routes"] if r.get("depot")]
    if not points:
        points = [(-7.37, 108.53)]
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return (min(lats) - PADDING_DEG, min(lons) - PADDING_DEG), (
        max(lats) + PADDING_DEG,
        max(lons) + PADDING_DEG,
    )


def _route_layer(fmap: folium.Map, route: dict[str, Any]) -> None:
    day = dt.date.fromisoformat(route["date"])
    colour = DAY_COLOURS[day.weekday()]
    layer = folium.FeatureGroup(name=f"{day_label(route['date'])} · {route['vehicle']}")
    depot = route.get("depot")
    path = [(v["lat"], v["lon"]) for v in route["visits"]]
    if depot:
        path = [(depot["lat"], depot["lon"]), *path, (depot["lat"], depot["lon"])]
    folium.PolyLine(path, color=colour, weight=4, opacity=0.8, class_name="route-line").add_to(
        layer
    )
    for order, visit in enumerate(route["visits"], start=1):
        marker = folium.CircleMarker(
            (visit["lat"], visit["lon"]),
            radius=8,
            color=colour,
            fill=True,
            fill_opacity=0.9,
            class_name="visit-marker",
        )
        lines = [
            f"{order}. {visit['stop_name']}",
            f"{day_label(route['date'])} {_hhmm(visit['start'])}–{_hhmm(visit['departure'])}",
            route["vehicle"],
        ]
        marker.add_child(SafeLabel(lines)).add_child(SafeLabel(lines, popup=True)).add_to(layer)
    layer.add_to(fmap)


def plan_map(plan: dict[str, Any]) -> MapParts:
    """The plan's routes (straight lines between stops) and its unserved stops."""
    fmap = base_map(*_bounds(plan))
    for route in plan["routes"]:
        _route_layer(fmap, route)
    unserved = folium.FeatureGroup(name="Tidak terlayani")
    for item in plan["unserved"]:
        if "lat" not in item:
            continue
        marker = folium.CircleMarker(
            (item["lat"], item["lon"]),
            radius=6,
            color=UNSERVED_COLOUR,
            class_name="unserved-marker",
        )
        marker.add_child(SafeLabel([item["stop_name"], item["reason"]])).add_to(unserved)
    unserved.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return render_parts(fmap)
