"""The region and what lives in it: villages, the depot, stops and vehicles."""

from typing import Any

from sqlalchemy import CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from planner.store.models.base import json_dict, json_list, one_of
from planner.store.vocabulary import STOP_KINDS, VEHICLE_KINDS, VILLAGE_KINDS


class Region(SQLModel, table=True):
    """An administrative area (kab/kota) loaded from a region pack."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True)
    code: str = Field(max_length=16)
    name: str = Field(max_length=120)
    timezone: str = Field(default="Asia/Jakarta", max_length=64)
    settings: dict[str, Any] = json_dict()
    # Travel times for web solves: 'estimate', 'osm' (osm_file, relative to the instance
    # folder) or 'osrm' (osrm_url); chosen on the settings page.
    travel_provider: str = Field(default="estimate", max_length=32)
    osrm_url: str | None = Field(default=None, max_length=500)
    osm_file: str | None = Field(default=None, max_length=255)


class Village(SQLModel, table=True):
    """A desa or kelurahan with its polygon and population."""

    __table_args__ = (CheckConstraint(one_of("kind", VILLAGE_KINDS), name="kind"),)

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=120)
    kind: str = Field(max_length=16)
    kecamatan_code: str = Field(max_length=32)
    kecamatan: str = Field(max_length=120)
    population_2010: int
    population_estimate: int
    area_km2: float
    inside_lat: float
    inside_lon: float
    geometry: str = Field(sa_column=Column(Text, nullable=False))


class Depot(SQLModel, table=True):
    """Where vehicles start and end their day (the city library)."""

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    name: str = Field(max_length=200)
    lat: float
    lon: float
    approximate: bool = False


class Stop(SQLModel, table=True):
    """A service point (titik layanan) of a village where the bookmobile parks."""

    __table_args__ = (
        UniqueConstraint("village_id", "name", name="uq_stop_village_name"),
        CheckConstraint(one_of("kind", STOP_KINDS), name="kind"),
        CheckConstraint("service_minutes > 0", name="service_minutes"),
    )

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    name: str = Field(max_length=200)
    kind: str = Field(default="lainnya", max_length=32)
    lat: float
    lon: float
    service_minutes: int = 45
    # {"mon": [["07:30", "12:00"], ...], ...}: allowed visit windows per weekday.
    time_windows: dict[str, Any] = json_dict()
    vehicle_kinds: list[str] = json_list()
    approximate: bool = False
    active: bool = True
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Planning: visits per rotation (None = from the demand model), allowed weekday patterns
    # ([["mon", "thu"], ["tue", "fri"]]; empty = spread evenly) and book crates to drop off.
    visits_override: int | None = None
    day_patterns: list[list[str]] = json_list()
    crates: int = 0


class Vehicle(SQLModel, table=True):
    """A bookmobile van or motorbike library with its shifts and breaks."""

    __table_args__ = (CheckConstraint(one_of("kind", VEHICLE_KINDS), name="kind"),)

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    depot_id: int = Field(foreign_key="depot.id")
    name: str = Field(max_length=120, unique=True)
    kind: str = Field(max_length=16)
    # {"mon": ["07:30", "15:30"], ...}; a missing weekday means no shift.
    shifts: dict[str, Any] = json_dict()
    # [{"name": ..., "weekdays": [...], "start": "12:00", "end": "13:00"}, ...]
    breaks: list[dict[str, Any]] = json_list()
    speed_kmh: float = 30.0
    capacity_crates: int | None = None
    max_stops_per_day: int | None = None
    active: bool = True
