"""The region's travel-time source for web solves: the setting, the provider it builds, and an
uploaded OpenStreetMap extract, checked on the region's stops before it replaces the one in use.

The setting lives on the region row (travel_provider, osrm_url, osm_file); an extract is kept in
the instance folder (`osm/<region>.osm` or `.osm.pbf`) and named relative to it, so a worker
process that shares the instance folder builds the same provider from the database.
"""

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlmodel import Session, col, select

from planner.core import KelilingError, _
from planner.store import Region, Stop, Vehicle, current_region, region_depot
from planner.travel import (
    CachedProvider,
    EstimateProvider,
    OsmProvider,
    OsrmProvider,
    Point,
    TravelError,
    TravelProvider,
    provider_from_config,
)

ESTIMATE, OSM, OSRM = EstimateProvider.name, OsmProvider.name, OsrmProvider.name
TRAVEL_PROVIDERS = (ESTIMATE, OSM, OSRM)
OSM_FOLDER = "osm"
MATRIX_CACHE_FOLDER = "matrix-cache"
OSM_SUFFIXES = (".osm.pbf", ".osm")  # the longer first: "x.osm.pbf" is not read as XML
MAX_OSRM_URL_LENGTH = 500
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class TravelSetting:
    """Where web solves take their travel times from (osm_file is relative to the instance)."""

    provider: str
    osrm_url: str | None = None
    osm_file: str | None = None

    @property
    def osm_name(self) -> str | None:
        """The extract's file name, as shown to the coordinator."""
        return Path(self.osm_file).name if self.osm_file else None


def travel_setting(session: Session) -> TravelSetting:
    """The installed region's travel-time setting."""
    region = current_region(session)
    return TravelSetting(region.travel_provider, region.osrm_url, region.osm_file)


def matrix_cache_dir(instance_path: Path) -> Path:
    """Where travel matrices are cached on disk (shared with `keliling plan`)."""
    return instance_path / MATRIX_CACHE_FOLDER


def region_provider(session: Session, instance_path: Path | None) -> TravelProvider | None:
    """The provider the region's setting names, cached like the CLI's; None for the estimate
    (the problem then uses each vehicle's own speed). TravelError when it cannot be built,
    e.g. an extract without the instance folder it lives in."""
    region = current_region(session)
    if region.travel_provider == ESTIMATE:
        return None
    osm_path = None
    if region.osm_file and instance_path is not None:
        osm_path = instance_path / region.osm_file
    inner = provider_from_config(
        region.travel_provider, osm_path=osm_path, osrm_url=region.osrm_url
    )
    cache_dir = matrix_cache_dir(instance_path) if instance_path is not None else None
    return CachedProvider(inner, region.slug, cache_dir)


def use_estimate(session: Session) -> None:
    """Plan with the straight-line estimate (a stored extract and URL are kept for later)."""
    _choose(current_region(session), ESTIMATE)
    session.flush()


def use_osrm(session: Session, url: str) -> None:
    """Plan with an OSRM server; the URL must be http(s)://host[:port][/path]."""
    url = url.strip()
    if len(url) > MAX_OSRM_URL_LENGTH:
        msg = _("The OSRM server's address is too long (at most {count} characters).").format(
            count=MAX_OSRM_URL_LENGTH
        )
        raise KelilingError(msg)
    provider = OsrmProvider(url)  # refuses a URL without http/https scheme or host
    region = current_region(session)
    region.osrm_url = provider.base_url
    _choose(region, OSRM)
    session.flush()


def use_stored_osm(session: Session, instance_path: Path) -> None:
    """Plan with the extract uploaded before."""
    region = current_region(session)
    if not region.osm_file or not (instance_path / region.osm_file).is_file():
        msg = _(
            "There is no OpenStreetMap file for this region yet: upload an .osm or .osm.pbf "
            "extract."
        )
        raise KelilingError(msg)
    _choose(region, OSM)
    session.flush()


def install_osm_extract(
    session: Session, instance_path: Path, source: IO[bytes], filename: str
) -> TravelSetting:
    """Store an uploaded extract and plan with it, once it is read and reaches the depot and every
    active stop by road for every vehicle kind; otherwise raise, keeping the previous setting."""
    suffix = osm_suffix(filename)
    region = current_region(session)
    folder = instance_path / OSM_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{region.slug if SAFE_NAME.match(region.slug) else 'wilayah'}{suffix}"
    # Checked under its final name (error messages name it) in a private folder, then moved.
    staging = Path(tempfile.mkdtemp(prefix=".unggah-", dir=folder))
    try:
        candidate = staging / name
        with candidate.open("wb") as handle:
            shutil.copyfileobj(source, handle)
        check_osm_extract(session, candidate)
        os.replace(candidate, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    previous = region.osm_file
    region.osm_file = f"{OSM_FOLDER}/{name}"
    if previous and previous != region.osm_file:
        (instance_path / previous).unlink(missing_ok=True)  # the other format's old file
    _choose(region, OSM)
    session.flush()
    return travel_setting(session)


def osm_suffix(filename: str) -> str:
    """`.osm` or `.osm.pbf`, from the uploaded file's name; KelilingError for anything else."""
    lowered = filename.strip().lower()
    suffix = next((s for s in OSM_SUFFIXES if lowered.endswith(s)), None)
    if suffix is None:
        msg = _(
            "The file '{name}' is not an OpenStreetMap extract: its name must end in .osm "
            "or .osm.pbf (e.g. a region download from Geofabrik or an openstreetmap.org export)."
        ).format(name=filename)
        raise KelilingError(msg)
    return suffix


def check_osm_extract(session: Session, path: Path) -> None:
    """TravelError unless the extract reads and routes between the depot and every active stop,
    for every active vehicle kind; a point to blame is named."""
    names, points = _planning_points(session)
    vehicles = session.exec(select(Vehicle).where(col(Vehicle.active)))
    provider = OsmProvider(path)
    for kind in sorted({v.kind for v in vehicles}) or ["van"]:
        try:
            provider.matrix(points, kind)
        except TravelError as error:
            if error.point_index is None:
                raise
            msg = f"{names[error.point_index]}: {error}"
            raise TravelError(msg, point_index=error.point_index) from None


def _planning_points(session: Session) -> tuple[list[str], list[Point]]:
    """The depot and the active stops, in the order a solve asks for them."""
    depot = region_depot(session)
    if depot is None:
        raise KelilingError(_("There is no depot in the database yet: run 'keliling init' first."))
    stops = session.exec(select(Stop).where(col(Stop.active)).order_by(col(Stop.id)))
    places = [(depot.name, depot.lat, depot.lon)] + [(s.name, s.lat, s.lon) for s in stops]
    return [name for name, _, _ in places], [Point(lat, lon) for _, lat, lon in places]


def _choose(region: Region, provider: str) -> None:
    region.travel_provider = provider
