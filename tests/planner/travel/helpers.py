"""Shared points and the small OSM grid drawn below, used by the travel tests."""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planner.travel import Point

BANJAR = Point(-7.370, 108.530)


# The test OSM extract (written by write_osm):
#
#   lat -7.369   D ──res oneway──> E ──res oneway──> F        ╱ private residential A–E
#                │                 ┆ footway,        │        (access=private: nobody uses it)
#                res               ┆ motorcycle=yes  res
#                │                 ┆                 │
#   lat -7.370   A ────primary──── B ────primary──── C        island X ─res─ Y at lat -7.360
#          lon 108.530          108.531           108.532              lon 108.540, 108.541
#
# Test speeds: primary 36 km/h = 10 m/s, residential 18 km/h = 5 m/s; the footway has no speed
# of its own, so a motorbike rides it at the slowest listed speed, 5 m/s.
# Edges: A–D (north-south, 0.001°) = 111.2 m; A–B (east-west, 0.001° at 7.37° S) = 110.3 m.
# D–E is drawn D→E with oneway=yes; E–F is drawn F→E with oneway=-1: both open eastward only.
TEST_SPEEDS_KMH = {"primary": 36.0, "residential": 18.0}
GRID_NODES = {
    1: (-7.370, 108.530),  # A
    2: (-7.370, 108.531),  # B
    3: (-7.370, 108.532),  # C
    4: (-7.369, 108.530),  # D
    5: (-7.369, 108.531),  # E
    6: (-7.369, 108.532),  # F
    7: (-7.360, 108.540),  # X (island)
    8: (-7.360, 108.541),  # Y (island)
}
GRID_WAYS: list[tuple[list[int], dict[str, str]]] = [
    ([1, 2, 3], {"highway": "primary", "name": "Jl. Siliwangi"}),
    ([1, 4], {"highway": "residential"}),
    ([3, 6], {"highway": "residential"}),
    ([4, 5], {"highway": "residential", "oneway": "yes"}),
    ([6, 5], {"highway": "residential", "oneway": "-1"}),
    ([2, 5], {"highway": "footway", "motorcycle": "yes"}),
    ([1, 5], {"highway": "residential", "access": "private"}),
    ([7, 8], {"highway": "residential"}),
    ([9, 1], {"highway": "residential"}),  # node 9 lies outside the extract
    ([4, 6], {"building": "yes"}),  # not a road
]
A, D, E, F = (Point(*GRID_NODES[n]) for n in (1, 4, 5, 6))
ISLAND = Point(*GRID_NODES[7])


def write_osm(path: Path, nodes: dict[int, tuple[Any, Any]], ways: Sequence[Any]) -> Path:
    """Write a minimal OSM XML extract: nodes first, then ways, as exported by the API."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    lines += [f'  <node id="{n}" lat="{lat}" lon="{lon}"/>' for n, (lat, lon) in nodes.items()]
    for way_id, (refs, tags) in enumerate(ways, start=100):
        lines.append(f'  <way id="{way_id}">')
        lines += [f'    <nd ref="{ref}"/>' for ref in refs]
        lines += [f'    <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append("  </way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
