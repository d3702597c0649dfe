"""Folium map elements whose rendered pieces are placed in the page as they are.

branca 0.8.2 (pinned) places each piece an element renders (its header, html and script macros)
in the figure as `Element(text)`, which compiles that already rendered text as a Jinja template
once more: about 60 % of a map page's time, and a template-injection hole for user text (closed
separately by `maps.map_html`). `RenderOnce` takes the place of `MacroElement.render` in the
method order of the element classes below (folium's own `render` steps still run first) and
places each piece as text. The page is byte for byte what branca produces for pieces without
Jinja syntax (tests/web/test_map_render_once.py); a piece with Jinja syntax is shown as written.
"""

import re
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement

PARTS = ("header", "html", "script")
_NEWLINE = re.compile(r"\r\n|\r|\n")


def as_template_output(text: str) -> str:
    """What jinja2 renders from a template source without template syntax: newlines as `\\n`,
    one trailing newline dropped (jinja2's defaults, as branca's `Element(text)` uses them)."""
    lines = _NEWLINE.split(text)
    if lines[-1] == "":
        del lines[-1]
    return "\n".join(lines)


class RenderedPiece(Element):
    """A piece of a map an element has rendered already, placed in the figure as text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RenderedPiece"
        self.text = as_template_output(str(text))

    def render(self, **kwargs: Any) -> str:
        return self.text


def render_child(child: Element, kwargs: dict[str, Any]) -> None:
    """Render a child; one without a `render` of its own (folium's FitBounds, the layers'
    addTo statements, a marker's icon) the same way as a `RenderOnce` element."""
    if type(child).render is MacroElement.render:
        RenderOnce.render(child, **kwargs)  # type: ignore[arg-type]
    else:
        child.render(**kwargs)


class RenderOnce(MacroElement):
    """`MacroElement.render` of branca 0.8.2 with each piece placed as text, not compiled."""

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca's returns None
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("A map element can only be rendered inside a Figure.")
        macros = self._template.module.__dict__
        for part in PARTS:
            macro = macros.get(part)
            if macro is not None:
                piece = RenderedPiece(macro(self, kwargs))
                getattr(figure, part).add_child(piece, name=self.get_name())
        for child in list(self._children.values()):
            render_child(child, kwargs)


# The folium classes the app's maps use, with RenderOnce just before MacroElement in their
# method order (each folium `render` calls super().render() and ends in RenderOnce.render).
class Map(folium.Map, RenderOnce):
    """folium.Map, rendered once."""


class TileLayer(folium.TileLayer, RenderOnce):
    """folium.TileLayer, rendered once."""


class FeatureGroup(folium.FeatureGroup, RenderOnce):
    """folium.FeatureGroup, rendered once."""


class LayerControl(folium.LayerControl, RenderOnce):
    """folium.LayerControl, rendered once."""


class CircleMarker(folium.CircleMarker, RenderOnce):  # type: ignore[misc]  # render(self)
    """folium.CircleMarker, rendered once."""


class Marker(folium.Marker, RenderOnce):  # type: ignore[misc]  # render(self)
    """folium.Marker, rendered once."""


class DivIcon(folium.DivIcon, RenderOnce):
    """folium.DivIcon, rendered once."""


class PolyLine(folium.PolyLine, RenderOnce):
    """folium.PolyLine, rendered once."""


class GeoJson(folium.GeoJson, RenderOnce):
    """folium.GeoJson, rendered once."""
