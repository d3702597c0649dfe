"""What a coordinator types into the stop and vehicle forms: parsed, checked and explained.

Every check returns the parsed values or, per form field, one message (planner's language) that
names the problem. Limits are shared with the stop importer (stops_csv.py). The text parsers
live in parse.py (times and days from planner.core's vocabulary) and the form dataclasses in
forms.py; the names callers use are re-exported here.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from planner.core import UNSTORABLE_TEXT, WEEKDAYS, _, minutes_of, unstorable, weekday_name
from planner.editing.forms import (
    BreakEntry,
    Checked,
    FieldProblems,
    StopEntry,
    StopValues,
    VehicleEntry,
    VehicleValues,
)
from planner.editing.parse import (
    format_day_patterns,
    parse_coordinate,
    parse_day_patterns,
    parse_optional_whole,
    parse_range,
    parse_shift,
    parse_speed,
    parse_weekdays,
    parse_whole,
    parse_windows,
)
from planner.editing.shapes import VillageShapes
from planner.editing.stops_csv import (
    MAX_NAME_LENGTH,
    MAX_SERVICE_MINUTES,
    MIN_SERVICE_MINUTES,
    normalise_kind,
)
from planner.store import STOP_KINDS, VEHICLE_KINDS

MAX_VEHICLE_NAME_LENGTH = 120
MAX_NOTES_LENGTH = 2000
MAX_VISITS_PER_ROTATION = 28  # every day of a four-week rotation
MAX_CRATES = 50
MAX_STOPS_PER_DAY = 50


def _check_windows(
    texts: Mapping[str, str], problems: FieldProblems
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
            "windows",
            _("This point is closed every day: enter opening hours for at least one day."),
        )
    return windows


def _check_service_fits(
    minutes: int, windows: Mapping[str, list[list[str]]], problems: FieldProblems
) -> None:
    lengths = [minutes_of(end) - minutes_of(start) for w in windows.values() for start, end in w]
    if lengths and max(lengths) < minutes:
        problems.add(
            "service_minutes",
            _(
                "A service of {minutes} min fits in none of the time windows "
                "(the longest is {longest} min)."
            ).format(minutes=minutes, longest=max(lengths)),
        )


def _check_patterns(
    patterns: list[list[str]], windows: Mapping[str, list[list[str]]], problems: FieldProblems
) -> None:
    for pattern in patterns:
        closed = [day for day in pattern if day not in windows]
        if closed:
            problems.add(
                "day_patterns",
                _("The pattern {pattern} uses {day}, but this point is closed on that day.").format(
                    pattern=format_day_patterns([pattern]), day=weekday_name(closed[0])
                ),
            )


def _check_stop_name(
    name: str, code: str, shapes: VillageShapes, others: Iterable[tuple[str, str]], p: FieldProblems
) -> None:
    if not name:
        p.add("name", _("The service point's name is required."))
    elif unstorable(name):
        p.add("name", _(UNSTORABLE_TEXT))
    elif len(name) > MAX_NAME_LENGTH:
        p.add("name", _("A name is at most {count} characters.").format(count=MAX_NAME_LENGTH))
    elif code in shapes.names and (code, name.casefold()) in {(c, n.casefold()) for c, n in others}:
        msg = _("There is already a point named '{name}' in {village}.")
        p.add("name", msg.format(name=name, village=shapes.names[code]))


def check_stop(
    entry: StopEntry, shapes: VillageShapes, others: Iterable[tuple[str, str]]
) -> Checked[StopValues]:
    """Parse and check a stop form; `others` are (village code, name) of every other stop."""
    p = FieldProblems()
    name = " ".join(entry.name.split())
    _check_stop_name(name, entry.village, shapes, others, p)
    if entry.village not in shapes.names:
        p.add("village", _("Choose the village this point is in."))
    kind = normalise_kind(entry.kind)
    if kind is None:
        p.add("kind", _("Choose one of the kinds: {kinds}.").format(kinds=", ".join(STOP_KINDS)))
    lat = p.run("lat", partial(parse_coordinate, entry.lat, _("Latitude"), 90.0))
    lon = p.run("lon", partial(parse_coordinate, entry.lon, _("Longitude"), 180.0))
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
        p.add("vehicle_kinds", _("Choose at least one kind of vehicle that can reach this point."))
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
        p.add("notes", _("Notes are at most {count} characters.").format(count=MAX_NOTES_LENGTH))
    elif unstorable(entry.notes):
        p.add("notes", _(UNSTORABLE_TEXT))
    if p.found:
        return Checked(None, p.found)
    assert kind is not None and lat is not None and lon is not None and minutes is not None
    assert windows is not None and patterns is not None and crates is not None
    values = StopValues(
        name, entry.village, kind, lat, lon, minutes, windows, kinds, visits, patterns, crates,
        entry.notes.strip(), entry.approximate, entry.active,
    )  # fmt: skip
    return Checked(values, {})


def _break_conflict(
    rule: Mapping[str, Any], shifts: Mapping[str, list[str]], kept: Iterable[Mapping[str, Any]]
) -> str | None:
    start, end = minutes_of(rule["start"]), minutes_of(rule["end"])
    for day in rule["weekdays"]:
        shift = shifts.get(day)
        if shift and not minutes_of(shift[0]) <= start < end <= minutes_of(shift[1]):
            return _("The break {times} is outside the {day} shift ({shift}).").format(
                times=f"{rule['start']}-{rule['end']}",
                day=weekday_name(day),
                shift=f"{shift[0]}-{shift[1]}",
            )
    for other in kept:
        shared = [d for d in rule["weekdays"] if d in other["weekdays"]]
        if shared and start < minutes_of(other["end"]) and minutes_of(other["start"]) < end:
            return _("Overlaps '{name}' on {day}.").format(
                name=other["name"], day=weekday_name(shared[0])
            )
    return None


def _check_breaks(
    rows: Sequence[BreakEntry], shifts: Mapping[str, list[str]], p: FieldProblems
) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        if row.is_blank():
            continue
        key = f"breaks-{index}-"
        name = " ".join(row.name.split())
        if not name:
            p.add(key + "name", _("Name this break, e.g. Lunch break."))
        elif unstorable(name):
            p.add(key + "name", _(UNSTORABLE_TEXT))
        days = p.run(key + "weekdays", partial(parse_weekdays, row.weekdays))
        if days == []:
            p.add(key + "weekdays", _("Write the days it applies, e.g. monday-thursday, saturday."))
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


def check_vehicle(entry: VehicleEntry, taken_names: Collection[str]) -> Checked[VehicleValues]:
    """Parse and check a vehicle form; `taken_names` are the other vehicles' names."""
    p = FieldProblems()
    name = " ".join(entry.name.split())
    if not name:
        p.add("name", _("The vehicle's name is required."))
    elif unstorable(name):
        p.add("name", _(UNSTORABLE_TEXT))
    elif len(name) > MAX_VEHICLE_NAME_LENGTH:
        msg = _("A name is at most {count} characters.")
        p.add("name", msg.format(count=MAX_VEHICLE_NAME_LENGTH))
    elif name.casefold() in {n.casefold() for n in taken_names}:
        p.add("name", _("There is already a vehicle named '{name}'.").format(name=name))
    if entry.kind not in VEHICLE_KINDS:
        msg = _("Choose the kind of vehicle: {kinds}.")
        p.add("kind", msg.format(kinds=", ".join(VEHICLE_KINDS)))
    shifts: dict[str, list[str]] = {}
    for day in WEEKDAYS:
        shift = p.run(f"shifts-{day}", partial(parse_shift, entry.shifts.get(day, "")))
        if shift:
            shifts[day] = shift
    if not shifts and not p.any_under("shifts-"):
        msg = _("This vehicle never works: enter a shift for at least one day.")
        p.add("shifts", msg)
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
