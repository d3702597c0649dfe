"""Install a region pack into the database: region, villages, depot, default stops, vehicles."""

from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlmodel import Session, select

from geodata import RegionPack
from planner.store.models import Depot, Region, Stop, Vehicle, Village
from planner.store.vocabulary import VEHICLE_KINDS

# Demo fleet: one bookmobile van and one motorbike library (speeds in town traffic).
DEFAULT_VEHICLES = (
    ("Mobil Perpustakaan Keliling 1", "van", 30.0, 12),
    ("Motor Perpustakaan Keliling 1", "motor", 35.0, 2),
)
# What a pack's records hand over unchanged to the rows they become.
VILLAGE_FIELDS = (
    "name",
    "kind",
    "kecamatan_code",
    "kecamatan",
    "population_2010",
    "population_estimate",
    "area_km2",
    "inside_lat",
    "inside_lon",
)
DEPOT_FIELDS = ("name", "lat", "lon", "approximate")
STOP_FIELDS = ("name", "kind", "lat", "lon", "service_minutes", "approximate")


@dataclass(frozen=True)
class InstallSummary:
    """What an install created; a second install of the same pack creates nothing."""

    villages_created: int
    villages_updated: int
    depot_created: bool


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def region_settings(pack: RegionPack) -> dict[str, Any]:
    """The pack's working days, shift and breaks in the JSON form stored on the region."""
    return {
        "province": pack.province,
        "working_days": list(pack.working_days),
        "shift": {"start": _hhmm(pack.shift.start), "end": _hhmm(pack.shift.end)},
        "breaks": [
            {
                "name": rule.name,
                "weekdays": list(rule.weekdays),
                "start": _hhmm(rule.start),
                "end": _hhmm(rule.end),
            }
            for rule in pack.breaks
        ],
        "population_total": pack.population_total,
        "population_year": pack.population_year,
        "population_source": pack.population_source,
    }


def install_region(session: Session, pack: RegionPack) -> tuple[Region, InstallSummary]:
    """Create or refresh the region and its villages; keep a depot the user already moved."""
    region = session.exec(select(Region).where(Region.slug == pack.slug)).first()
    if region is None:
        region = Region(slug=pack.slug, code=pack.code, name=pack.name)
    region.code, region.name, region.timezone = pack.code, pack.name, pack.timezone
    region.settings = region_settings(pack)
    session.add(region)
    session.flush()
    assert region.id is not None
    existing = {v.code: v for v in session.exec(select(Village))}
    created = 0
    for record in pack.villages:
        village = existing.get(record.code)
        if village is None:
            created += 1
            village = Village(region_id=region.id, code=record.code, **_village_fields(record))
        else:
            for key, value in _village_fields(record).items():
                setattr(village, key, value)
        session.add(village)
    depot_created = _install_depot(session, region, pack)
    session.flush()
    return region, InstallSummary(created, len(pack.villages) - created, depot_created)


def _copied(record: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The record's attributes of these names, as keyword arguments for a table row."""
    return {name: getattr(record, name) for name in names}


def _village_fields(record: Any) -> dict[str, Any]:
    return {**_copied(record, VILLAGE_FIELDS), "geometry": record.geometry_geojson}


def _install_depot(session: Session, region: Region, pack: RegionPack) -> bool:
    if session.exec(select(Depot).where(Depot.region_id == region.id)).first() is not None:
        return False
    assert region.id is not None
    session.add(Depot(region_id=region.id, **_copied(pack.depot, DEPOT_FIELDS)))
    return True


def default_time_windows(region: Region) -> dict[str, list[list[str]]]:
    """One window per working day spanning the region's default shift."""
    return {day: [shift] for day, shift in default_shifts(region).items()}


def install_default_stops(session: Session, region: Region, pack: RegionPack) -> int:
    """Add the pack's approximate stop to every village that has no stop yet."""
    villages = {v.code: v for v in session.exec(select(Village))}
    with_stops = set(session.exec(select(Stop.village_id).distinct()))
    created = 0
    for record in pack.default_stops():
        village = villages[record.village_code]
        if village.id in with_stops:
            continue
        assert village.id is not None
        session.add(
            Stop(
                village_id=village.id,
                **_copied(record, STOP_FIELDS),
                time_windows=default_time_windows(region),
                vehicle_kinds=list(VEHICLE_KINDS),
            )
        )
        created += 1
    session.flush()
    return created


def default_shifts(region: Region) -> dict[str, list[str]]:
    """The region's default shift on each working day."""
    shift = region.settings["shift"]
    return {day: [shift["start"], shift["end"]] for day in region.settings["working_days"]}


def install_default_vehicles(session: Session, region: Region) -> int:
    """Create the demo fleet (one van, one motorbike) if the region has no vehicles."""
    if session.exec(select(Vehicle).where(Vehicle.region_id == region.id)).first() is not None:
        return 0
    depot = session.exec(select(Depot).where(Depot.region_id == region.id)).one()
    assert region.id is not None and depot.id is not None
    for name, kind, speed_kmh, crates in DEFAULT_VEHICLES:
        session.add(
            Vehicle(
                region_id=region.id,
                depot_id=depot.id,
                name=name,
                kind=kind,
                shifts=default_shifts(region),
                breaks=list(region.settings["breaks"]),
                speed_kmh=speed_kmh,
                capacity_crates=crates,
            )
        )
    session.flush()
    return len(DEFAULT_VEHICLES)
