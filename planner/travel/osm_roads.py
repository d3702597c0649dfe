"""Which OSM ways a vehicle may use, in which direction and how fast; the routable graph."""

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from types import MappingProxyType
from typing import TYPE_CHECKING

from planner.core import haversine_m
from planner.travel.core import metres_per_second
from planner.travel.osm_read import RoadData, RoadWay

# Town-traffic speeds (km/h) per highway type. The keys are also the road types a vehicle uses
# by default. Motorbikes are a little faster on small town roads, may use tracks and paths, and
# may not use toll roads (motorway) in Indonesia unless a way says motorcycle=yes.
_VAN_SPEEDS_KMH = {
    "motorway": 60.0,
    "motorway_link": 40.0,
    "trunk": 45.0,
    "trunk_link": 30.0,
    "primary": 40.0,
    "primary_link": 30.0,
    "secondary": 35.0,
    "secondary_link": 30.0,
    "tertiary": 30.0,
    "tertiary_link": 25.0,
    "unclassified": 25.0,
    "road": 20.0,
    "residential": 20.0,
    "service": 15.0,
    "living_street": 10.0,
}
_MOTOR_SPEEDS_KMH = {
    **{k: v for k, v in _VAN_SPEEDS_KMH.items() if not k.startswith("motorway")},
    "tertiary": 32.0,
    "unclassified": 28.0,
    "road": 22.0,
    "residential": 25.0,
    "service": 18.0,
    "living_street": 12.0,
    "track": 10.0,
    "path": 8.0,
}
DEFAULT_ROAD_SPEEDS_KMH: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {"van": MappingProxyType(_VAN_SPEEDS_KMH), "motor": MappingProxyType(_MOTOR_SPEEDS_KMH)}
)
# Access tags from the most to the least specific. The first two may also open a road type the
# vehicle does not use by default (a gang mapped as footway with motorcycle=yes).
ACCESS_KEYS = {
    "van": ("motorcar", "motor_vehicle", "vehicle", "access"),
    "motor": ("motorcycle", "motor_vehicle", "vehicle", "access"),
}
GRANTING_KEY_COUNT = 2
DENY_VALUES = frozenset({"no", "private", "agricultural", "forestry", "military"})
GRANT_VALUES = frozenset({"yes", "designated", "permissive", "destination", "customers"})
# Never driven, whatever the access tags say.
NEVER_ROUTABLE = frozenset({"steps", "elevator", "platform", "proposed", "construction"})
FORWARD_VALUES = frozenset({"yes", "true", "1"})
BACKWARD_VALUES = frozenset({"-1", "reverse"})
IMPLIED_ONEWAY_JUNCTIONS = frozenset({"roundabout", "circular"})
IMPLIED_ONEWAY_HIGHWAYS = frozenset({"motorway"})

if TYPE_CHECKING:  # numpy is imported when a road graph is built
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
# (target node, duration_s, distance_m)
Edge = tuple[int, float, float]


def access_decision(tags: Mapping[str, str], vehicle_kind: str) -> bool | None:
    """True if tags open the way to this vehicle, False if they close it, None if silent."""
    for rank, key in enumerate(ACCESS_KEYS[vehicle_kind]):
        value = tags.get(key)
        if value is None:
            continue
        if value in DENY_VALUES:
            return False
        if value in GRANT_VALUES and rank < GRANTING_KEY_COUNT:
            return True
        return None
    return None


def way_speed_kmh(
    tags: Mapping[str, str], vehicle_kind: str, speeds_kmh: Mapping[str, float]
) -> float | None:
    """The vehicle's speed on this way, or None if it may not use it."""
    highway = tags.get("highway", "")
    if tags.get("area") == "yes" or highway in NEVER_ROUTABLE:
        return None
    access = access_decision(tags, vehicle_kind)
    if access is False:
        return None
    if highway in speeds_kmh:
        return speeds_kmh[highway]
    return min(speeds_kmh.values()) if access else None


def oneway_direction(tags: Mapping[str, str]) -> int:
    """1 if only along the node order, -1 if only against it, 0 if both ways."""
    value = tags.get("oneway", "")
    if value in FORWARD_VALUES:
        return 1
    if value in BACKWARD_VALUES:
        return -1
    if value == "no":
        return 0
    implied = (
        tags.get("junction") in IMPLIED_ONEWAY_JUNCTIONS
        or tags.get("highway") in IMPLIED_ONEWAY_HIGHWAYS
    )
    return 1 if implied else 0


@dataclass(frozen=True, eq=False)
class RoadGraph:
    """The directed road graph one vehicle kind may use, with node positions in degrees."""

    node_lat: "FloatArray"
    node_lon: "FloatArray"
    adjacency: tuple[tuple[Edge, ...], ...]
    slowest_speed_mps: float

    @property
    def node_count(self) -> int:
        """The number of routable nodes."""
        return len(self.adjacency)


class _GraphBuilder:
    def __init__(self, coords: Mapping[int, tuple[float, float]]) -> None:
        self.coords = coords
        self.index: dict[int, int] = {}
        self.positions: list[tuple[float, float]] = []
        self.edges: list[list[Edge]] = []

    def node(self, osm_id: int) -> int:
        """The graph index of an OSM node, added on first sight."""
        if osm_id not in self.index:
            self.index[osm_id] = len(self.positions)
            self.positions.append(self.coords[osm_id])
            self.edges.append([])
        return self.index[osm_id]

    def add_way(self, way: RoadWay, speed_mps: float, direction: int) -> None:
        """Add an edge per segment of the way (both ends in the extract), in its direction(s)."""
        for a_id, b_id in pairwise(way.node_ids):
            # An extract cut at its border leaves ways pointing at nodes it does not hold.
            if a_id not in self.coords or b_id not in self.coords or a_id == b_id:
                continue
            a, b = self.node(a_id), self.node(b_id)
            length_m = haversine_m(*self.coords[a_id], *self.coords[b_id])
            duration_s = length_m / speed_mps
            if direction >= 0:
                self.edges[a].append((b, duration_s, length_m))
            if direction <= 0:
                self.edges[b].append((a, duration_s, length_m))


def build_graph(data: RoadData, vehicle_kind: str, speeds_kmh: Mapping[str, float]) -> RoadGraph:
    """The directed graph of the ways this vehicle kind may use, weighted by duration."""
    builder = _GraphBuilder(data.node_coords)
    for way in data.ways:
        speed_kmh = way_speed_kmh(way.tags, vehicle_kind, speeds_kmh)
        if speed_kmh is not None:
            builder.add_way(way, metres_per_second(speed_kmh), oneway_direction(way.tags))
    import numpy as np  # noqa: PLC0415 - 20 MB: only when a road extract is used

    positions = np.array(builder.positions, dtype=np.float64).reshape(-1, 2)
    return RoadGraph(
        node_lat=positions[:, 0],
        node_lon=positions[:, 1],
        adjacency=tuple(tuple(edges) for edges in builder.edges),
        slowest_speed_mps=metres_per_second(min(speeds_kmh.values())),
    )
