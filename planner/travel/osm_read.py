"""Read the roads of an OpenStreetMap extract (.osm XML, or .osm.pbf when osmium is present)."""

import importlib
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from planner.travel.core import TravelError

# Only these tags decide whether and how a vehicle uses a way; the rest is dropped on reading.
ROUTING_TAGS = frozenset(
    {
        "highway",
        "oneway",
        "junction",
        "area",
        "access",
        "vehicle",
        "motor_vehicle",
        "motorcar",
        "motorcycle",
    }
)
PBF_SUFFIX = ".pbf"
TOP_LEVEL_ELEMENTS = frozenset({"node", "way", "relation"})


@dataclass(frozen=True)
class RoadWay:
    """One OSM way with a highway tag: its node ids in order and its routing tags."""

    node_ids: tuple[int, ...]
    tags: Mapping[str, str]


@dataclass(frozen=True)
class RoadData:
    """The highway ways of an extract and the coordinates (lat, lon) of their nodes."""

    ways: tuple[RoadWay, ...]
    node_coords: Mapping[int, tuple[float, float]]


def read_roads(path: Path) -> RoadData:
    """Read the highway ways and their node coordinates from an .osm or .osm.pbf file."""
    if not path.is_file():
        msg = f"Berkas OpenStreetMap '{path}' tidak ditemukan."
        raise TravelError(msg)
    try:
        if path.name.lower().endswith(PBF_SUFFIX):
            return read_osm_pbf(path)
        return read_osm_xml(path)
    except OSError as error:
        msg = f"Berkas OpenStreetMap '{path.name}' tidak dapat dibaca ({error.strerror or error})."
        raise TravelError(msg) from error


def _iter_elements(path: Path) -> Iterator[ET.Element]:
    """Yield each complete top-level element, then drop it so memory stays flat."""
    with path.open("rb") as handle:
        # ElementTree never fetches external entities, and expat >= 2.4 (Python 3.11 ships 2.5)
        # refuses billion-laughs entity expansion, so a user's file cannot exhaust the server.
        context = ET.iterparse(handle, events=("start", "end"))  # noqa: S314
        _, root = next(context)
        for event, element in context:
            if event == "end" and element.tag in TOP_LEVEL_ELEMENTS:
                yield element
                root.clear()


def _parse_way(element: ET.Element) -> RoadWay | None:
    tags = {
        tag.get("k", ""): tag.get("v", "")
        for tag in element.iter("tag")
        if tag.get("k") is not None
    }
    if "highway" not in tags:
        return None
    node_ids = tuple(int(nd.get("ref", "")) for nd in element.iter("nd"))
    routing = {key: value.strip().lower() for key, value in tags.items() if key in ROUTING_TAGS}
    return RoadWay(node_ids=node_ids, tags=routing)


def _node_coords(path: Path, wanted: set[int]) -> dict[int, tuple[float, float]]:
    coords: dict[int, tuple[float, float]] = {}
    for element in _iter_elements(path):
        if element.tag == "node" and (node_id := int(element.get("id", ""))) in wanted:
            coords[node_id] = (float(element.get("lat", "")), float(element.get("lon", "")))
    return coords


def read_osm_xml(path: Path) -> RoadData:
    """Two passes over the XML: first the highway ways, then only the nodes they use."""
    try:
        ways = [way for e in _iter_elements(path) if e.tag == "way" and (way := _parse_way(e))]
        coords = _node_coords(path, {node_id for way in ways for node_id in way.node_ids})
    except ET.ParseError as error:
        line, column = error.position
        msg = (
            f"Berkas '{path.name}' bukan XML OpenStreetMap yang valid "
            f"(baris {line}, kolom {column}). Unduh ulang atau ekspor ulang berkasnya."
        )
        raise TravelError(msg) from error
    except ValueError as error:
        msg = f"Berkas '{path.name}' rusak: ada node atau way tanpa id, ref, lat atau lon yang sah."
        raise TravelError(msg) from error
    return RoadData(ways=tuple(ways), node_coords=coords)


def read_osm_pbf(path: Path) -> RoadData:
    """Read a .osm.pbf with pyosmium's FileProcessor, if the osmium package is installed."""
    try:
        osmium = importlib.import_module("osmium")
    except ImportError as error:
        msg = (
            f"Berkas '{path.name}' berformat .osm.pbf, yang hanya dapat dibaca bila paket "
            "Python 'osmium' terpasang. Ubah dulu menjadi .osm (misalnya "
            f"'osmium cat {path.name} -o {path.name.removesuffix(PBF_SUFFIX)}' atau "
            "osmconvert), atau pasang paket osmium."
        )
        raise TravelError(msg) from error
    ways: list[RoadWay] = []
    coords: dict[int, tuple[float, float]] = {}
    try:
        for obj in osmium.FileProcessor(str(path)).with_locations():
            if not obj.is_way():
                continue
            tags = {str(tag.k): str(tag.v) for tag in obj.tags}
            if "highway" not in tags:
                continue
            for node in obj.nodes:
                if node.location.valid():
                    coords[int(node.ref)] = (float(node.location.lat), float(node.location.lon))
            routing = {k: v.strip().lower() for k, v in tags.items() if k in ROUTING_TAGS}
            ways.append(RoadWay(tuple(int(node.ref) for node in obj.nodes), routing))
    except (RuntimeError, ValueError) as error:
        msg = f"Berkas '{path.name}' tidak dapat dibaca sebagai .osm.pbf ({error})."
        raise TravelError(msg) from error
    return RoadData(ways=tuple(ways), node_coords=coords)
