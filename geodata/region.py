"""Records describing a region pack: its villages, depot, working hours and default stops."""

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from geodata.errors import RegionPackError
from geodata.geojson import read_features

if TYPE_CHECKING:  # geopandas (and pandas) are imported where a GeoDataFrame is built
    import geopandas

CRS = "EPSG:4326"
VILLAGES_FILE = "villages.geojson"
VILLAGES_TABLE_FILE = "villages.csv"
KECAMATAN_FILE = "kecamatan.geojson"
OUTLINE_FILE = "city.geojson"
REGION_FILE = "region.toml"

VillageKind = Literal["desa", "kelurahan"]
# Weekday keys, as region.toml spells them; the one definition the planner shares.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class DailyHours:
    """A daily time window, such as a working shift."""

    start: datetime.time
    end: datetime.time


@dataclass(frozen=True)
class BreakHours:
    """A named break taken on the given weekdays (keys such as "mon")."""

    name: str
    weekdays: tuple[str, ...]
    start: datetime.time
    end: datetime.time


@dataclass(frozen=True)
class VillageRecord:
    """One desa or kelurahan with its boundary, inside point and population."""

    code: str
    name: str
    kind: VillageKind
    kecamatan_code: str
    kecamatan: str
    inside_lat: float
    inside_lon: float
    population_2010: int
    population_estimate: int
    area_km2: float
    postal_code: str
    geometry_geojson: str


@dataclass(frozen=True)
class DepotRecord:
    """Where the mobile library starts and ends each day."""

    name: str
    lat: float
    lon: float
    approximate: bool
    note: str


@dataclass(frozen=True)
class StopRecord:
    """A candidate service stop."""

    name: str
    village_code: str
    kind: str
    lat: float
    lon: float
    service_minutes: int
    approximate: bool


@dataclass(frozen=True)
class StopDefaults:
    """How default stops are named, typed and timed."""

    name_pattern: str
    service_minutes: int
    kind: str


@dataclass(frozen=True)
class RegionPack:
    """A validated region pack: one kabupaten or kota."""

    slug: str
    code: str
    name: str
    province: str
    timezone: str
    working_days: tuple[str, ...]
    shift: DailyHours
    breaks: tuple[BreakHours, ...]
    population_total: int
    population_year: int
    depot: DepotRecord
    villages: tuple[VillageRecord, ...]
    path: Path
    population_source: str
    stop_defaults: StopDefaults

    def village(self, code: str) -> VillageRecord:
        """Return the village with this code, or raise RegionPackError."""
        for village in self.villages:
            if village.code == code:
                return village
        msg = f"region {self.slug!r} has no village with code {code!r}"
        raise RegionPackError(msg)

    def default_stops(self) -> tuple[StopRecord, ...]:
        """Return one approximate stop per village, at its inside point."""
        defaults = self.stop_defaults
        return tuple(
            StopRecord(
                name=defaults.name_pattern.format(village=village.name),
                village_code=village.code,
                kind=defaults.kind,
                lat=village.inside_lat,
                lon=village.inside_lon,
                service_minutes=defaults.service_minutes,
                approximate=True,
            )
            for village in self.villages
        )

    def villages_gdf(self) -> "geopandas.GeoDataFrame":
        """Return the village polygons with code, name, kind, kecamatan and population."""
        import geopandas  # noqa: PLC0415 - heavy (pandas): only the maps and exports need it
        import shapely  # noqa: PLC0415

        rows = {
            "code": [v.code for v in self.villages],
            "name": [v.name for v in self.villages],
            "kind": [v.kind for v in self.villages],
            "kecamatan": [v.kecamatan for v in self.villages],
            "population_estimate": [v.population_estimate for v in self.villages],
            "population_2010": [v.population_2010 for v in self.villages],
        }
        geometry = [shapely.from_geojson(v.geometry_geojson) for v in self.villages]
        return geopandas.GeoDataFrame(rows, geometry=geometry, crs=CRS)

    def kecamatan_gdf(self) -> "geopandas.GeoDataFrame":
        """Return the kecamatan polygons with code and name."""
        return _features_gdf(self.path / KECAMATAN_FILE)

    def outline_gdf(self) -> "geopandas.GeoDataFrame":
        """Return the outline of the whole kabupaten or kota."""
        return _features_gdf(self.path / OUTLINE_FILE)


def _features_gdf(path: Path) -> "geopandas.GeoDataFrame":
    import geopandas  # noqa: PLC0415 - heavy (pandas): only the maps and exports need it

    features = read_features(path)
    rows = {
        "code": [feature.code for feature in features],
        "name": [str(feature.properties["nama"]) for feature in features],
    }
    geometry = [feature.geometry for feature in features]
    return geopandas.GeoDataFrame(rows, geometry=geometry, crs=CRS)
