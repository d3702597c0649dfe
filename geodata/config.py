"""Parse and check a pack's region.toml."""

import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geodata.errors import RegionPackError
from geodata.geojson import pack_label
from geodata.region import WEEKDAYS, BreakHours, DailyHours, StopDefaults

TIME_PATTERN = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


@dataclass(frozen=True)
class DepotConfig:
    """The depot as written in region.toml; lat/lon are None when unsurveyed."""

    name: str
    village_code: str
    approximate: bool
    note: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class RegionConfig:
    """Everything region.toml says about a region."""

    code: str
    name: str
    province: str
    timezone: str
    working_days: tuple[str, ...]
    shift: DailyHours
    breaks: tuple[BreakHours, ...]
    population_total: int
    population_year: int
    population_source: str
    depot: DepotConfig
    stop_defaults: StopDefaults


class _Table:
    """A TOML table that reports missing or mistyped keys by their dotted name."""

    def __init__(self, data: dict[str, Any], label: str, prefix: str = "") -> None:
        self.data = data
        self.label = label
        self.prefix = prefix

    def fail(self, key: str, problem: str) -> RegionPackError:
        return RegionPackError(f"{self.label}: key '{self.prefix}{key}' {problem}")

    def get(self, key: str, kind: type | tuple[type, ...], *, required: bool = True) -> Any:
        if key not in self.data:
            if required:
                raise self.fail(key, "is missing")
            return None
        value = self.data[key]
        # TOML booleans are Python ints; never accept one where a number is meant.
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.fail(key, f"has the wrong type ({type(value).__name__})")
        return value

    def table(self, key: str) -> "_Table":
        return _Table(self.get(key, dict), self.label, f"{self.prefix}{key}.")

    def positive_int(self, key: str) -> int:
        value: int = self.get(key, int)
        if value <= 0:
            raise self.fail(key, f"must be positive, got {value}")
        return value

    def time(self, key: str) -> datetime.time:
        text = self.get(key, str)
        match = TIME_PATTERN.fullmatch(text)
        if match is None:
            raise self.fail(key, f"must be a time as HH:MM, got {text!r}")
        return datetime.time(int(match[1]), int(match[2]))

    def window(self) -> tuple[datetime.time, datetime.time]:
        start, end = self.time("start"), self.time("end")
        if start >= end:
            raise self.fail("end", f"({end:%H:%M}) must be after start ({start:%H:%M})")
        return start, end

    def weekdays(self, key: str) -> tuple[str, ...]:
        days = self.get(key, list)
        unknown = [day for day in days if day not in WEEKDAYS]
        if unknown or not days:
            raise self.fail(key, f"must list weekdays from {list(WEEKDAYS)}, got {days!r}")
        return tuple(days)


def read_config(path: Path) -> RegionConfig:
    """Read region.toml and check its keys, weekdays and times."""
    label = pack_label(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{label}: file is missing"
        raise RegionPackError(msg) from None
    except tomllib.TOMLDecodeError as error:
        msg = f"{label}: not valid TOML ({error})"
        raise RegionPackError(msg) from None
    root = _Table(data, label)
    shift = DailyHours(*root.table("shift").window())
    return RegionConfig(
        code=root.get("code", str),
        name=root.get("name", str),
        province=root.get("province", str),
        timezone=root.get("timezone", str),
        working_days=root.weekdays("working_days"),
        shift=shift,
        breaks=_read_breaks(root, shift),
        population_total=root.positive_int("population_total"),
        population_year=root.get("population_year", int),
        population_source=root.get("population_source", str),
        depot=_read_depot(root.table("depot")),
        stop_defaults=_read_stop_defaults(root.table("default_stop")),
    )


def _read_breaks(root: _Table, shift: DailyHours) -> tuple[BreakHours, ...]:
    rules = []
    for index, raw in enumerate(root.get("breaks", list, required=False) or []):
        if not isinstance(raw, dict):
            raise root.fail(f"breaks[{index}]", "must be a table")
        table = _Table(raw, root.label, f"breaks[{index}].")
        name, (start, end) = table.get("name", str), table.window()
        if start < shift.start or end > shift.end:
            msg = (
                f"{root.label}: break {name!r} ({start:%H:%M}-{end:%H:%M}) lies outside "
                f"the shift ({shift.start:%H:%M}-{shift.end:%H:%M})"
            )
            raise RegionPackError(msg)
        rules.append(BreakHours(name, table.weekdays("weekdays"), start, end))
    return tuple(rules)


def _read_depot(table: _Table) -> DepotConfig:
    lat = table.get("lat", (int, float), required=False)
    lon = table.get("lon", (int, float), required=False)
    if (lat is None) != (lon is None):
        raise table.fail("lat", "and 'lon' must be given together")
    return DepotConfig(
        name=table.get("name", str),
        village_code=table.get("village_code", str),
        approximate=table.get("approximate", bool),
        note=table.get("note", str, required=False) or "",
        lat=None if lat is None else float(lat),
        lon=None if lon is None else float(lon),
    )


def _read_stop_defaults(table: _Table) -> StopDefaults:
    pattern = table.get("name_pattern", str)
    try:
        pattern.format(village="")
    except (KeyError, IndexError, ValueError):
        raise table.fail("name_pattern", "may only use the placeholder {village}") from None
    minutes = table.positive_int("service_minutes")
    return StopDefaults(pattern, minutes, table.get("kind", str))
