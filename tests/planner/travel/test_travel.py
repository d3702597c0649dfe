"""Travel-time providers: straight-line estimate, OSRM server, OSM extract, and the cache."""

import http.server
import json
import math
import socket
import sys
import threading
import types
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from planner.core import EARTH_RADIUS_M, haversine_m
from planner.travel import (
    DEFAULT_ROAD_SPEEDS_KMH,
    CachedProvider,
    EstimateProvider,
    OsmProvider,
    OsrmProvider,
    Point,
    TravelError,
    TravelMatrix,
    provider_from_config,
)

BANJAR = Point(-7.370, 108.530)


def north_of(point: Point, distance_m: float) -> Point:
    """The point distance_m due north (along a meridian haversine is exactly R·Δφ)."""
    return Point(point.lat + math.degrees(distance_m / EARTH_RADIUS_M), point.lon)


# --- the matrix type -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("distance_m", "duration_s", "problem"),
    [
        (((0, 1),), ((0, 1),), "square"),
        (((0, 1), (1, 0)), ((0,),), "rows"),
        (((0, -1), (1, 0)), ((0, 1), (1, 0)), "negative"),
        (((0, 1), (1, 0)), ((5, 1), (1, 0)), "diagonal"),
    ],
)
def test_matrix_rejects_malformed_tables(
    distance_m: tuple[tuple[int, ...], ...], duration_s: tuple[tuple[int, ...], ...], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        TravelMatrix("estimate", "x", "van", distance_m, duration_s)


def test_point_rejects_impossible_coordinates() -> None:
    with pytest.raises(ValueError, match="lat"):
        Point(108.5, -7.3)


# --- estimate --------------------------------------------------------------------------------


def test_estimate_is_straight_line_times_circuity_at_town_speed() -> None:
    points = [BANJAR, north_of(BANJAR, 1000.0)]
    assert haversine_m(points[0].lat, points[0].lon, points[1].lat, points[1].lon) == (
        pytest.approx(1000.0)
    )
    van = EstimateProvider().matrix(points, "van")
    motor = EstimateProvider().matrix(points, "motor")
    # 1000 m × 1.3 = 1300 m of road.
    assert van.distance_m == ((0, 1300), (1300, 0))
    # Van 30 km/h = 8.33 m/s: 1300 / 8.33 = 156.0 s (float noise must not make it 157).
    assert van.duration_s == ((0, 156), (156, 0))
    # Motor 35 km/h = 9.72 m/s: 1300 / 9.72 = 133.7 s, rounded up to 134.
    assert motor.duration_s == ((0, 134), (134, 0))
    assert (van.provider, van.vehicle_kind, motor.vehicle_kind) == ("estimate", "van", "motor")
    assert "Perkiraan" in van.label and "1,3" in van.label and "bukan jaringan jalan" in van.label


def test_estimate_is_symmetric_with_zero_diagonal() -> None:
    points = [BANJAR, Point(-7.35, 108.56), Point(-7.40, 108.60)]
    matrix = EstimateProvider(circuity=1.5, speeds_kmh={"van": 20.0}).matrix(points, "van")
    for table in (matrix.distance_m, matrix.duration_s):
        assert all(table[i][i] == 0 for i in range(3))
        assert all(table[i][j] == table[j][i] for i in range(3) for j in range(3))
    assert "1,5" in matrix.label


def test_estimate_refuses_an_unknown_vehicle_kind() -> None:
    with pytest.raises(TravelError, match="sepeda"):
        EstimateProvider().matrix([BANJAR], "sepeda")


# --- OSRM ------------------------------------------------------------------------------------


@dataclass
class FakeOsrm:
    """A canned OSRM answer and the request paths the fake server saw."""

    url: str
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)


class _OsrmHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        fake: FakeOsrm = self.server.fake  # type: ignore[attr-defined]
        fake.paths.append(self.path)
        body = json.dumps(fake.body).encode()
        self.send_response(fake.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@pytest.fixture
def osrm_server() -> Iterator[FakeOsrm]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _OsrmHandler)
    fake = FakeOsrm(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.fake = fake  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


OSRM_POINTS = [Point(-7.37, 108.53), Point(-7.36, 108.54), Point(-7.35, 108.55)]


def test_osrm_asks_the_table_service_and_returns_its_matrices(osrm_server: FakeOsrm) -> None:
    osrm_server.body = {
        "code": "Ok",
        "durations": [[0, 120.4, 300.0], [130.0, 0, 200.2], [310.5, 210.0, 0]],
        "distances": [[0, 1500.6, 4000.0], [1600.2, 0, 2500.0], [4100.0, 2600.4, 0]],
    }
    matrix = OsrmProvider(osrm_server.url + "/").matrix(OSRM_POINTS, "van")
    assert osrm_server.paths == [
        "/table/v1/driving/108.530000,-7.370000;108.540000,-7.360000;108.550000,-7.350000"
        "?annotations=duration,distance"
    ]
    # Seconds are rounded up, metres to the nearest metre; OSRM's own asymmetry is kept.
    assert matrix.duration_s == ((0, 121, 300), (130, 0, 201), (311, 210, 0))
    assert matrix.distance_m == ((0, 1501, 4000), (1600, 0, 2500), (4100, 2600, 0))
    assert (matrix.provider, matrix.vehicle_kind) == ("osrm", "van")
    assert matrix.label.startswith(f"Server OSRM {osrm_server.url}")


def test_osrm_uses_the_configured_profile_for_motorbikes(osrm_server: FakeOsrm) -> None:
    osrm_server.body = {"code": "Ok", "durations": [[0]], "distances": [[0]]}
    provider = OsrmProvider(osrm_server.url, profiles={"motor": "motorbike"})
    provider.matrix(OSRM_POINTS[:1], "motor")
    provider.matrix(OSRM_POINTS[:1], "van")
    assert [path.split("/")[3] for path in osrm_server.paths] == ["motorbike", "driving"]


def test_osrm_null_entry_names_the_unreachable_point(osrm_server: FakeOsrm) -> None:
    # The third point can neither be reached nor left: its row and column are null.
    osrm_server.body = {
        "code": "Ok",
        "durations": [[0, 120, None], [130, 0, None], [None, None, 0]],
        "distances": [[0, 1500, None], [1600, 0, None], [None, None, 0]],
    }
    with pytest.raises(TravelError, match="Titik ke-3") as caught:
        OsrmProvider(osrm_server.url).matrix(OSRM_POINTS, "van")
    assert caught.value.point_index == 2


@pytest.mark.parametrize("status", [200, 400])
def test_osrm_error_code_becomes_a_travel_error(osrm_server: FakeOsrm, status: int) -> None:
    osrm_server.status = status
    osrm_server.body = {"code": "NoRoute", "message": "Impossible route between points"}
    with pytest.raises(TravelError, match="NoRoute"):
        OsrmProvider(osrm_server.url).matrix(OSRM_POINTS, "van")


def test_osrm_wrong_address_and_garbled_answer(osrm_server: FakeOsrm) -> None:
    osrm_server.status = 404
    osrm_server.body = {"error": "not here"}
    with pytest.raises(TravelError, match="HTTP 404"):
        OsrmProvider(osrm_server.url).matrix(OSRM_POINTS, "van")
    osrm_server.status = 200
    osrm_server.body = {"code": "Ok", "durations": [[0, 1]], "distances": [[0, 1]]}
    with pytest.raises(TravelError, match="durations"):
        OsrmProvider(osrm_server.url).matrix(OSRM_POINTS, "van")


def test_osrm_closed_port_is_a_travel_error_not_a_traceback() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TravelError, match="tidak dapat dihubungi"):
        OsrmProvider(f"http://127.0.0.1:{port}").matrix(OSRM_POINTS, "van")


def test_osrm_silent_server_times_out() -> None:
    # A listening socket that never answers: the connection opens, the reply never comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(TravelError, match="tidak menjawab"):
            OsrmProvider(url, timeout_s=0.2).matrix(OSRM_POINTS, "van")


def test_osrm_refuses_an_address_without_scheme() -> None:
    with pytest.raises(TravelError, match="http://"):
        OsrmProvider("router.example:5000")


# --- OSM extract -----------------------------------------------------------------------------
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


@pytest.fixture
def grid(tmp_path: Path) -> OsmProvider:
    path = write_osm(tmp_path / "banjar.osm", GRID_NODES, GRID_WAYS)
    return OsmProvider(path, speeds_kmh={"van": TEST_SPEEDS_KMH, "motor": TEST_SPEEDS_KMH})


def test_osm_van_durations_follow_roads_oneways_and_speeds(grid: OsmProvider) -> None:
    matrix = grid.matrix([A, D, E, F], "van")
    # A→D 111.2/5 = 22.2 → 23 s.   A→E via D: 22.2 + 110.3/5 = 44.3 → 45 (not the private
    # diagonal: 156.6/5 = 31.3).   A→F via B, C: 220.6/10 + 22.2 = 44.3 → 45.
    # E→A cannot go back west on the oneway: E→F→C→B→A = 22.1 + 22.2 + 22.1 = 66.3 → 67.
    # E→D = E→F→C→B→A→D = 88.6 → 89.   F→D = F→C→B→A→D = 66.5 → 67.
    assert matrix.duration_s == (
        (0, 23, 45, 45),
        (23, 0, 23, 45),
        (67, 89, 0, 23),
        (45, 67, 89, 0),
    )
    # The distance is that of the fastest route: D→F 2 × 110.3 = 221 m, F→D 443 m.
    assert (matrix.distance_m[1][3], matrix.distance_m[3][1]) == (221, 443)
    assert matrix.provider == "osm"
    assert matrix.label == "Jaringan jalan OpenStreetMap (berkas banjar.osm)"


def test_osm_motorbike_takes_the_footway_the_van_avoids(grid: OsmProvider) -> None:
    van = grid.matrix([A, E], "van")
    motor = grid.matrix([A, E], "motor")
    # Motorbike A→B→E: 110.3/10 + 111.2/5 = 11.0 + 22.2 = 33.3 → 34 s both ways, 221 m.
    assert motor.duration_s == ((0, 34), (34, 0))
    assert motor.distance_m == ((0, 221), (221, 0))
    # The van goes round: 45 s there and 67 s back (see the grid test above).
    assert van.duration_s == ((0, 45), (67, 0))


def test_osm_snap_distance_is_added_at_the_slowest_speed(grid: OsmProvider) -> None:
    near_a = Point(-7.37018, 108.530)  # 0.00018° = 20.0 m south of A, off every road
    matrix = grid.matrix([near_a, D], "van")
    # 20.0 m at 5 m/s = 4.0 s, then A→D 22.2 s: 26.2 → 27 s over 20.0 + 111.2 = 131 m.
    assert matrix.duration_s == ((0, 27), (27, 0))
    assert matrix.distance_m == ((0, 131), (131, 0))


def test_osm_point_on_an_island_is_named(grid: OsmProvider) -> None:
    with pytest.raises(TravelError, match=r"Titik ke-3 \(-7\.36000, 108\.54000\)") as caught:
        grid.matrix([A, D, ISLAND, F], "van")
    assert caught.value.point_index == 2


def test_osm_point_far_from_every_road_is_refused(grid: OsmProvider) -> None:
    with pytest.raises(TravelError, match="Titik ke-2.*km dari jalan terdekat"):
        grid.matrix([A, Point(-7.45, 108.62)], "van")


def test_osm_default_speeds_and_road_types(tmp_path: Path) -> None:
    provider = OsmProvider(write_osm(tmp_path / "grid.osm", GRID_NODES, GRID_WAYS))
    # Default van residential speed 20 km/h = 5.56 m/s: A→D 111.2 / 5.56 = 20.0 → 21 s.
    assert provider.matrix([A, D], "van").duration_s == ((0, 21), (21, 0))
    assert "footway" not in DEFAULT_ROAD_SPEEDS_KMH["van"]
    assert {"track", "path"} <= set(DEFAULT_ROAD_SPEEDS_KMH["motor"])
    assert "motorway" not in DEFAULT_ROAD_SPEEDS_KMH["motor"]  # no motorbikes on toll roads


def test_osm_extract_without_roads_for_the_vehicle(tmp_path: Path) -> None:
    path = write_osm(tmp_path / "paths.osm", GRID_NODES, [([1, 2], {"highway": "path"})])
    with pytest.raises(TravelError, match="tidak berisi jalan"):
        OsmProvider(path).matrix([A, D], "van")
    assert OsmProvider(path).matrix([A], "motor").duration_s == ((0,),)


def test_osm_broken_xml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.osm"
    path.write_text('<osm>\n<node id="1" lat="-7.3" lon="108.5">\n</osm>', encoding="utf-8")
    with pytest.raises(TravelError, match="baris 3"):
        OsmProvider(path).matrix([A], "van")


def test_osm_node_without_coordinates_is_reported(tmp_path: Path) -> None:
    path = write_osm(tmp_path / "rusak.osm", {**GRID_NODES, 4: ("abc", 108.53)}, GRID_WAYS)
    with pytest.raises(TravelError, match="rusak"):
        OsmProvider(path).matrix([A], "van")


def test_osm_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TravelError, match="tidak ditemukan"):
        OsmProvider(tmp_path / "hilang.osm")


def test_osm_pbf_without_osmium_says_how_to_convert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "osmium", None)  # makes `import osmium` fail
    path = tmp_path / "banjar.osm.pbf"
    path.write_bytes(b"\x00\x00\x00\x0dOSMHeader")
    with pytest.raises(TravelError, match="osmium cat banjar.osm.pbf -o banjar.osm"):
        OsmProvider(path).matrix([A], "van")


def test_osm_pbf_is_read_through_osmium_when_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def way(refs: list[int], tags: dict[str, str]) -> Any:
        nodes = [
            types.SimpleNamespace(
                ref=ref,
                location=types.SimpleNamespace(
                    lat=GRID_NODES[ref][0], lon=GRID_NODES[ref][1], valid=lambda: True
                ),
            )
            for ref in refs
        ]
        tag_list = [types.SimpleNamespace(k=k, v=v) for k, v in tags.items()]
        return types.SimpleNamespace(is_way=lambda: True, tags=tag_list, nodes=nodes)

    class FileProcessor:
        def __init__(self, name: str) -> None:
            assert name.endswith("banjar.osm.pbf")

        def with_locations(self) -> list[Any]:
            node = types.SimpleNamespace(is_way=lambda: False)
            return [node, *(way(refs, tags) for refs, tags in GRID_WAYS[:6])]

    monkeypatch.setitem(sys.modules, "osmium", types.SimpleNamespace(FileProcessor=FileProcessor))
    path = tmp_path / "banjar.osm.pbf"
    path.write_bytes(b"pbf")
    provider = OsmProvider(path, speeds_kmh={"van": TEST_SPEEDS_KMH})
    assert provider.matrix([D, F], "van").duration_s == ((0, 45), (67, 0))


# --- cache -----------------------------------------------------------------------------------


class CountingProvider:
    """A provider that counts how often it is asked."""

    name = "estimate"

    def __init__(self) -> None:
        self.calls = 0
        self.inner = EstimateProvider()

    def matrix(self, points: Sequence[Point], vehicle_kind: str) -> TravelMatrix:
        self.calls += 1
        return self.inner.matrix(points, vehicle_kind)


POINTS = [BANJAR, Point(-7.35, 108.56)]


def test_cache_asks_once_for_repeated_requests() -> None:
    counting = CountingProvider()
    cached = CachedProvider(counting, region="3279")
    first = cached.matrix(POINTS, "van")
    assert cached.matrix(list(POINTS), "van") == first
    assert cached.matrix([Point(-7.37000001, 108.53), POINTS[1]], "van") == first  # < 0.1 m
    assert counting.calls == 1
    cached.matrix([POINTS[1], POINTS[0]], "van")
    assert counting.calls == 2
    assert cached.name == "estimate"


def test_cache_keeps_vehicle_kinds_and_regions_apart(tmp_path: Path) -> None:
    counting = CountingProvider()
    banjar = CachedProvider(counting, region="3279", cache_dir=tmp_path)
    other = CachedProvider(counting, region="3207", cache_dir=tmp_path)
    van, motor = banjar.matrix(POINTS, "van"), banjar.matrix(POINTS, "motor")
    assert (van.vehicle_kind, motor.vehicle_kind) == ("van", "motor")
    assert van.duration_s != motor.duration_s
    other.matrix(POINTS, "van")
    assert counting.calls == 3
    assert len(list(tmp_path.glob("*.json"))) == 3


def test_directory_cache_survives_a_new_instance(tmp_path: Path) -> None:
    first = CachedProvider(CountingProvider(), region="3279", cache_dir=tmp_path / "cache")
    expected = first.matrix(POINTS, "van")
    fresh = CountingProvider()
    again = CachedProvider(fresh, region="3279", cache_dir=tmp_path / "cache")
    assert again.matrix(POINTS, "van") == expected
    assert fresh.calls == 0


def test_damaged_cache_file_is_recomputed(tmp_path: Path) -> None:
    CachedProvider(CountingProvider(), region="3279", cache_dir=tmp_path).matrix(POINTS, "van")
    (cache_file,) = tmp_path.glob("*.json")
    cache_file.write_text("{not json", encoding="utf-8")
    fresh = CountingProvider()
    matrix = CachedProvider(fresh, region="3279", cache_dir=tmp_path).matrix(POINTS, "van")
    assert fresh.calls == 1
    assert json.loads(cache_file.read_text(encoding="utf-8"))["matrix"]["duration_s"] == [
        list(row) for row in matrix.duration_s
    ]


def test_cache_key_follows_the_provider_configuration(tmp_path: Path) -> None:
    slow = CachedProvider(EstimateProvider(speeds_kmh={"van": 10.0}), "3279", tmp_path)
    fast = CachedProvider(EstimateProvider(speeds_kmh={"van": 40.0}), "3279", tmp_path)
    assert slow.matrix(POINTS, "van").duration_s != fast.matrix(POINTS, "van").duration_s


# --- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "settings", "message"),
    [
        ("osm", {}, "berkas ekstrak OpenStreetMap"),
        ("osrm", {}, "alamat server OSRM"),
        ("osrm", {"osrm_url": "  "}, "alamat server OSRM"),
        ("osrm", {"osrm_url": "ftp://router"}, "tidak valid"),
        ("google", {}, "tidak dikenal"),
    ],
)
def test_provider_from_config_explains_missing_settings(
    name: str, settings: dict[str, Any], message: str
) -> None:
    with pytest.raises(TravelError, match=message):
        provider_from_config(name, **settings)


def test_provider_from_config_builds_each_provider(tmp_path: Path) -> None:
    osm_path = write_osm(tmp_path / "banjar.osm", GRID_NODES, GRID_WAYS)
    assert isinstance(provider_from_config("estimate"), EstimateProvider)
    assert isinstance(provider_from_config(" OSM ", osm_path=osm_path), OsmProvider)
    osrm = provider_from_config("osrm", osrm_url="http://127.0.0.1:5000/")
    assert isinstance(osrm, OsrmProvider)
    assert osrm.base_url == "http://127.0.0.1:5000"
    with pytest.raises(TravelError, match="tidak ditemukan"):
        provider_from_config("osm", osm_path=tmp_path / "hilang.osm")
