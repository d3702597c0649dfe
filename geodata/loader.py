"""Load a region pack (geodata/<slug>/) into a validated RegionPack."""

import csv
import dataclasses
import functools
import math
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from geodata.config import DepotConfig, RegionConfig, read_config
from geodata.errors import RegionPackError
from geodata.geojson import Feature, pack_label, read_features
from geodata.population import largest_remainder
from geodata.region import (
    KECAMATAN_FILE,
    OUTLINE_FILE,
    REGION_FILE,
    VILLAGES_FILE,
    VILLAGES_TABLE_FILE,
    DepotRecord,
    RegionPack,
    VillageKind,
    VillageRecord,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_REGION = "kota_banjar"
SLUG_PATTERN = re.compile(r"[a-z0-9_]+")
VILLAGE_COLUMNS = (
    "kode",
    "nama",
    "jenis",
    "kode_kecamatan",
    "kecamatan",
    "titik_dalam_lat",
    "titik_dalam_lng",
    "kodepos",
    "luas_poligon_km2",
    "penduduk_sp2010",
)
VILLAGE_KINDS: tuple[VillageKind, ...] = ("desa", "kelurahan")
CACHED_PACKS = 16

Row = dict[str, str]


def available_regions(root: Path | None = None) -> list[str]:
    """List the slugs of the region packs under `root` (default: the geodata package)."""
    base = PACKAGE_DIR if root is None else root
    return sorted(
        entry.name
        for entry in base.iterdir()
        if SLUG_PATTERN.fullmatch(entry.name) and (entry / REGION_FILE).is_file()
    )


def load_region(slug: str = DEFAULT_REGION, root: Path | None = None) -> RegionPack:
    """Load and validate the region pack `root/slug`; results are cached."""
    return _load_cached(slug, PACKAGE_DIR if root is None else Path(root).resolve())


@functools.lru_cache(maxsize=CACHED_PACKS)
def _load_cached(slug: str, root: Path) -> RegionPack:
    path = root / slug
    if not SLUG_PATTERN.fullmatch(slug) or not (path / REGION_FILE).is_file():
        msg = f"unknown region {slug!r}; available: {available_regions(root)}"
        raise RegionPackError(msg)
    config = read_config(path / REGION_FILE)
    villages = _read_villages(path, config)
    _check_kecamatan(path / KECAMATAN_FILE, villages)
    read_features(path / OUTLINE_FILE)
    return RegionPack(
        slug=slug,
        code=config.code,
        name=config.name,
        province=config.province,
        timezone=config.timezone,
        working_days=config.working_days,
        shift=config.shift,
        breaks=config.breaks,
        population_total=config.population_total,
        population_year=config.population_year,
        depot=_place_depot(config.depot, villages, pack_label(path / REGION_FILE)),
        villages=villages,
        path=path,
        population_source=config.population_source,
        stop_defaults=config.stop_defaults,
    )


def _read_villages(path: Path, config: RegionConfig) -> tuple[VillageRecord, ...]:
    table_label = pack_label(path / VILLAGES_TABLE_FILE)
    shapes_label = pack_label(path / VILLAGES_FILE)
    row_list = _read_rows(path / VILLAGES_TABLE_FILE)
    feature_list = read_features(path / VILLAGES_FILE)
    _check_codes([row["kode"] for row in row_list], table_label, config.code)
    _check_codes([feature.code for feature in feature_list], shapes_label, config.code)
    rows = {row["kode"]: row for row in row_list}
    features = {feature.code: feature for feature in feature_list}
    _check_covered(rows, table_label, features, VILLAGES_FILE)
    _check_covered(features, shapes_label, rows, VILLAGES_TABLE_FILE)
    villages = [_build_village(rows[code], features[code], table_label) for code in sorted(rows)]
    weights = [village.population_2010 for village in villages]
    try:
        estimates = largest_remainder(weights, config.population_total)
    except ValueError as error:
        msg = f"{table_label}: cannot apportion the population ({error})"
        raise RegionPackError(msg) from None
    return tuple(
        dataclasses.replace(village, population_estimate=estimate)
        for village, estimate in zip(villages, estimates, strict=True)
    )


def _read_rows(path: Path) -> list[Row]:
    label = pack_label(path)
    try:
        with path.open(encoding="utf-8", newline="") as file:
            reader = csv.DictReader(file)
            present = reader.fieldnames or []
            missing = [column for column in VILLAGE_COLUMNS if column not in present]
            if missing:
                msg = f"{label}: missing columns {missing}"
                raise RegionPackError(msg)
            rows = list(reader)
    except FileNotFoundError:
        msg = f"{label}: file is missing"
        raise RegionPackError(msg) from None
    for line_number, row in enumerate(rows, start=2):
        # DictReader marks short rows with None values and long rows with a None key.
        if None in row or None in row.values():
            msg = f"{label}: line {line_number} has the wrong number of fields"
            raise RegionPackError(msg)
    return rows


def _check_codes(codes: list[str], label: str, region_code: str) -> None:
    """Refuse duplicate village codes and codes outside the region."""
    pattern = re.compile(rf"{re.escape(region_code)}\.[0-9]{{2}}\.[0-9]{{4}}")
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            msg = f"{label}: duplicate village code {code}"
            raise RegionPackError(msg)
        if not pattern.fullmatch(code):
            msg = f"{label}: village code {code!r} does not match {region_code}.KK.DDDD"
            raise RegionPackError(msg)
        seen.add(code)


def _check_covered(
    have: Mapping[str, object], label: str, other: Mapping[str, object], other_file: str
) -> None:
    """Refuse villages in `have` that the other file lacks."""
    unmatched = sorted(set(have) - set(other))
    if unmatched:
        msg = f"{label}: village {', '.join(unmatched)} has no entry in {other_file}"
        raise RegionPackError(msg)


def _build_village(row: Row, feature: Feature, label: str) -> VillageRecord:
    code = row["kode"]
    where = f"{label}: village {code}"
    if row["nama"] != feature.properties["nama"]:
        shape_name = feature.properties["nama"]
        msg = f"{where}: name {row['nama']!r} differs from {shape_name!r} in {VILLAGES_FILE}"
        raise RegionPackError(msg)
    if not code.startswith(row["kode_kecamatan"] + "."):
        msg = f"{where}: kode_kecamatan {row['kode_kecamatan']!r} is not the code's kecamatan"
        raise RegionPackError(msg)
    lat = _float(row, "titik_dalam_lat", where)
    lon = _float(row, "titik_dalam_lng", where)
    import shapely  # noqa: PLC0415 - with numpy: only when a pack is loaded

    if not feature.geometry.contains(shapely.Point(lon, lat)):
        msg = f"{where}: inside point ({lat}, {lon}) lies outside its polygon in {VILLAGES_FILE}"
        raise RegionPackError(msg)
    return VillageRecord(
        code=code,
        name=row["nama"],
        kind=_kind(row["jenis"], where),
        kecamatan_code=row["kode_kecamatan"],
        kecamatan=row["kecamatan"],
        inside_lat=lat,
        inside_lon=lon,
        population_2010=_count(row, "penduduk_sp2010", where),
        population_estimate=0,
        area_km2=_float(row, "luas_poligon_km2", where),
        postal_code=row["kodepos"],
        geometry_geojson=feature.geometry_geojson,
    )


def _float(row: Row, column: str, where: str) -> float:
    try:
        value = float(row[column])
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        msg = f"{where}: column {column!r} is not a number: {row[column]!r}"
        raise RegionPackError(msg)
    return value


def _count(row: Row, column: str, where: str) -> int:
    text = row[column]
    if not text.isdigit():
        msg = f"{where}: column {column!r} is not a whole number >= 0: {text!r}"
        raise RegionPackError(msg)
    return int(text)


def _kind(text: str, where: str) -> VillageKind:
    for kind in VILLAGE_KINDS:
        if text == kind:
            return kind
    msg = f"{where}: jenis must be one of {list(VILLAGE_KINDS)}, got {text!r}"
    raise RegionPackError(msg)


def _check_kecamatan(path: Path, villages: tuple[VillageRecord, ...]) -> None:
    label = pack_label(path)
    counts = Counter(feature.code for feature in read_features(path))
    duplicates = sorted(code for code, count in counts.items() if count > 1)
    if duplicates:
        msg = f"{label}: duplicate kecamatan code {', '.join(duplicates)}"
        raise RegionPackError(msg)
    for village in villages:
        if village.kecamatan_code not in counts:
            kecamatan = village.kecamatan_code
            msg = f"{label}: no polygon for kecamatan {kecamatan} of village {village.code}"
            raise RegionPackError(msg)


def _place_depot(
    depot: DepotConfig, villages: tuple[VillageRecord, ...], label: str
) -> DepotRecord:
    village = next((v for v in villages if v.code == depot.village_code), None)
    if village is None:
        msg = f"{label}: depot village_code {depot.village_code!r} is not a village of this pack"
        raise RegionPackError(msg)
    lat = village.inside_lat if depot.lat is None else depot.lat
    lon = village.inside_lon if depot.lon is None else depot.lon
    import shapely  # noqa: PLC0415 - with numpy: only when a pack is loaded

    polygon = shapely.from_geojson(village.geometry_geojson)
    if not polygon.covers(shapely.Point(lon, lat)):
        msg = f"{label}: depot ({lat}, {lon}) lies outside its village {village.code}"
        raise RegionPackError(msg)
    return DepotRecord(depot.name, lat, lon, depot.approximate, depot.note)
