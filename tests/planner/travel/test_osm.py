"""The OSM extract provider: roads, oneways, speeds, snapping and file errors."""

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from planner.travel import DEFAULT_ROAD_SPEEDS_KMH, OsmProvider, Point, TravelError
from tests.planner.travel.helpers import (
    GRID_NODES,
    GRID_WAYS,
    ISLAND,
    TEST_SPEEDS_KMH,
    A,
    D,
    E,
    F,
    write_osm,
)


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
