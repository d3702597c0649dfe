"""The region's village polygons: which village a point lies in, with slack at the edges.

The stop form and the stops CSV import both check positions with it.
"""

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from planner.core import _
from planner.store import Village

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

# A stop may sit just across a village edge (the polygons are simplified): about 1 km slack.
BOUNDARY_SLACK_DEG = 0.01


class VillageShapes:
    """The region's village polygons, to tell whether a point belongs to a village."""

    def __init__(self, villages: Iterable[Village], region_name: str) -> None:
        from shapely.geometry import shape  # noqa: PLC0415 - shapely (with numpy) when used

        rows = list(villages)
        self.names = {v.code: v.name for v in rows}
        self.region_name = region_name
        self._shapes: dict[str, BaseGeometry] = {
            v.code: shape(json.loads(v.geometry)) for v in rows
        }
        # The polygons are simplified: like the importer, accept about 1 km past the edge.
        self._slack = {code: s.buffer(BOUNDARY_SLACK_DEG) for code, s in self._shapes.items()}

    def locate(self, lat: float, lon: float) -> str | None:
        """The code of the village containing the point, if any."""
        from shapely.geometry import Point  # noqa: PLC0415

        point = Point(lon, lat)
        return next((code for code, s in self._shapes.items() if s.contains(point)), None)

    def contains(self, code: str, lat: float, lon: float) -> bool:
        """Whether the point lies in village `code`, or within the slack past its edge."""
        from shapely.geometry import Point  # noqa: PLC0415

        return bool(self._slack[code].contains(Point(lon, lat)))

    def problem(self, code: str, lat: float, lon: float) -> str | None:
        """Why the point cannot be a stop of village `code`; None when it can."""
        if self.contains(code, lat, lon):
            return None
        name, where = self.names[code], self.locate(lat, lon)
        if where is not None:
            msg = _("The point ({lat}, {lon}) is in {where}, not in {village}.")
            return msg.format(lat=lat, lon=lon, where=self.names[where], village=name)
        hint = ""
        if self.locate(-lat, lon) is not None:
            hint = " " + _(
                "Latitudes south of the equator are negative: did you mean {lat}?"
            ).format(lat=-lat)
        msg = _("The point ({lat}, {lon}) is outside {region}.")
        return msg.format(lat=lat, lon=lon, region=self.region_name) + hint
