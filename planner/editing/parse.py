"""The texts typed into the stop and vehicle forms, read and written back: times, days, numbers.

Each parser returns the value or raises ValueError with a message (in the planner's language) that
names the problem; each formatter writes the text its parser reads back.
"""

import math
import re
from collections.abc import Iterable, Sequence

from planner.core import (
    DAY_NAMES,
    ENGLISH_DAY_NAMES,
    WEEKDAYS,
    _,
    minutes_of,
    parse_hhmm,
    weekday_name,
)

DAY_ALIASES = {
    **{key: key for key in WEEKDAYS},
    **{name.lower(): key for key, name in DAY_NAMES.items()},
    **{name.lower()[:3]: key for key, name in DAY_NAMES.items()},
    **{name.lower(): key for key, name in ENGLISH_DAY_NAMES.items()},
    "jum'at": "fri",
    "ahad": "sun",
}

MIN_SPEED_KMH, MAX_SPEED_KMH = 5.0, 100.0

_RANGE_SEPARATOR = re.compile(r"\s*(?:-|–|—|s/d|sampai)\s*")
_DAY_SEPARATOR = re.compile(r"[\s,+/&]+")


def parse_range(text: str) -> tuple[str, str]:
    """'07:30-12:00' (also '07.30 – 12.00', '07:30 s/d 12:00') as ('07:30', '12:00')."""
    if not text.strip():
        msg = _("No time: write start-end, e.g. 12:00-13:00.")
        raise ValueError(msg)
    parts = _RANGE_SEPARATOR.split(text.strip())
    if len(parts) != 2 or not all(parts):
        msg = _("'{text}' is not a time range; write start-end, e.g. 07:30-12:00.").format(
            text=text.strip()
        )
        raise ValueError(msg)
    start, end = parse_hhmm(parts[0]), parse_hhmm(parts[1])
    if minutes_of(end) <= minutes_of(start):
        msg = _("The end time {end} must be after the start time {start}.").format(
            end=end, start=start
        )
        raise ValueError(msg)
    return start, end


def parse_windows(text: str) -> list[list[str]]:
    """'07:30-12:00, 13:00-15:00' as [['07:30', '12:00'], ['13:00', '15:00']]; '' is closed."""
    windows = sorted(parse_range(piece) for piece in re.split(r"[,;]", text) if piece.strip())
    for first, second in zip(windows, windows[1:], strict=False):
        if minutes_of(second[0]) < minutes_of(first[1]):
            msg = _("The ranges {first} and {second} overlap.").format(
                first=f"{first[0]}-{first[1]}", second=f"{second[0]}-{second[1]}"
            )
            raise ValueError(msg)
    return [list(window) for window in windows]


def format_windows(windows: Iterable[Sequence[str]]) -> str:
    """The text form of windows, as parse_windows reads it."""
    return ", ".join(f"{start}-{end}" for start, end in windows)


def parse_shift(text: str) -> list[str] | None:
    """'07:30-15:30' as ['07:30', '15:30']; '' is a day off (None)."""
    windows = parse_windows(text)
    if len(windows) > 1:
        msg = _("One shift per day: write one range, e.g. 07:30-15:30.")
        raise ValueError(msg)
    return windows[0] if windows else None


def parse_day(word: str) -> str:
    """'Senin', 'sen', 'Monday' or 'mon' as 'mon'."""
    key = DAY_ALIASES.get(word.strip().lower())
    if key is None:
        msg = _("'{word}' is not a day name ({days}).").format(
            word=word.strip(), days=", ".join(weekday_name(d).lower() for d in WEEKDAYS)
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
        first, _dash, last = word.partition("-")
        start = WEEKDAYS.index(parse_day(first))
        end = WEEKDAYS.index(parse_day(last)) if last else start
        if end < start:
            msg = _(
                "The day range '{word}' is backwards; write it from the start of the week, "
                "e.g. monday-thursday."
            ).format(word=word)
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
            msg = _("The pattern '{pattern}' names the same day twice.").format(
                pattern=chunk.strip()
            )
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
        msg = _("'{text}' is not a number.").format(text=text.strip())
        raise ValueError(msg)
    return value


def parse_whole(text: str, low: int, high: int) -> int:
    """A whole number between low and high."""
    cleaned = text.strip()
    if not re.fullmatch(r"[+-]?\d+", cleaned):
        msg = (
            _("'{text}' is not a whole number.").format(text=cleaned) if cleaned else _("Required.")
        )
        raise ValueError(msg)
    value = int(cleaned)
    if not low <= value <= high:
        msg = _("Enter a number between {low} and {high}.").format(low=low, high=high)
        raise ValueError(msg)
    return value


def parse_optional_whole(text: str, low: int, high: int) -> int | None:
    """A whole number between low and high, or None when left empty."""
    return parse_whole(text, low, high) if text.strip() else None


def parse_coordinate(text: str, label: str, limit: float) -> float:
    """A latitude (limit 90) or longitude (limit 180) in decimal degrees; `label` names it."""
    if not text.strip():
        msg = _("{label} is required: type the number or click the map.").format(label=label)
        raise ValueError(msg)
    value = parse_decimal(text)
    if not -limit <= value <= limit:
        msg = _("{label} must be between -{limit:g} and {limit:g}.").format(
            label=label, limit=limit
        )
        raise ValueError(msg)
    return value


def parse_speed(text: str) -> float:
    """Average speed in km/h (decimal comma accepted)."""
    speed = parse_decimal(text) if text.strip() else 0.0
    if not MIN_SPEED_KMH <= speed <= MAX_SPEED_KMH:
        msg = _("The average speed must be between {low:g} and {high:g} km/h.").format(
            low=MIN_SPEED_KMH, high=MAX_SPEED_KMH
        )
        raise ValueError(msg)
    return speed
