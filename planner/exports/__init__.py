"""Exports of a route plan: CSV, XLSX, GPX, iCalendar and GeoJSON."""

from planner.exports.common import HARI, TIMEZONE_NAME, WIB, clean, hari, hhmm, parse_time, slug
from planner.exports.plan import (
    EXPORT_FORMATS,
    export_plan,
    plan_csv,
    plan_geojson,
    plan_gpx,
    plan_ics,
    plan_xlsx,
    safe_filename,
)
from planner.exports.tabular import FORMULA_PREFIXES, write_sheet

__all__ = [
    "EXPORT_FORMATS",
    "FORMULA_PREFIXES",
    "HARI",
    "TIMEZONE_NAME",
    "WIB",
    "clean",
    "export_plan",
    "hari",
    "hhmm",
    "parse_time",
    "plan_csv",
    "plan_geojson",
    "plan_gpx",
    "plan_ics",
    "plan_xlsx",
    "safe_filename",
    "slug",
    "write_sheet",
]
