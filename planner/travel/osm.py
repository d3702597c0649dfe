"""Travel times over the road network of an OpenStreetMap extract the user supplies.

Each point is snapped to its nearest routable node; the snap distance is added at the vehicle's
slowest road speed. Durations come from one Dijkstra run per distinct snapped node (pure Python
with heapq: scipy is not a dependency, and early exit once every point is settled keeps a
town-sized graph fast). The run orders paths by (duration, distance), so the distance reported
is the length of the fastest route, the one a driver would take, not of the shortest one.
"""

import heapq
import math
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from planner.core import haversine_m
from planner.travel.core import (
    Point,
    TravelError,
    TravelMatrix,
    ceil_seconds,
    check_speeds_kmh,
    require_vehicle_kind,
    unreachable_error,
)
from planner.travel.osm_read import RoadData, read_roads
from planner.travel.osm_roads import ACCESS_KEYS, DEFAULT_ROAD_SPEEDS_KMH, RoadGraph, build_graph

# A point farther than this from every road is probably outside the extract.
MAX_SNAP_M = 2000.0
# (duration_s, distance_m) of the fastest path to a node.
Cost = tuple[float, float]


def fastest_paths(graph: RoadGraph, source: int, targets: set[int]) -> dict[int, Cost]:
    """Dijkstra by (duration, distance) from source until every reachable target is settled."""
    best_s = [math.inf] * graph.node_count
    best_m = [math.inf] * graph.node_count
    best_s[source] = best_m[source] = 0.0
    settled = [False] * graph.node_count
    remaining = set(targets)
    heap: list[tuple[float, float, int]] = [(0.0, 0.0, source)]
    while heap and remaining:
        duration_s, distance_m, node = heapq.heappop(heap)
        if settled[node]:
            continue
        settled[node] = True
        remaining.discard(node)
        for target, edge_s, edge_m in graph.adjacency[node]:
            cost_s, cost_m = duration_s + edge_s, distance_m + edge_m
            if not settled[target] and (cost_s, cost_m) < (best_s[target], best_m[target]):
                best_s[target], best_m[target] = cost_s, cost_m
                heapq.heappush(heap, (cost_s, cost_m, target))
    return {t: (best_s[t], best_m[t]) for t in targets if settled[t]}


def nearest_node(graph: RoadGraph, point: Point) -> tuple[int, float]:
    """The routable node nearest to a point and its distance in metres."""
    # Equirectangular distances rank nodes correctly at town scale; haversine gives the metres.
    cos_lat = math.cos(math.radians(point.lat))
    d_lat = graph.node_lat - point.lat
    d_lon = (graph.node_lon - point.lon) * cos_lat
    import numpy as np  # noqa: PLC0415 - only when a road extract is used

    node = int(np.argmin(d_lat * d_lat + d_lon * d_lon))
    snap_m = haversine_m(point.lat, point.lon, graph.node_lat[node], graph.node_lon[node])
    return node, snap_m


class OsmProvider:
    """Travel times over the roads of a .osm (or .osm.pbf) extract."""

    name = "osm"

    def __init__(
        self, path: Path, speeds_kmh: Mapping[str, Mapping[str, float]] | None = None
    ) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            msg = f"Berkas OpenStreetMap '{self.path}' tidak ditemukan."
            raise TravelError(msg)
        merged = {**DEFAULT_ROAD_SPEEDS_KMH, **(speeds_kmh or {})}
        unknown = sorted(set(merged) - set(ACCESS_KEYS))
        if unknown:
            msg = f"speeds_kmh has no access rules for vehicle kinds {unknown}"
            raise ValueError(msg)
        # A kind's table replaces the default one: its keys are the road types the kind uses.
        self.speeds_kmh = {
            kind: check_speeds_kmh(table, f"{kind} road") for kind, table in merged.items()
        }
        if any(not table for table in self.speeds_kmh.values()):
            msg = "every vehicle kind needs at least one road type with a speed"
            raise ValueError(msg)
        self._lock = threading.Lock()
        self._roads: RoadData | None = None
        self._graphs: dict[str, RoadGraph] = {}

    @property
    def cache_key(self) -> str:
        """What identifies this provider's answers: the file (path, size, mtime) and speeds."""
        try:
            stat = self.path.stat()
        except OSError as error:
            msg = f"Berkas OpenStreetMap '{self.path}' tidak dapat dibaca."
            raise TravelError(msg) from error
        speeds = sorted((k, sorted(v.items())) for k, v in self.speeds_kmh.items())
        return f"osm:{self.path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{speeds}"

    @property
    def label(self) -> str:
        """The label shown in every plan made with this provider."""
        return f"Jaringan jalan OpenStreetMap (berkas {self.path.name})"

    def graph(self, vehicle_kind: str) -> RoadGraph:
        """The road graph for one vehicle kind, reading the file on first use."""
        require_vehicle_kind(vehicle_kind, self.speeds_kmh)
        with self._lock:
            if self._roads is None:
                self._roads = read_roads(self.path)
            if vehicle_kind not in self._graphs:
                speeds = self.speeds_kmh[vehicle_kind]
                self._graphs[vehicle_kind] = build_graph(self._roads, vehicle_kind, speeds)
            graph = self._graphs[vehicle_kind]
        if graph.node_count == 0:
            msg = (
                f"Berkas '{self.path.name}' tidak berisi jalan yang dapat dilalui kendaraan "
                f"jenis '{vehicle_kind}'."
            )
            raise TravelError(msg)
        return graph

    def matrix(self, points: Sequence[Point], vehicle_kind: str) -> TravelMatrix:
        """Fastest road durations, and the lengths of those routes, between every pair."""
        graph = self.graph(vehicle_kind)
        snaps = [self._snap(graph, points, index) for index in range(len(points))]
        nodes = {node for node, _ in snaps}
        paths = {node: fastest_paths(graph, node, nodes) for node in nodes}
        size = range(len(points))
        distance_m = [[0] * len(points) for _ in size]
        duration_s = [[0] * len(points) for _ in size]
        missing: list[tuple[int, int]] = []
        for i in size:
            for j in size:
                if i == j or points[i] == points[j]:
                    continue
                path = paths[snaps[i][0]].get(snaps[j][0])
                if path is None:
                    missing.append((i, j))
                    continue
                snap_m = snaps[i][1] + snaps[j][1]
                distance_m[i][j] = round(path[1] + snap_m)
                duration_s[i][j] = ceil_seconds(path[0] + snap_m / graph.slowest_speed_mps)
        if missing:
            raise unreachable_error(points, missing, f"jaringan jalan berkas {self.path.name}")
        return TravelMatrix(
            provider=self.name,
            label=self.label,
            vehicle_kind=vehicle_kind,
            distance_m=tuple(map(tuple, distance_m)),
            duration_s=tuple(map(tuple, duration_s)),
        )

    def _snap(self, graph: RoadGraph, points: Sequence[Point], index: int) -> tuple[int, float]:
        node, snap_m = nearest_node(graph, points[index])
        if snap_m > MAX_SNAP_M:
            msg = (
                f"Titik ke-{index + 1} ({points[index].describe()}) berjarak "
                f"{_km(snap_m)} km dari jalan terdekat dalam berkas {self.path.name}. "
                "Periksa letak titik itu, atau apakah berkas mencakup wilayahnya."
            )
            raise TravelError(msg, point_index=index)
        return node, snap_m


def _km(distance_m: float) -> str:
    """Kilometres with one decimal and a decimal comma, as written in Indonesian."""
    return f"{distance_m / 1000:.1f}".replace(".", ",")
