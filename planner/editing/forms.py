"""The stop and vehicle forms: texts as typed, problems per field, checked values to store."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from planner.core import WEEKDAYS
from planner.editing.parse import format_day_patterns, format_weekdays, format_windows
from planner.store import VEHICLE_KINDS, Region, Stop, Vehicle, default_shifts, default_time_windows

T = TypeVar("T")


@dataclass(frozen=True)
class Checked(Generic[T]):
    """A form's parsed values, or what stops it being saved (form field -> message)."""

    value: T | None
    problems: dict[str, str]


class FieldProblems:
    """Collects the first problem per field while parsing goes on."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def add(self, key: str, message: str) -> None:
        """Note a problem with the field, unless it already has one."""
        self.found.setdefault(key, message)

    def run(self, key: str, parse: Callable[[], T]) -> T | None:
        """The parsed value, or None with the parser's message noted against the field."""
        try:
            return parse()
        except ValueError as error:
            self.add(key, str(error))
            return None

    def any_under(self, prefix: str) -> bool:
        """True when a field whose key starts with prefix has a problem."""
        return any(key.startswith(prefix) for key in self.found)


@dataclass(frozen=True)
class StopEntry:
    """A stop form as typed: texts per field, weekday -> windows text."""

    name: str
    village: str
    kind: str
    lat: str
    lon: str
    service_minutes: str
    windows: Mapping[str, str]
    vehicle_kinds: Sequence[str]
    visits_override: str
    day_patterns: str
    crates: str
    notes: str
    approximate: bool
    active: bool


@dataclass(frozen=True)
class StopValues:
    """A checked stop form, ready to store."""

    name: str
    village_code: str
    kind: str
    lat: float
    lon: float
    service_minutes: int
    time_windows: dict[str, list[list[str]]]
    vehicle_kinds: list[str]
    visits_override: int | None
    day_patterns: list[list[str]]
    crates: int
    notes: str
    approximate: bool
    active: bool

    def apply_to(self, stop: Stop, village_id: int) -> None:
        """Copy every field onto the stop row (and nothing else)."""
        stop.village_id = village_id
        for key in (
            "name", "kind", "lat", "lon", "service_minutes", "time_windows", "vehicle_kinds",
            "visits_override", "day_patterns", "crates", "notes", "approximate", "active",
        ):  # fmt: skip
            setattr(stop, key, getattr(self, key))


def _optional_text(value: int | None) -> str:
    return "" if value is None else str(value)


def stop_entry(stop: Stop, village_code: str) -> StopEntry:
    """The form texts showing a stored stop."""
    return StopEntry(
        name=stop.name,
        village=village_code,
        kind=stop.kind,
        lat=repr(stop.lat),  # the shortest text that reads back unchanged
        lon=repr(stop.lon),
        service_minutes=str(stop.service_minutes),
        windows={day: format_windows(stop.time_windows.get(day, [])) for day in WEEKDAYS},
        vehicle_kinds=list(stop.vehicle_kinds),
        visits_override=_optional_text(stop.visits_override),
        day_patterns=format_day_patterns(stop.day_patterns),
        crates=str(stop.crates),
        notes=stop.notes,
        approximate=stop.approximate,
        active=stop.active,
    )


def new_stop_entry(region: Region, village_code: str = "") -> StopEntry:
    """A blank stop form: the region's working hours, every vehicle kind, position to fill."""
    blank = Stop(village_id=0, name="", lat=0.0, lon=0.0)
    blank.time_windows = default_time_windows(region)
    blank.vehicle_kinds = list(VEHICLE_KINDS)
    return replace(stop_entry(blank, village_code), lat="", lon="")


@dataclass(frozen=True)
class BreakEntry:
    """One break row as typed: name, weekdays ('senin-kamis, sabtu') and times ('12:00-13:00')."""

    name: str
    weekdays: str
    times: str

    def is_blank(self) -> bool:
        """True when the row was left empty (it is then ignored)."""
        return not (self.name.strip() or self.weekdays.strip() or self.times.strip())


@dataclass(frozen=True)
class VehicleEntry:
    """A vehicle form as typed: weekday -> shift text, and break rows."""

    name: str
    kind: str
    shifts: Mapping[str, str]
    breaks: Sequence[BreakEntry]
    speed_kmh: str
    capacity_crates: str
    max_stops_per_day: str
    active: bool


@dataclass(frozen=True)
class VehicleValues:
    """A checked vehicle form, ready to store."""

    name: str
    kind: str
    shifts: dict[str, list[str]]
    breaks: list[dict[str, Any]]
    speed_kmh: float
    capacity_crates: int | None
    max_stops_per_day: int | None
    active: bool

    def apply_to(self, vehicle: Vehicle) -> None:
        """Copy every field onto the vehicle row (and nothing else)."""
        for key in (
            "name", "kind", "shifts", "breaks", "speed_kmh", "capacity_crates",
            "max_stops_per_day", "active",
        ):  # fmt: skip
            setattr(vehicle, key, getattr(self, key))


def _break_entries(breaks: Iterable[Mapping[str, Any]]) -> list[BreakEntry]:
    return [
        BreakEntry(b["name"], format_weekdays(b["weekdays"]), f"{b['start']}-{b['end']}")
        for b in breaks
    ]


def vehicle_entry(vehicle: Vehicle) -> VehicleEntry:
    """The form texts showing a stored vehicle."""
    return VehicleEntry(
        name=vehicle.name,
        kind=vehicle.kind,
        shifts={
            day: format_windows([vehicle.shifts[day]] if day in vehicle.shifts else [])
            for day in WEEKDAYS
        },
        breaks=_break_entries(vehicle.breaks),
        speed_kmh=f"{vehicle.speed_kmh:g}",
        capacity_crates=_optional_text(vehicle.capacity_crates),
        max_stops_per_day=_optional_text(vehicle.max_stops_per_day),
        active=vehicle.active,
    )


def new_vehicle_entry(region: Region) -> VehicleEntry:
    """A blank vehicle form with the region's shift, lunch and Friday prayer breaks."""
    blank = Vehicle(region_id=0, depot_id=0, name="", kind="van")
    blank.shifts = default_shifts(region)
    blank.breaks = list(region.settings.get("breaks", []))
    return vehicle_entry(blank)
