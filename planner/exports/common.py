"""Reading a route plan's JSON form for the exports: visits in order, local times, safe text."""

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from planner.core import _, day_name, fold, zone_of

STATUS_SCHEDULED = "terjadwal"
STATUS_UNSERVED = "tidak terlayani"
# Characters XML 1.0, iCalendar and spreadsheets cannot carry: C0/C1 controls except tab and
# newline, surrogates, and the U+FFFE/U+FFFF non-characters.
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Place:
    """A point on a route: the depot or a stop, with local arrival and departure."""

    name: str
    lat: float
    lon: float
    arrival: dt.datetime
    departure: dt.datetime
    village: str = ""


def clean(value: Any) -> str:
    """User text as a string every export format can carry (line breaks become `\\n`)."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return UNSAFE_CHARS.sub("", text)


def scalar(value: Any) -> Any:
    """Numbers stay numbers; anything else becomes clean text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return clean(value)


def slug(value: Any, fallback: str) -> str:
    """Lowercase ASCII words joined by hyphens, e.g. `Mobil Pusling 1` -> `mobil-pusling-1`."""
    return "-".join(fold(clean(value)).split()) or fallback


def parse_time(value: Any, zone: ZoneInfo) -> dt.datetime:
    """An ISO 8601 time as an aware datetime in `zone` (a time without offset is taken as local)."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        msg = _("not a valid time: {value} (use ISO 8601, e.g. 2026-11-30T08:05:00+07:00)").format(
            value=repr(value)
        )
        raise ValueError(msg) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def plan_zone(plan: Mapping[str, Any]) -> ZoneInfo:
    """The plan's zone: its `timezone`, else the zone its first time's UTC offset names."""
    if plan.get("timezone"):
        return zone_of(str(plan["timezone"]))
    for route in routes(plan):
        try:
            offset = dt.datetime.fromisoformat(str(route.get("start"))).utcoffset()
        except ValueError:
            continue
        if offset is not None and offset % dt.timedelta(hours=1) == dt.timedelta(0):
            return _fixed_zone(offset)
    return zone_of("UTC")


def _fixed_zone(offset: dt.timedelta) -> ZoneInfo:
    # IANA's fixed-offset zones count the other way round: Etc/GMT-7 is UTC+07:00.
    hours = int(offset.total_seconds()) // 3600
    return zone_of(f"Etc/GMT{-hours:+d}" if hours else "UTC")


def parse_date(value: Any) -> dt.date:
    """An ISO 8601 date (`2026-11-30`)."""
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        msg = _("not a valid date: {value} (use YYYY-MM-DD)").format(value=repr(value))
        raise ValueError(msg) from None


def routes(plan: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    """The plan's routes (none when absent)."""
    found: Sequence[Mapping[str, Any]] = plan.get("routes") or ()
    return found


def unserved(plan: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    """The visits the plan could not serve (none when absent)."""
    found: Sequence[Mapping[str, Any]] = plan.get("unserved") or ()
    return found


def visits(route: Mapping[str, Any]) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """A route's visits with their order, counted from 1."""
    yield from enumerate(route.get("visits") or (), start=1)


def has_point(item: Mapping[str, Any]) -> bool:
    """Whether the item carries a usable latitude and longitude."""
    return all(isinstance(item.get(key), int | float) for key in ("lat", "lon"))


def route_places(route: Mapping[str, Any], zone: ZoneInfo) -> list[Place]:
    """The places a route passes: depot, visits in order, depot."""
    depot = route.get("depot") or {}
    start, end = parse_time(route["start"], zone), parse_time(route["end"], zone)
    depot_name = clean(depot.get("name")) or "Depot"
    stops = [
        Place(
            clean(visit.get("stop_name")),
            float(visit["lat"]),
            float(visit["lon"]),
            parse_time(visit["arrival"], zone),
            parse_time(visit["departure"], zone),
            clean(visit.get("village")),
        )
        for _index, visit in visits(route)
    ]
    lat, lon = float(depot["lat"]), float(depot["lon"])
    return [
        Place(depot_name, lat, lon, start, start),
        *stops,
        Place(depot_name, lat, lon, end, end),
    ]


def visit_identity(
    route: Mapping[str, Any], order: int, visit: Mapping[str, Any]
) -> tuple[dt.date, dict[str, Any]]:
    """The route's day, and what names a visit in every export: vehicle, order, stop, village."""
    day = parse_date(route.get("date") or route["start"])
    return day, {
        "hari": day_name(day),
        "vehicle": clean(route.get("vehicle")),
        "order": order,
        "stop_id": scalar(visit.get("stop_id")),
        "stop_name": clean(visit.get("stop_name")),
        "village_code": clean(visit.get("village_code")),
        "village": clean(visit.get("village")),
    }
