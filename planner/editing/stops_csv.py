"""Stops (titik layanan): all-or-nothing CSV import with row/column errors, and export."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from planner.core import ImportProblem, ImportRejectedError, _, read_rows
from planner.editing.parse import parse_decimal
from planner.editing.shapes import VillageShapes
from planner.store import STOP_KINDS, VEHICLE_KINDS, Region, Stop, Village, default_time_windows

REQUIRED_COLUMNS = ("name", "village_code", "kind", "lat", "lon", "service_minutes")
EXPORT_COLUMNS = (
    "id",
    *REQUIRED_COLUMNS,
    "village",
    "approximate",
    "active",
    "vehicle_kinds",
    "notes",
)
MIN_SERVICE_MINUTES = 5
MAX_SERVICE_MINUTES = 480
MAX_NAME_LENGTH = 200
MAX_REPORTED_PROBLEMS = 50
TRUE_WORDS = {"1", "ya", "y", "yes", "true", "benar"}
FALSE_WORDS = {"0", "tidak", "t", "no", "n", "false", "salah", ""}


@dataclass(frozen=True)
class StopRow:
    """One validated row of a stops file."""

    row: int
    name: str
    village_code: str
    kind: str
    lat: float
    lon: float
    service_minutes: int
    approximate: bool
    active: bool
    vehicle_kinds: tuple[str, ...] | None
    notes: str | None


@dataclass(frozen=True)
class StopImportSummary:
    """How many stops an import created and updated."""

    created: int
    updated: int


def normalise_village_code(value: str) -> str:
    """Accept `3279011001` as well as `32.79.01.1001`."""
    digits = value.replace(".", "").strip()
    if digits.isdigit() and len(digits) == 10:
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return value.strip()


def normalise_kind(value: str) -> str | None:
    """Map 'Balai_Desa', 'tbm', 'SEKOLAH' to the stored kind; None if unknown."""
    wanted = value.strip().lower().replace("_", " ").replace("-", " ")
    return next((kind for kind in STOP_KINDS if kind.lower() == wanted), None)


def _flag(text: str, default: bool) -> bool:
    lowered = text.strip().lower()
    if not lowered:
        return default
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    msg = _("'{value}' is not yes/no").format(value=text)
    raise ValueError(msg)


class _RowChecker:
    """Validates rows against the region's villages, collecting every problem."""

    def __init__(self, villages: list[Village], region_name: str) -> None:
        self.villages = {v.code: v for v in villages}
        self.shapes = VillageShapes(villages, region_name)
        self.region_name = region_name
        self.problems: list[ImportProblem] = []
        self.seen: dict[tuple[str, str], int] = {}

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(ImportProblem(row, column, message))

    def check(self, row: int, cells: dict[str, str]) -> StopRow | None:
        before = len(self.problems)
        name = cells.get("name", "")
        if not name:
            self.problem(row, "name", _("the service point's name is empty"))
        elif len(name) > MAX_NAME_LENGTH:
            msg = _("the name is longer than {count} characters").format(count=MAX_NAME_LENGTH)
            self.problem(row, "name", msg)
        code = normalise_village_code(cells.get("village_code", ""))
        if code not in self.villages:
            msg = _("village code '{code}' is not in {region}")
            self.problem(row, "village_code", msg.format(code=code, region=self.region_name))
        kind = normalise_kind(cells.get("kind", ""))
        if kind is None:
            allowed = ", ".join(STOP_KINDS)
            msg = _("kind '{kind}' is unknown ({allowed})")
            self.problem(row, "kind", msg.format(kind=cells.get("kind", ""), allowed=allowed))
        lat = self._coordinate(row, cells, "lat", 90.0)
        lon = self._coordinate(row, cells, "lon", 180.0)
        minutes = self._minutes(row, cells.get("service_minutes", ""))
        flags = self._flags(row, cells)
        kinds = self._vehicle_kinds(row, cells)
        if lat is not None and lon is not None and code in self.villages:
            self._check_inside(row, code, lat, lon)
        if name and code in self.villages:
            key = (code, name.casefold())
            if key in self.seen:
                msg = _("'{name}' is already on row {row}").format(name=name, row=self.seen[key])
                self.problem(row, "name", msg)
            self.seen.setdefault(key, row)
        if len(self.problems) > before or None in (kind, lat, lon, minutes, flags):
            return None
        assert kind is not None and lat is not None and lon is not None and minutes is not None
        assert flags is not None
        notes = cells.get("notes") if "notes" in cells else None
        return StopRow(row, name, code, kind, lat, lon, minutes, *flags, kinds, notes)

    def _coordinate(
        self, row: int, cells: dict[str, str], column: str, limit: float
    ) -> float | None:
        text = cells.get(column, "")
        try:
            value = parse_decimal(text)
        except ValueError:
            self.problem(row, column, _("'{value}' is not a number").format(value=text))
            return None
        if not -limit <= value <= limit:
            msg = _("{value} is outside the range -{limit:g}..{limit:g}")
            self.problem(row, column, msg.format(value=value, limit=limit))
            return None
        return value

    def _minutes(self, row: int, text: str) -> int | None:
        try:
            minutes = int(parse_decimal(text))
        except ValueError:
            msg = _("'{value}' is not a whole number of minutes").format(value=text)
            self.problem(row, "service_minutes", msg)
            return None
        if not MIN_SERVICE_MINUTES <= minutes <= MAX_SERVICE_MINUTES:
            self.problem(
                row,
                "service_minutes",
                _("{minutes} min is outside {low}–{high} min").format(
                    minutes=minutes, low=MIN_SERVICE_MINUTES, high=MAX_SERVICE_MINUTES
                ),
            )
            return None
        return minutes

    def _flags(self, row: int, cells: dict[str, str]) -> tuple[bool, bool] | None:
        values = []
        for column, default in (("approximate", False), ("active", True)):
            try:
                values.append(_flag(cells.get(column, ""), default))
            except ValueError as error:
                self.problem(row, column, str(error))
        return (values[0], values[1]) if len(values) == 2 else None

    def _vehicle_kinds(self, row: int, cells: dict[str, str]) -> tuple[str, ...] | None:
        if not cells.get("vehicle_kinds"):
            return None
        kinds = tuple(cells["vehicle_kinds"].replace(",", " ").lower().split())
        unknown = [k for k in kinds if k not in VEHICLE_KINDS]
        if unknown:
            allowed = ", ".join(VEHICLE_KINDS)
            message = _("vehicle '{kind}' is unknown ({allowed})").format(
                kind=unknown[0], allowed=allowed
            )
            self.problem(row, "vehicle_kinds", message)
        return kinds

    def _check_inside(self, row: int, code: str, lat: float, lon: float) -> None:
        if self.shapes.contains(code, lat, lon):
            return
        village = self.villages[code].name
        hint = ""
        if self.shapes.contains(code, lon, lat):
            hint = _("; lat and lon look swapped")
        msg = _("the point ({lat}, {lon}) is not in the village {village}")
        self.problem(row, "lat/lon", msg.format(lat=lat, lon=lon, village=village) + hint)


def parse_stops_csv(data: bytes, villages: list[Village], region_name: str) -> list[StopRow]:
    """Validate a whole stops file; raise ImportRejectedError listing each problem by row/column."""
    header, rows = read_rows(data)
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        message = _("a required column is missing from the header row")
        problem = ImportProblem(1, ", ".join(missing), message)
        raise ImportRejectedError([problem])
    if not rows:
        message = _("the file holds no data rows")
        raise ImportRejectedError([ImportProblem(None, None, message)])
    checker = _RowChecker(villages, region_name)
    parsed = [checker.check(number, cells) for number, cells in rows]
    if checker.problems:
        problems = checker.problems
        raise ImportRejectedError(problems[:MAX_REPORTED_PROBLEMS], total=len(problems))
    return [row for row in parsed if row is not None]


def import_stops(session: Session, region: Region, data: bytes) -> StopImportSummary:
    """Create or update stops from CSV; a row naming an existing stop of its village updates it."""
    villages = list(session.exec(select(Village).where(Village.region_id == region.id)))
    rows = parse_stops_csv(data, villages, region.name)
    by_code = {v.code: v for v in villages}
    existing = {(s.village_id, s.name.casefold()): s for s in session.exec(select(Stop))}
    created = updated = 0
    for row in rows:
        village_id = by_code[row.village_code].id
        assert village_id is not None
        stop = existing.get((village_id, row.name.casefold()))
        if stop is None:
            created += 1
            stop = Stop(
                village_id=village_id,
                name=row.name,
                lat=row.lat,
                lon=row.lon,
                time_windows=default_time_windows(region),
                vehicle_kinds=list(VEHICLE_KINDS),
            )
        else:
            updated += 1
        _apply(stop, row)
        session.add(stop)
    session.flush()
    return StopImportSummary(created, updated)


def _apply(stop: Stop, row: StopRow) -> None:
    stop.name, stop.kind = row.name, row.kind
    stop.lat, stop.lon = row.lat, row.lon
    stop.service_minutes = row.service_minutes
    stop.approximate, stop.active = row.approximate, row.active
    if row.vehicle_kinds is not None:
        stop.vehicle_kinds = list(row.vehicle_kinds)
    if row.notes is not None:
        stop.notes = row.notes


def stop_rows(session: Session) -> list[dict[str, Any]]:
    """Every stop as a flat record, in the import format plus id and village name."""
    query = select(Stop, Village).join(Village).order_by(Village.code, Stop.name)
    return [
        {
            "id": stop.id,
            "name": stop.name,
            "village_code": village.code,
            "village": village.name,
            "kind": stop.kind,
            "lat": stop.lat,
            "lon": stop.lon,
            "service_minutes": stop.service_minutes,
            "approximate": stop.approximate,
            "active": stop.active,
            "vehicle_kinds": " ".join(stop.vehicle_kinds),
            "time_windows": stop.time_windows,
            "notes": stop.notes,
        }
        for stop, village in session.exec(query)
    ]
