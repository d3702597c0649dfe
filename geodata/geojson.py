"""Read and check the polygon FeatureCollections of a region pack."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geodata.errors import RegionPackError

POLYGON_TYPES = ("Polygon", "MultiPolygon")
REQUIRED_PROPERTIES = ("kode", "nama")
# GeoJSON (RFC 7946) is always WGS84 lon/lat; older files may still say so in a crs member.
WGS84_CRS_NAMES = frozenset(
    {
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:OGC::CRS84",
        "urn:ogc:def:crs:EPSG::4326",
        "EPSG:4326",
    }
)
MAX_LON_DEG = 180.0
MAX_LAT_DEG = 90.0


@dataclass(frozen=True)
class Feature:
    """One polygon feature: its properties, parsed geometry and compact GeoJSON geometry."""

    code: str
    properties: dict[str, Any]
    geometry: Any
    geometry_geojson: str


def pack_label(path: Path) -> str:
    """Name a pack file for error messages, e.g. "kota_banjar/villages.csv"."""
    return f"{path.parent.name}/{path.name}"


def read_features(path: Path) -> tuple[Feature, ...]:
    """Read a WGS84 FeatureCollection of valid polygons that each have a kode and nama."""
    label = pack_label(path)
    collection = _read_collection(path, label)
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        msg = f"{label}: expected a non-empty 'features' list"
        raise RegionPackError(msg)
    return tuple(_parse_feature(raw, index, label) for index, raw in enumerate(features))


def _read_collection(path: Path, label: str) -> dict[str, Any]:
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{label}: file is missing"
        raise RegionPackError(msg) from None
    except json.JSONDecodeError as error:
        msg = f"{label}: not valid JSON ({error})"
        raise RegionPackError(msg) from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        msg = f"{label}: expected a GeoJSON FeatureCollection"
        raise RegionPackError(msg)
    _check_crs(collection.get("crs"), label)
    return collection


def _check_crs(crs: object, label: str) -> None:
    if crs is None:
        return
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if name not in WGS84_CRS_NAMES:
        msg = f"{label}: crs is {name!r}; region packs must use EPSG:4326 (WGS84 lon/lat)"
        raise RegionPackError(msg)


def _parse_feature(raw: object, index: int, label: str) -> Feature:
    properties = raw.get("properties") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not isinstance(properties, dict):
        msg = f"{label}: feature #{index} is not a GeoJSON Feature with properties"
        raise RegionPackError(msg)
    missing = [key for key in REQUIRED_PROPERTIES if not properties.get(key)]
    if missing:
        msg = f"{label}: feature #{index} lacks the properties {missing}"
        raise RegionPackError(msg)
    code = str(properties["kode"])
    where = f"{label}: feature {code}"
    raw_geometry = raw.get("geometry")
    if not isinstance(raw_geometry, dict) or raw_geometry.get("type") not in POLYGON_TYPES:
        msg = f"{where}: geometry must be a Polygon or MultiPolygon"
        raise RegionPackError(msg)
    geometry_geojson = json.dumps(raw_geometry, separators=(",", ":"))
    # shapely (with numpy) is imported when a pack is loaded, not by every import of geodata.
    import shapely  # noqa: PLC0415

    try:
        geometry = shapely.from_geojson(geometry_geojson)
    except shapely.errors.GEOSException as error:
        msg = f"{where}: unreadable geometry ({error})"
        raise RegionPackError(msg) from None
    _check_geometry(geometry, where)
    return Feature(code, properties, geometry, geometry_geojson)


def _check_geometry(geometry: Any, where: str) -> None:
    from shapely.validation import explain_validity  # noqa: PLC0415 - see _parse_feature

    if geometry.is_empty or not geometry.is_valid:
        msg = f"{where}: invalid geometry ({explain_validity(geometry)})"
        raise RegionPackError(msg)
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if (
        max(abs(min_lon), abs(max_lon)) > MAX_LON_DEG
        or max(abs(min_lat), abs(max_lat)) > MAX_LAT_DEG
    ):
        msg = f"{where}: coordinates are not WGS84 longitude/latitude degrees"
        raise RegionPackError(msg)
