"""A plan on a map: one colour per weekday, one layer per day and vehicle, escaped labels."""

import datetime as dt

import folium
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import escape

from planner.core import format_hhmm
from planner.plans import PlanView, RouteView
from web.ui.map_render import CircleMarker, FeatureGroup, LayerControl, PolyLine
from web.ui.maps import MapParts, SafeLabel, base_map, map_html, render_parts
from web.ui.messages import unserved_reason

DAY_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")
UNSERVED_COLOUR = "#6b7280"
PADDING_DEG = 0.01


def day_label(day: dt.date) -> str:
    """30 November 2026 as 'Senin 30/11' (in the page's language)."""
    text: str = format_date(day, "EEEE dd/MM")
    return text


def _bounds(plan: PlanView) -> tuple[tuple[float, float], tuple[float, float]]:
    points = [(v.lat, v.lon) for r in plan.routes for v in r.visits]
    points += [(u["lat"], u["lon"]) for u in plan.unserved if "lat" in u]
    points += [(r.depot.lat, r.depot.lon) for r in plan.routes if r.depot]
    if not points:
        points = [(-7.37, 108.53)]
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return (min(lats) - PADDING_DEG, min(lons) - PADDING_DEG), (
        max(lats) + PADDING_DEG,
        max(lons) + PADDING_DEG,
    )


def _route_layer(fmap: folium.Map, route: RouteView) -> None:
    colour = DAY_COLOURS[route.date.weekday()]
    # The layer control shows its names as HTML: the vehicle name is user text.
    name = map_html(f"{day_label(route.date)} · {route.vehicle}")
    layer = FeatureGroup(name=name)
    path = [(v.lat, v.lon) for v in route.visits]
    if route.depot:
        home = (route.depot.lat, route.depot.lon)
        path = [home, *path, home]
    PolyLine(path, color=colour, weight=4, opacity=0.8, class_name="route-line").add_to(layer)
    for order, visit in enumerate(route.visits, start=1):
        marker = CircleMarker(
            (visit.lat, visit.lon),
            radius=8,
            color=colour,
            fill=True,
            fill_opacity=0.9,
            class_name="visit-marker",
        )
        times = f"{format_hhmm(visit.start)}–{format_hhmm(visit.departure)}"
        lines = [f"{order}. {visit.stop_name}", f"{day_label(route.date)} {times}", route.vehicle]
        marker.add_child(SafeLabel(lines)).add_child(SafeLabel(lines, popup=True)).add_to(layer)
    layer.add_to(fmap)


def plan_map(plan: PlanView) -> MapParts:
    """The plan's routes (straight lines between stops) and its unserved stops."""
    fmap = base_map(*_bounds(plan))
    for route in plan.routes:
        _route_layer(fmap, route)
    unserved = FeatureGroup(name=str(escape(_("Not served"))))
    for item in plan.unserved:
        if "lat" not in item:
            continue
        marker = CircleMarker(
            (item["lat"], item["lon"]),
            radius=6,
            color=UNSERVED_COLOUR,
            class_name="unserved-marker",
        )
        marker.add_child(SafeLabel([item["stop_name"], unserved_reason(item)])).add_to(unserved)
    unserved.add_to(fmap)
    LayerControl(collapsed=True).add_to(fmap)
    return render_parts(fmap)
