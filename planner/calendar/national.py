"""Indonesia's national holidays and cuti bersama, from the maintained `holidays` package.

The package keeps the government's decrees: public holidays (category "public") and the joint
leave days, cuti bersama (category "government"). Islamic holidays of years not yet decreed are
estimates and say so in their name ("perkiraan"); cuti bersama exist only for decreed years.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Literal

import holidays
from holidays.constants import GOVERNMENT, PUBLIC

COUNTRY = "ID"
DayOffKind = Literal["holiday", "cuti_bersama", "closed"]
_CATEGORIES: dict[DayOffKind, str] = {"holiday": PUBLIC, "cuti_bersama": GOVERNMENT}
# The package's name for each UI language; anything else reads in Bahasa Indonesia.
_LANGUAGES = {"id": "id", "en": "en_US"}


@dataclass(frozen=True)
class DayOff:
    """A day without service: a national holiday, a cuti bersama or the library's closed day."""

    date: dt.date
    name: str
    kind: DayOffKind
    closed_day_id: int | None = None


@cache
def _year(year: int, kind: DayOffKind, language: str) -> tuple[tuple[dt.date, str], ...]:
    found = holidays.country_holidays(
        COUNTRY, years=year, categories=(_CATEGORIES[kind],), language=language
    )
    return tuple(sorted(found.items()))


def national_days_off(start: dt.date, end: dt.date, language: str = "id") -> list[DayOff]:
    """Holidays and cuti bersama from `start` to `end` (both included), by date."""
    package_language = _LANGUAGES.get(language, "id")
    found = [
        DayOff(day, name, kind)
        for year in range(start.year, end.year + 1)
        for kind in _CATEGORIES
        for day, name in _year(year, kind, package_language)
        if start <= day <= end
    ]
    return sorted(found, key=lambda d: (d.date, d.kind))
