"""The time vocabulary, defined once: weekday keys, day names, hh:mm, the region's zone.

Weekday keys ("mon".."sun") are the region pack's own (geodata), so a pack, the database and the
planner share one spelling. The time zone always comes from the region (`Region.timezone`, read
from the pack); nothing here assumes WIB.
"""

import datetime as dt
import re
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from geodata import WEEKDAYS
from planner.core.errors import KelilingError
from planner.core.i18n import _, current_language

DAY_NAMES: dict[str, str] = dict(
    zip(WEEKDAYS, ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"), strict=True)
)
ENGLISH_DAY_NAMES: dict[str, str] = dict(
    zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
# Indonesia's three zones by their everyday names; any other zone shows its UTC offset.
_ZONE_ABBREVIATIONS = {7: "WIB", 8: "WITA", 9: "WIT"}
_HHMM = re.compile(r"(\d{1,2})[:.](\d{2})")


def weekday_key(day: dt.date) -> str:
    """'mon'..'sun' for a date."""
    return WEEKDAYS[day.weekday()]


def weekday_name(key: str) -> str:
    """The name of weekday `key` ('mon'..'sun') in the planner's language: 'Senin', 'Monday'."""
    names = ENGLISH_DAY_NAMES if current_language() == "en" else DAY_NAMES
    return names[key]


def day_name(day: dt.date) -> str:
    """The weekday name of a date in the planner's language, e.g. 'Senin' ('Monday' in English)."""
    return weekday_name(weekday_key(day))


def parse_hhmm(text: str) -> str:
    """'7:30' or '07.30' as '07:30'; ValueError with a message (planner's language) otherwise."""
    match = _HHMM.fullmatch(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        msg = _("'{text}' is not a valid time; write HH:MM, e.g. 07:30.").format(text=text.strip())
        raise ValueError(msg)
    return f"{int(match[1]):02d}:{match[2]}"


def format_hhmm(moment: dt.datetime | dt.time) -> str:
    """'08:05'."""
    return moment.strftime("%H:%M")


def minutes_of(hhmm: str) -> int:
    """'07:30' as minutes since midnight."""
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


@cache
def zone_of(name: str) -> ZoneInfo:
    """The region's zone from its IANA name (`Region.timezone`), e.g. 'Asia/Makassar'."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        msg = _(
            "The region's time zone '{name}' is unknown; write an IANA name, e.g. Asia/Jayapura."
        ).format(name=name)
        raise KelilingError(msg) from None


def zone_abbreviation(zone: ZoneInfo, on: dt.date | None = None) -> str:
    """'WIB', 'WITA' or 'WIT' for Indonesia's zones; 'UTC+hh:mm' for any other."""
    moment = dt.datetime.combine(on or dt.date(2026, 1, 1), dt.time(12), tzinfo=zone)
    offset = moment.utcoffset() or dt.timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest == 0 and hours in _ZONE_ABBREVIATIONS:
        return _ZONE_ABBREVIATIONS[hours]
    sign = "+" if offset >= dt.timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def next_monday(zone: ZoneInfo, today: dt.date | None = None) -> dt.date:
    """The Monday after today in the region's zone (a week ahead when today is a Monday)."""
    today = today or dt.datetime.now(zone).date()
    return today + dt.timedelta(days=7 - today.weekday())
