"""The Kota Banjar pack loads with the expected villages, and broken packs are refused."""

import json
import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shapely

from geodata import RegionPack, RegionPackError, available_regions, load_region
from geodata.loader import PACKAGE_DIR

SLUG = "kota_banjar"
CODE_PATTERN = re.compile(r"32\.79\.0[1-4]\.[12]0[0-9][0-9]")
DEPOT_VILLAGE = "32.79.01.1001"
POPULATION_2025 = 209_317
POPULATION_2010 = 175_157


@pytest.fixture(scope="module")
def pack() -> RegionPack:
    return load_region()


def test_default_region_is_kota_banjar(pack: RegionPack) -> None:
    assert available_regions() == [SLUG]
    assert (pack.slug, pack.code, pack.name, pack.province) == (
        SLUG,
        "32.79",
        "Kota Banjar",
        "Jawa Barat",
    )
    assert pack.timezone == "Asia/Jakarta"


def test_pack_is_cached(pack: RegionPack) -> None:
    assert load_region(SLUG) is pack


def test_has_25_villages_with_kemendagri_codes(pack: RegionPack) -> None:
    assert len(pack.villages) == 25
    assert all(CODE_PATTERN.fullmatch(v.code) for v in pack.villages)
    assert len({v.code for v in pack.villages}) == 25


def test_village_kinds(pack: RegionPack) -> None:
    assert Counter(v.kind for v in pack.villages) == {"desa": 16, "kelurahan": 9}


def test_population_estimate_sums_to_2025_total(pack: RegionPack) -> None:
    assert pack.population_total == POPULATION_2025
    assert pack.population_year == 2025
    assert sum(v.population_estimate for v in pack.villages) == POPULATION_2025
    assert sum(v.population_2010 for v in pack.villages) == POPULATION_2010


def test_population_estimate_keeps_2010_order(pack: RegionPack) -> None:
    by_2010 = sorted(pack.villages, key=lambda v: v.population_2010)
    estimates = [v.population_estimate for v in by_2010]
    assert estimates == sorted(estimates)
    assert max(pack.villages, key=lambda v: v.population_estimate).name == "Mekarsari"
    assert by_2010[-1].name == "Mekarsari"


def test_village_lookup(pack: RegionPack) -> None:
    village = pack.village("32.79.03.2003")
    assert (village.name, village.kecamatan, village.kind) == ("Mekarharja", "Purwaharja", "desa")
    with pytest.raises(RegionPackError, match=r"no village with code '32\.79\.09\.9999'"):
        pack.village("32.79.09.9999")


def test_depot_is_approximate_at_banjar_inside_point(pack: RegionPack) -> None:
    banjar = pack.village(DEPOT_VILLAGE)
    assert pack.depot.name == "Perpustakaan Umum Daerah Kota Banjar"
    assert (pack.depot.lat, pack.depot.lon) == (banjar.inside_lat, banjar.inside_lon)
    assert pack.depot.approximate
    assert "unknown" in pack.depot.note


def test_working_hours(pack: RegionPack) -> None:
    assert pack.working_days == ("mon", "tue", "wed", "thu", "fri", "sat")
    assert (f"{pack.shift.start:%H:%M}", f"{pack.shift.end:%H:%M}") == ("07:30", "15:30")
    friday = [rule for rule in pack.breaks if "fri" in rule.weekdays]
    assert [(r.name, f"{r.start:%H:%M}", f"{r.end:%H:%M}") for r in friday] == [
        ("Istirahat salat Jumat", "11:30", "13:00")
    ]


def test_default_stops_lie_inside_their_villages(pack: RegionPack) -> None:
    stops = pack.default_stops()
    assert len(stops) == 25
    for stop in stops:
        village = pack.village(stop.village_code)
        polygon = shapely.from_geojson(village.geometry_geojson)
        assert polygon.contains(shapely.Point(stop.lon, stop.lat)), stop.name
        assert stop.name == f"Titik layanan {village.name}"
        assert stop.approximate
        assert (stop.kind, stop.service_minutes) == ("lainnya", 45)


def test_geodataframes(pack: RegionPack) -> None:
    villages = pack.villages_gdf()
    assert list(villages.columns) == [
        "code",
        "name",
        "kind",
        "kecamatan",
        "population_estimate",
        "population_2010",
        "geometry",
    ]
    assert len(villages) == 25
    assert villages["population_estimate"].sum() == POPULATION_2025
    assert len(pack.kecamatan_gdf()) == 4
    assert len(pack.outline_gdf()) == 1
    for frame in (villages, pack.kecamatan_gdf(), pack.outline_gdf()):
        assert frame.crs.to_string() == "EPSG:4326"


# Broken packs ---------------------------------------------------------------------------

BOW_TIE = [[[108.52, -7.37], [108.53, -7.38], [108.53, -7.37], [108.52, -7.38], [108.52, -7.37]]]


def _copy_pack(tmp_path: Path) -> Path:
    return Path(shutil.copytree(PACKAGE_DIR / SLUG, tmp_path / SLUG))


def _edit_json(path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _village_feature(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(f for f in data["features"] if f["properties"]["kode"] == code)


def _duplicate_csv_row(pack_dir: Path) -> None:
    table = pack_dir / "villages.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join([*lines, lines[2]]) + "\n", encoding="utf-8")


def _drop_csv_row(pack_dir: Path) -> None:
    table = pack_dir / "villages.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("32.79.02.2006,")]
    table.write_text("\n".join(kept) + "\n", encoding="utf-8")


def _move_inside_point(pack_dir: Path) -> None:
    table = pack_dir / "villages.csv"
    text = table.read_text(encoding="utf-8")
    # Move Mekarharja's inside point about 5 km north, beyond the city.
    table.write_text(text.replace("-7.3463766,108.5795121", "-7.3000000,108.5795121"))


def _crs_3857(pack_dir: Path) -> None:
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    _edit_json(pack_dir / "villages.geojson", lambda data: data.update(crs=crs))


def _bow_tie(pack_dir: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        _village_feature(data, "32.79.04.1004")["geometry"]["coordinates"] = BOW_TIE

    _edit_json(pack_dir / "villages.geojson", edit)


def _duplicate_feature(pack_dir: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["features"].append(_village_feature(data, "32.79.03.1001"))

    _edit_json(pack_dir / "villages.geojson", edit)


def _foreign_code(pack_dir: Path) -> None:
    for name in ("villages.csv", "villages.geojson"):
        path = pack_dir / name
        path.write_text(path.read_text(encoding="utf-8").replace("32.79.04.2006", "32.78.04.2006"))


def _drop_kecamatan(pack_dir: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["features"] = [f for f in data["features"] if f["properties"]["kode"] != "32.79.04"]

    _edit_json(pack_dir / "kecamatan.geojson", edit)


@pytest.mark.parametrize(
    ("corrupt", "expected"),
    [
        (_duplicate_csv_row, r"villages\.csv: duplicate village code 32\.79\.01\.1002"),
        (_duplicate_feature, r"villages\.geojson: duplicate village code 32\.79\.03\.1001"),
        (
            _drop_csv_row,
            r"villages\.geojson: village 32\.79\.02\.2006 has no entry in villages\.csv",
        ),
        (_move_inside_point, r"village 32\.79\.03\.2003: inside point .* lies outside its polygon"),
        (_crs_3857, r"villages\.geojson: crs is 'urn:ogc:def:crs:EPSG::3857'; .* EPSG:4326"),
        (_bow_tie, r"villages\.geojson: feature 32\.79\.04\.1004: invalid geometry \(Self-inter"),
        (_drop_kecamatan, r"no polygon for kecamatan 32\.79\.04 of village 32\.79\.04\.1004"),
        (_foreign_code, r"village code '32\.78\.04\.2006' does not match 32\.79\.KK\.DDDD"),
    ],
)
def test_broken_village_files_are_refused(
    tmp_path: Path, corrupt: Callable[[Path], None], expected: str
) -> None:
    corrupt(_copy_pack(tmp_path))
    with pytest.raises(RegionPackError, match=expected):
        load_region(SLUG, root=tmp_path)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('timezone = "Asia/Jakarta"\n', "", r"region\.toml: key 'timezone' is missing"),
        (
            'start = "07:30"',
            'start = "7.30"',
            r"'shift\.start' must be a time as HH:MM, got '7\.30'",
        ),
        ('"fri", "sat"]', '"jum", "sat"]', r"'working_days' must list weekdays .*'jum'"),
        ('weekdays = ["fri"]', 'weekdays = ["friday"]', r"'breaks\[1\]\.weekdays' must list"),
        ('end = "13:00"', 'end = "25:00"', r"'breaks\[0\]\.end' must be a time as HH:MM"),
        ('"32.79.01.1001"', '"32.79.01.1009"', r"depot village_code '32\.79\.01\.1009' is not a"),
        ("population_total = 209317", 'population_total = "many"', r"'population_total' has the"),
    ],
)
def test_broken_region_toml_is_refused(tmp_path: Path, old: str, new: str, expected: str) -> None:
    config = _copy_pack(tmp_path) / "region.toml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RegionPackError, match=expected):
        load_region(SLUG, root=tmp_path)


def test_surveyed_depot_position_is_used(tmp_path: Path) -> None:
    config = _copy_pack(tmp_path) / "region.toml"
    text = config.read_text(encoding="utf-8").replace(
        "approximate = true", "approximate = false\nlat = -7.3700\nlon = 108.5300"
    )
    config.write_text(text, encoding="utf-8")
    depot = load_region(SLUG, root=tmp_path).depot
    assert (depot.lat, depot.lon, depot.approximate) == (-7.37, 108.53, False)


def test_unknown_region_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RegionPackError, match=r"unknown region 'kota_bandung'; available: \[\]"):
        load_region("kota_bandung", root=tmp_path)
    with pytest.raises(RegionPackError, match="unknown region"):
        load_region("../kota_banjar")
