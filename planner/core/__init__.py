"""Shared vocabulary of every room: domain errors, geometry, names, tables and time."""

from geodata import WEEKDAYS
from planner.core.errors import ImportProblem, ImportRejectedError, KelilingError, NotFoundError
from planner.core.geo import EARTH_RADIUS_M, haversine_m
from planner.core.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    _,
    current_language,
    language,
    ngettext,
    set_language,
)
from planner.core.names import UNSTORABLE_TEXT, VillageMatcher, code_key, fold, unstorable
from planner.core.problem_log import ProblemLog
from planner.core.tabular import Table, TableReader, open_table, read_rows, read_table, write_csv
from planner.core.time import (
    DAY_NAMES,
    ENGLISH_DAY_NAMES,
    day_name,
    format_hhmm,
    minutes_of,
    next_monday,
    parse_hhmm,
    weekday_key,
    weekday_name,
    zone_abbreviation,
    zone_of,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "N_",
    "_",
    "current_language",
    "language",
    "ngettext",
    "set_language",
    "DAY_NAMES",
    "ENGLISH_DAY_NAMES",
    "WEEKDAYS",
    "day_name",
    "format_hhmm",
    "minutes_of",
    "next_monday",
    "parse_hhmm",
    "weekday_key",
    "weekday_name",
    "zone_abbreviation",
    "zone_of",
    "EARTH_RADIUS_M",
    "UNSTORABLE_TEXT",
    "ImportProblem",
    "ImportRejectedError",
    "KelilingError",
    "NotFoundError",
    "ProblemLog",
    "Table",
    "TableReader",
    "VillageMatcher",
    "code_key",
    "fold",
    "haversine_m",
    "unstorable",
    "open_table",
    "read_rows",
    "read_table",
    "write_csv",
]
