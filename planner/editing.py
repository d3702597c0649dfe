"""What a coordinator types into the stop and vehicle forms: parsed, checked and explained.

Every check returns the parsed values or, per form field, one message in Bahasa Indonesia that
names the problem. Limits are shared with the stop importer (planner/stops.py).
"""

import json
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Generic, TypeVar

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from planner.models import STOP_KINDS, VEHICLE_KINDS, WEEKDAYS, Region, Stop, Vehicle, Village
from planner.regions import default_shifts, default_time_windows
from planner.stops import (
    BOUNDARY_SLACK_DEG,
    MAX_NAME_LENGTH,
    MAX_SERVICE_MINUTES,
    MIN_SERVICE_MINUTES,
    normalise_kind,
)

DAY_NAMES = {
    "mon": "Senin",
    "tue": "Selasa",
    "wed": "Rabu",
    "thu": "Kamis",
    "fri": "Jumat",
    "sat": "Sabtu",
    "sun": "Minggu",
}
_ENGLISH_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_ALIASES = {
    **{key: key for key in WEEKDAYS},
    **{name.lower(): key for key, name in DAY_NAMES.items()},
    **{name.lower()[:3]: key for key, name in DAY_NAMES.items()},
    **dict(zip(_ENGLISH_DAYS, WEEKDAYS, strict=True)),
    "jum'at": "fri",
    "ahad": "sun",
}
MAX_VEHICLE_NAME_LENGTH = 120
MAX_NOTES_LENGTH = 2000
MAX_VISITS_PER_ROTATION = 28  # every day of a four-week rotation
MAX_CRATES = 50
MAX_STOPS_PER_DAY = 50
MIN_SPEED_KMH, MAX_SPEED_KMH = 5.0, 100.0

_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_RANGE_SEPARATOR = re.compile(r"\s*(?:-|–|—|s/d|sampai)\s*")
_DAY_SEPARATOR = re.compile(r"[\s,+/&]+")
T = TypeVar("T")


@dataclass(frozen=True)
class Checked(Generic[T]):
    """A form's parsed values, or what stops it being saved (form field -> message)."""

    value: T | None
    problems: dict[str, str]


class _Problems:
    """Collects the first problem per field while parsing goes on."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def add(self, key: str, message: str) -> None:
        self.found.setdefault(key, message)

    def run(self, key: str, parse: Callable[[], T]) -> T | None:
        try:
            return parse()
        except ValueError as error:
            self.add(key, str(error))
            return None

    def any_under(self, prefix: str) -> bool:
        return any(key.startswith(prefix) for key in self.found)


def parse_time(text: str) -> str:
    """'7:30' or '07.30' as '07:30'."""
    match = _TIME.fullmatch(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        msg = f"'{text.strip()}' bukan jam yang sah; tulis JJ:MM, mis. 07:30."
        raise ValueError(msg)
    return f"{int(match[1]):02d}:{match[2]}"


def minutes_of(hhmm: str) -> int:
    """'07:30' as minutes since midnight."""
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def parse_range(text: str) -> tuple[str, str]:
    """'07:30-12:00' (also '07.30 – 12.00', '07:30 s/d 12:00') as ('07:30', '12:00')."""
    if not text.strip():
        msg = "Jam kosong: tulis mulai-selesai, mis. 12:00-13:00."
        raise ValueError(msg)
    parts = _RANGE_SEPARATOR.split(text.strip())
    if len(parts) != 2 or not all(parts):
        msg = f"'{text.strip()}' bukan rentang jam; tulis mulai-selesai, mis. 07:30-12:00."
        raise ValueError(msg)
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if minutes_of(end) <= minutes_of(start):
        msg = f"Jam selesai {end} harus setelah jam mulai {start}."
        raise ValueError(msg)
    return start, end


def parse_windows(text: str) -> list[list[str]]:
    """'07:30-12:00, 13:00-15:00' as [['07:30', '12:00'], ['13:00', '15:00']]; '' is closed."""
    windows = sorted(parse_range(piece) for piece in re.split(r"[,;]", text) if piece.strip())
    for first, second in zip(windows, windows[1:], strict=False):
        if minutes_of(second[0]) < minutes_of(first[1]):
            msg = f"Rentang {first[0]}-{first[1]} dan {second[0]}-{second[1]} tumpang tindih."
            raise ValueError(msg)
    return [list(window) for window in windows]


def format_windows(windows: Iterable[Sequence[str]]) -> str:
    """The text form of windows, as parse_windows reads it."""
    return ", ".join(f"{start}-{end}" for start, end in windows)


def parse_shift(text: str) -> list[str] | None:
    """'07:30-15:30' as ['07:30', '15:30']; '' is a day off (None)."""
    windows = parse_windows(text)
    if len(windows) > 1:
        msg = "Satu sif per hari: tulis satu rentang, mis. 07:30-15:30."
        raise ValueError(msg)
    return windows[0] if windows else None


def parse_day(word: str) -> str:
    """'Senin', 'sen', 'Monday' or 'mon' as 'mon'."""
    key = DAY_ALIASES.get(word.strip().lower())
    if key is None:
        msg = (
            f"'{word.strip()}' bukan nama hari (senin, selasa, rabu, kamis, jumat, sabtu, minggu)."
        )
        raise ValueError(msg)
    return key


def _in_week_order(days: Iterable[str]) -> list[str]:
    return sorted(set(days), key=WEEKDAYS.index)


def parse_weekdays(text: str) -> list[str]:
    """'senin-kamis, sabtu' as ['mon', 'tue', 'wed', 'thu', 'sat'] (in week order)."""
    days: list[str] = []
    for word in _DAY_SEPARATOR.split(re.sub(r"\s*[-–]\s*", "-", text.strip())):
        if not word:
            continue
        first, _, last = word.partition("-")
        start = WEEKDAYS.index(parse_day(first))
        end = WEEKDAYS.index(parse_day(last)) if last else start
        if end < start:
            msg = f"Rentang hari '{word}' terbalik; tulis dari awal pekan, mis. senin-kamis."
            raise ValueError(msg)
        days.extend(WEEKDAYS[start : end + 1])
    return _in_week_order(days)


def format_weekdays(days: Iterable[str]) -> str:
    """['mon', 'tue', 'wed', 'thu', 'sat'] as 'senin-kamis, sabtu' (runs of 3+ as ranges)."""
    runs: list[list[str]] = []
    for day in _in_week_order(days):
        if runs and WEEKDAYS.index(day) == WEEKDAYS.index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    names = [[DAY_NAMES[day].lower() for day in run] for run in runs]
    return ", ".join(f"{n[0]}-{n[-1]}" if len(n) > 2 else ", ".join(n) for n in names)


def parse_day_patterns(text: str) -> list[list[str]]:
    """'senin+kamis; selasa+jumat' as [['mon', 'thu'], ['tue', 'fri']]; '' is none."""
    patterns: list[list[str]] = []
    for chunk in re.split(r"[;\n|]", text):
        words = [w for w in _DAY_SEPARATOR.split(chunk.strip()) if w and w.lower() != "dan"]
        if not words:
            continue
        days = [parse_day(word) for word in words]
        if len(set(days)) < len(days):
            msg = f"Pola '{chunk.strip()}' menyebut hari yang sama dua kali."
            raise ValueError(msg)
        pattern = _in_week_order(days)
        if pattern not in patterns:
            patterns.append(pattern)
    return patterns


def format_day_patterns(patterns: Iterable[Sequence[str]]) -> str:
    """[['mon', 'thu'], ['tue', 'fri']] as 'senin+kamis; selasa+jumat'."""
    return "; ".join("+".join(DAY_NAMES[day].lower() for day in p) for p in patterns)


def parse_decimal(text: str) -> float:
    """'-7,3675' or '-7.3675' as a float."""
    cleaned = text.strip().replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # decimal comma, as Indonesian spreadsheets write
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        msg = f"'{text.strip()}' bukan angka."
        raise ValueError(msg)
    return value


def parse_whole(text: str, low: int, high: int) -> int:
    """A whole number between low and high."""
    cleaned = text.strip()
    if not re.fullmatch(r"[+-]?\d+", cleaned):
        msg = f"'{cleaned}' bukan bilangan bulat." if cleaned else "Wajib diisi."
        raise ValueError(msg)
    value = int(cleaned)
    if not low <= value <= high:
        msg = f"Isi bilangan antara {low} dan {high}."
        raise ValueError(msg)
    return value


def parse_optional_whole(text: str, low: int, high: int) -> int | None:
    """A whole number between low and high, or None when left empty."""
    return parse_whole(text, low, high) if text.strip() else None


def parse_coordinate(text: str, label: str, limit: float) -> float:
    """A latitude (limit 90) or longitude (limit 180) in decimal degrees."""
    if not text.strip():
        msg = f"{label} wajib diisi: ketik angkanya atau klik peta."
        raise ValueError(msg)
    value = parse_decimal(text)
    if not -limit <= value <= limit:
        msg = f"{label} harus antara -{limit:g} dan {limit:g}."
        raise ValueError(msg)
    return value


class VillageShapes:
    """The region's village polygons, to tell whether a point belongs to a village."""

    def __init__(self, villages: Iterable[Village], region_name: str) -> None:
        rows = list(villages)
        self.names = {v.code: v.name for v in rows}
        self.region_name = region_name
        self._shapes: dict[str, BaseGeometry] = {
            v.code: shape(json.loads(v.geometry)) for v in rows
        }
        # The polygons are simplified: like the importer, accept about 1 km past the edge.
        self._slack = {code: s.buffer(BOUNDARY_SLACK_DEG) for code, s in self._shapes.items()}

    def locate(self, lat: float, lon: float) -> str | None:
        """The code of the village containing the point, if any."""
        point = Point(lon, lat)
        return next((code for code, s in self._shapes.items() if s.contains(point)), None)

    def problem(self, code: str, lat: float, lon: float) -> str | None:
        """Why the point cannot be a stop of village `code`; None when it can."""
        if self._slack[code].contains(Point(lon, lat)):
            return None
        name, where = self.names[code], self.locate(lat, lon)
        if where is not None:
            return f"Titik ({lat}, {lon}) berada di {self.names[where]}, bukan di {name}."
        hint = ""
        if self.locate(-lat, lon) is not None:
            hint = f" Lintang di selatan khatulistiwa bernilai negatif: maksud Anda {-lat}?"
        return f"Titik ({lat}, {lon}) berada di luar {self.region_name}.{hint}"


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


def _check_windows(
    texts: Mapping[str, str], problems: _Problems
) -> dict[str, list[list[str]]] | None:
    windows: dict[str, list[list[str]]] = {}
    for day in WEEKDAYS:
        parsed = problems.run(f"windows-{day}", partial(parse_windows, texts.get(day, "")))
        if parsed:
            windows[day] = parsed
    if problems.any_under("windows-"):
        return None
    if not windows:
        problems.add(
            "windows", "Titik ini tutup setiap hari: isi jam buka untuk minimal satu hari."
        )
    return windows


def _check_service_fits(
    minutes: int, windows: Mapping[str, list[list[str]]], problems: _Problems
) -> None:
    lengths = [minutes_of(end) - minutes_of(start) for w in windows.values() for start, end in w]
    if lengths and max(lengths) < minutes:
        problems.add(
            "service_minutes",
            f"Layanan {minutes} menit tidak muat di jendela waktu mana pun "
            f"(yang terpanjang {max(lengths)} menit).",
        )


def _check_patterns(
    patterns: list[list[str]], windows: Mapping[str, list[list[str]]], problems: _Problems
) -> None:
    for pattern in patterns:
        closed = [day for day in pattern if day not in windows]
        if closed:
            problems.add(
                "day_patterns",
                f"Pola {format_day_patterns([pattern])} memakai hari {DAY_NAMES[closed[0]]}, "
                "padahal titik ini tutup pada hari itu.",
            )


def _check_stop_name(
    name: str, code: str, shapes: VillageShapes, others: Iterable[tuple[str, str]], p: _Problems
) -> None:
    if not name:
        p.add("name", "Nama titik layanan wajib diisi.")
    elif len(name) > MAX_NAME_LENGTH:
        p.add("name", f"Nama paling panjang {MAX_NAME_LENGTH} karakter.")
    elif code in shapes.names and (code, name.casefold()) in {(c, n.casefold()) for c, n in others}:
        p.add("name", f"Sudah ada titik bernama '{name}' di {shapes.names[code]}.")


def check_stop(
    entry: StopEntry, shapes: VillageShapes, others: Iterable[tuple[str, str]]
) -> Checked[StopValues]:
    """Parse and check a stop form; `others` are (village code, name) of every other stop."""
    p = _Problems()
    name = " ".join(entry.name.split())
    _check_stop_name(name, entry.village, shapes, others, p)
    if entry.village not in shapes.names:
        p.add("village", "Pilih desa/kelurahan tempat titik ini berada.")
    kind = normalise_kind(entry.kind)
    if kind is None:
        p.add("kind", f"Pilih salah satu jenis: {', '.join(STOP_KINDS)}.")
    lat = p.run("lat", partial(parse_coordinate, entry.lat, "Lintang", 90.0))
    lon = p.run("lon", partial(parse_coordinate, entry.lon, "Bujur", 180.0))
    if lat is not None and lon is not None and entry.village in shapes.names:
        outside = shapes.problem(entry.village, lat, lon)
        if outside:
            p.add("lat", outside)
    minutes = p.run(
        "service_minutes",
        partial(parse_whole, entry.service_minutes, MIN_SERVICE_MINUTES, MAX_SERVICE_MINUTES),
    )
    windows = _check_windows(entry.windows, p)
    kinds = [k for k in VEHICLE_KINDS if k in entry.vehicle_kinds]
    if not kinds or len(kinds) < len(set(entry.vehicle_kinds)):
        p.add("vehicle_kinds", "Pilih minimal satu jenis kendaraan yang bisa mencapai titik ini.")
    visits = p.run(
        "visits_override",
        partial(parse_optional_whole, entry.visits_override, 1, MAX_VISITS_PER_ROTATION),
    )
    patterns = p.run("day_patterns", partial(parse_day_patterns, entry.day_patterns))
    if windows is not None:
        if minutes is not None:
            _check_service_fits(minutes, windows, p)
        _check_patterns(patterns or [], windows, p)
    crates = p.run("crates", partial(parse_whole, entry.crates.strip() or "0", 0, MAX_CRATES))
    if len(entry.notes) > MAX_NOTES_LENGTH:
        p.add("notes", f"Catatan paling panjang {MAX_NOTES_LENGTH} karakter.")
    if p.found:
        return Checked(None, p.found)
    assert kind is not None and lat is not None and lon is not None and minutes is not None
    assert windows is not None and patterns is not None and crates is not None
    values = StopValues(
        name, entry.village, kind, lat, lon, minutes, windows, kinds, visits, patterns, crates,
        entry.notes.strip(), entry.approximate, entry.active,
    )  # fmt: skip
    return Checked(values, {})


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


def _break_conflict(
    rule: Mapping[str, Any], shifts: Mapping[str, list[str]], kept: Iterable[Mapping[str, Any]]
) -> str | None:
    start, end = minutes_of(rule["start"]), minutes_of(rule["end"])
    for day in rule["weekdays"]:
        shift = shifts.get(day)
        if shift and not minutes_of(shift[0]) <= start < end <= minutes_of(shift[1]):
            return (
                f"Istirahat {rule['start']}-{rule['end']} berada di luar sif "
                f"{DAY_NAMES[day]} ({shift[0]}-{shift[1]})."
            )
    for other in kept:
        shared = [d for d in rule["weekdays"] if d in other["weekdays"]]
        if shared and start < minutes_of(other["end"]) and minutes_of(other["start"]) < end:
            return f"Bertumpang tindih dengan '{other['name']}' pada hari {DAY_NAMES[shared[0]]}."
    return None


def _check_breaks(
    rows: Sequence[BreakEntry], shifts: Mapping[str, list[str]], p: _Problems
) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        if row.is_blank():
            continue
        key = f"breaks-{index}-"
        name = " ".join(row.name.split())
        if not name:
            p.add(key + "name", "Beri nama istirahat ini, mis. Istirahat siang.")
        days = p.run(key + "weekdays", partial(parse_weekdays, row.weekdays))
        if days == []:
            p.add(key + "weekdays", "Tulis hari berlakunya, mis. senin-kamis, sabtu.")
        times = p.run(key + "times", partial(parse_range, row.times))
        if not (name and days and times):
            continue
        rule = {"name": name, "weekdays": days, "start": times[0], "end": times[1]}
        conflict = _break_conflict(rule, shifts, kept)
        if conflict:
            p.add(key + "times", conflict)
        else:
            kept.append(rule)
    return kept


def parse_speed(text: str) -> float:
    """Average speed in km/h (decimal comma accepted)."""
    speed = parse_decimal(text) if text.strip() else 0.0
    if not MIN_SPEED_KMH <= speed <= MAX_SPEED_KMH:
        msg = f"Kecepatan rata-rata harus antara {MIN_SPEED_KMH:g} dan {MAX_SPEED_KMH:g} km/jam."
        raise ValueError(msg)
    return speed


def check_vehicle(entry: VehicleEntry, taken_names: Collection[str]) -> Checked[VehicleValues]:
    """Parse and check a vehicle form; `taken_names` are the other vehicles' names."""
    p = _Problems()
    name = " ".join(entry.name.split())
    if not name:
        p.add("name", "Nama kendaraan wajib diisi.")
    elif len(name) > MAX_VEHICLE_NAME_LENGTH:
        p.add("name", f"Nama paling panjang {MAX_VEHICLE_NAME_LENGTH} karakter.")
    elif name.casefold() in {n.casefold() for n in taken_names}:
        p.add("name", f"Sudah ada kendaraan bernama '{name}'.")
    if entry.kind not in VEHICLE_KINDS:
        p.add("kind", f"Pilih jenis kendaraan: {', '.join(VEHICLE_KINDS)}.")
    shifts: dict[str, list[str]] = {}
    for day in WEEKDAYS:
        shift = p.run(f"shifts-{day}", partial(parse_shift, entry.shifts.get(day, "")))
        if shift:
            shifts[day] = shift
    if not shifts and not p.any_under("shifts-"):
        p.add("shifts", "Kendaraan ini tidak pernah bertugas: isi sif untuk minimal satu hari.")
    breaks = _check_breaks(entry.breaks, shifts, p)
    speed = p.run("speed_kmh", partial(parse_speed, entry.speed_kmh))
    capacity = p.run(
        "capacity_crates", partial(parse_optional_whole, entry.capacity_crates, 0, MAX_CRATES)
    )
    max_stops = p.run(
        "max_stops_per_day",
        partial(parse_optional_whole, entry.max_stops_per_day, 1, MAX_STOPS_PER_DAY),
    )
    if p.found:
        return Checked(None, p.found)
    assert speed is not None
    values = VehicleValues(
        name, entry.kind, shifts, breaks, speed, capacity, max_stops, entry.active
    )
    return Checked(values, {})
