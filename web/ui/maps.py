"""Folium maps whose scripts and styles come from the app, with every user text escaped."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import folium
from branca.element import Figure
from flask import url_for
from flask_babel import gettext as _
from folium.template import Template
from markupsafe import Markup, escape
from shapely.geometry import shape

from planner.demand import VillageDemand
from planner.store import Depot, Stop, Village
from web.security import with_nonce
from web.ui.map_render import CircleMarker, FeatureGroup, GeoJson, Map, RenderOnce, TileLayer

KECAMATAN_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")
STOP_COLOUR = "#1f4e9c"
APPROXIMATE_COLOUR = "#c2410c"
DEPOT_COLOUR = "#111827"
# Priority classes (upper bound, colour): a sequential orange ramp, darker = more urgent.
PRIORITY_BINS = (
    (20.0, "#fff5eb"),
    (40.0, "#fdd0a2"),
    (60.0, "#fd8d3c"),
    (80.0, "#d94801"),
    (100.0, "#7f2704"),
)


@dataclass(frozen=True)
class MapParts:
    """The pieces of a rendered map to place in a page: header links, the div, the script."""

    header: Markup
    html: Markup
    script: Markup


def base_map(south_west: tuple[float, float], north_east: tuple[float, float]) -> folium.Map:
    """An empty map fitted to the bounds, loading Leaflet from this app, OSM tiles optional."""
    fmap = Map(tiles=None, control_scale=True, prefer_canvas=False)
    fmap.default_js = [("leaflet", url_for("vendor_leaflet.static", filename="leaflet.js"))]
    fmap.default_css = [("leaflet_css", url_for("vendor_leaflet.static", filename="leaflet.css"))]
    TileLayer(
        "OpenStreetMap", name="OpenStreetMap", attr="&copy; OpenStreetMap contributors"
    ).add_to(fmap)
    fmap.fit_bounds([list(south_west), list(north_east)])
    return fmap


def render_parts(fmap: folium.Map) -> MapParts:
    """Render the map into its header, body and script pieces."""
    root = cast(Figure, fmap.get_root())  # folium.Map puts itself in a Figure on creation
    root.render()
    return MapParts(
        header=with_nonce(root.header.render()),  # its inline <script> needs the CSP nonce
        html=Markup(root.html.render()),  # noqa: S704 (folium output, texts escaped on input)
        script=Markup(root.script.render()),  # noqa: S704
    )


def map_html(text: str) -> str:
    """User text for a map's HTML (tooltips, popups, layer names): escaped, braces as character
    references. branca compiles every rendered piece of a map as a Jinja template once more, so
    `{{ ... }}` in a stop's or vehicle's name would otherwise run on the server (or fail)."""
    return str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")


class SafeLabel(RenderOnce):
    """A tooltip or popup whose text is HTML-escaped and passed to Leaflet as a JSON string.

    folium's own Tooltip and Popup paste their text into a JavaScript template literal (where
    `${...}` runs) and its Popup needs jQuery; user-entered names must go through neither.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.{{ this.method }}(
            {{ this.html|tojson }}, {{ this.options|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, lines: list[str], popup: bool = False) -> None:
        # branca leaves MacroElement.__init__ unannotated (untyped_calls_exclude misses super()).
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "SafeLabel"
        self.method = "bindPopup" if popup else "bindTooltip"
        self.html = "<br>".join(map_html(line) for line in lines)
        self.options = {"maxWidth": 280} if popup else {"sticky": True}


def add_villages(fmap: folium.Map, villages: list[Village], population_label: str) -> None:
    """Draw each village polygon coloured by kecamatan, with its name and population."""
    kecamatan_codes = sorted({v.kecamatan_code for v in villages})
    layer = FeatureGroup(name=str(escape(_("Village")))).add_to(fmap)
    for village in villages:
        colour = KECAMATAN_COLOURS[kecamatan_codes.index(village.kecamatan_code) % 6]
        style = {
            "color": colour,
            "weight": 2,
            "fillColor": colour,
            "fillOpacity": 0.25,
            "className": "village-polygon",
        }
        shape = GeoJson(json.loads(village.geometry), style_function=lambda _f, s=style: s)
        lines = [
            f"{village.name} ({village.kind})",
            f"Kec. {village.kecamatan}",
            f"{population_label}: {village.population_estimate:,}".replace(",", "."),
        ]
        shape.add_child(SafeLabel(lines))
        shape.add_to(layer)


def add_stops(fmap: folium.Map, stops: list[Stop], approx_label: str) -> None:
    """Mark each stop; approximate ones as hollow dashed rings in another colour."""
    layer = FeatureGroup(name=str(escape(_("Service points")))).add_to(fmap)
    for stop in stops:
        colour = APPROXIMATE_COLOUR if stop.approximate else STOP_COLOUR
        lines = [stop.name, stop.kind] + ([approx_label] if stop.approximate else [])
        marker = CircleMarker(
            location=(stop.lat, stop.lon),
            radius=7,
            color=colour,
            weight=2,
            dash_array="3 3" if stop.approximate else None,
            fill=True,
            fill_opacity=0.15 if stop.approximate else 0.8,
            class_name="stop-approximate" if stop.approximate else "stop-marker",
        )
        marker.add_child(SafeLabel(lines)).add_child(SafeLabel(lines, popup=True))
        marker.add_to(layer)


def add_depot(fmap: folium.Map, depot: Depot, approx_label: str) -> None:
    """Mark the depot (the library) where every route starts and ends."""
    lines = [depot.name] + ([approx_label] if depot.approximate else [])
    marker = CircleMarker(
        location=(depot.lat, depot.lon),
        radius=9,
        color=DEPOT_COLOUR,
        weight=3,
        fill=True,
        fill_color="#fde047",
        fill_opacity=1.0,
        class_name="depot-marker",
    )
    marker.add_child(SafeLabel(lines)).add_to(fmap)


def region_bounds(villages: Sequence[Village]) -> tuple[tuple[float, float], tuple[float, float]]:
    """South-west and north-east corners around every village polygon."""
    boxes = [shape(json.loads(v.geometry)).bounds for v in villages]
    south_west = (min(b[1] for b in boxes), min(b[0] for b in boxes))
    north_east = (max(b[3] for b in boxes), max(b[2] for b in boxes))
    return south_west, north_east


def priority_colour(priority: float) -> str:
    """The choropleth colour of a priority score (0–100)."""
    return next(colour for bound, colour in PRIORITY_BINS if priority <= bound)


def add_priority_choropleth(
    fmap: folium.Map,
    villages: Sequence[Village],
    demand: Mapping[str, VillageDemand],
    labels: Mapping[str, str],
) -> None:
    """Fill each village by its priority, with the key numbers in the tooltip."""
    layer = FeatureGroup(name=labels["priority"]).add_to(fmap)
    for village in villages:
        result = demand[village.code]
        colour = priority_colour(result.priority)
        style = {
            "color": "#4b5563",
            "weight": 1,
            "fillColor": colour,
            "fillOpacity": 0.8,
            "className": "priority-polygon",
        }
        polygon = GeoJson(json.loads(village.geometry), style_function=lambda _f, s=style: s)
        rate = f"{result.interest_rate * 100:.0f}%".replace(".", ",")
        lines = [
            village.name,
            f"{labels['priority']}: {result.priority:.1f}".replace(".", ","),
            f"{labels['attendance']}: {result.expected_attendance:.0f}",
            f"{labels['interest']}: {rate} ({result.respondents} {labels['respondents']})",
            f"{labels['visits']}: {result.visits_per_rotation}",
        ]
        polygon.add_child(SafeLabel(lines))
        polygon.add_to(layer)
