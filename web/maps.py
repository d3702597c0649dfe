"""Folium maps whose scripts and styles come from the app, with every user text escaped."""

import json
from dataclasses import dataclass

import folium
from flask import url_for
from markupsafe import Markup, escape

from planner.models import Depot, Stop, Village

KECAMATAN_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")
STOP_COLOUR = "#1f4e9c"
APPROXIMATE_COLOUR = "#c2410c"
DEPOT_COLOUR = "#111827"


@dataclass(frozen=True)
class MapParts:
    """The pieces of a rendered map to place in a page: header links, the div, the script."""

    header: Markup
    html: Markup
    script: Markup


def base_map(south_west: tuple[float, float], north_east: tuple[float, float]) -> folium.Map:
    """An empty map fitted to the bounds, loading Leaflet from this app, OSM tiles optional."""
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=False)
    fmap.default_js = [("leaflet", url_for("vendor_leaflet.static", filename="leaflet.js"))]
    fmap.default_css = [("leaflet_css", url_for("vendor_leaflet.static", filename="leaflet.css"))]
    folium.TileLayer(
        "OpenStreetMap", name="OpenStreetMap", attr="&copy; OpenStreetMap contributors"
    ).add_to(fmap)
    fmap.fit_bounds([list(south_west), list(north_east)])
    return fmap


def render_parts(fmap: folium.Map) -> MapParts:
    """Render the map into its header, body and script pieces."""
    root = fmap.get_root()
    root.render()
    return MapParts(
        header=Markup(root.header.render()),  # noqa: S704 (folium output, texts escaped on input)
        html=Markup(root.html.render()),  # noqa: S704
        script=Markup(root.script.render()),  # noqa: S704
    )


def _tooltip(lines: list[str]) -> folium.Tooltip:
    """A tooltip whose lines are escaped; folium would otherwise insert them as raw HTML."""
    return folium.Tooltip("<br>".join(str(escape(line)) for line in lines))


def add_villages(fmap: folium.Map, villages: list[Village], population_label: str) -> None:
    """Draw each village polygon coloured by kecamatan, with its name and population."""
    kecamatan_codes = sorted({v.kecamatan_code for v in villages})
    layer = folium.FeatureGroup(name="Desa/kelurahan").add_to(fmap)
    for village in villages:
        colour = KECAMATAN_COLOURS[kecamatan_codes.index(village.kecamatan_code) % 6]
        style = {
            "color": colour,
            "weight": 2,
            "fillColor": colour,
            "fillOpacity": 0.25,
            "className": "village-polygon",
        }
        folium.GeoJson(
            json.loads(village.geometry),
            style_function=lambda _f, s=style: s,
            tooltip=_tooltip(
                [
                    f"{village.name} ({village.kind})",
                    f"Kec. {village.kecamatan}",
                    f"{population_label}: {village.population_estimate:,}".replace(",", "."),
                ]
            ),
        ).add_to(layer)


def add_stops(fmap: folium.Map, stops: list[Stop], approx_label: str) -> None:
    """Mark each stop; approximate ones as hollow dashed rings in another colour."""
    layer = folium.FeatureGroup(name="Titik layanan").add_to(fmap)
    for stop in stops:
        colour = APPROXIMATE_COLOUR if stop.approximate else STOP_COLOUR
        lines = [stop.name, stop.kind] + ([approx_label] if stop.approximate else [])
        folium.CircleMarker(
            location=(stop.lat, stop.lon),
            radius=7,
            color=colour,
            weight=2,
            dash_array="3 3" if stop.approximate else None,
            fill=True,
            fill_opacity=0.15 if stop.approximate else 0.8,
            class_name="stop-approximate" if stop.approximate else "stop-marker",
            tooltip=_tooltip(lines),
            popup=folium.Popup("<br>".join(str(escape(line)) for line in lines), max_width=260),
        ).add_to(layer)


def add_depot(fmap: folium.Map, depot: Depot, approx_label: str) -> None:
    """Mark the depot (the library) where every route starts and ends."""
    lines = [depot.name] + ([approx_label] if depot.approximate else [])
    folium.CircleMarker(
        location=(depot.lat, depot.lon),
        radius=9,
        color=DEPOT_COLOUR,
        weight=3,
        fill=True,
        fill_color="#fde047",
        fill_opacity=1.0,
        class_name="depot-marker",
        tooltip=_tooltip(lines),
    ).add_to(fmap)
