"""Exports of a route plan: CSV, XLSX, GPX, iCalendar and GeoJSON."""

from planner.exports.common import clean, parse_time, plan_zone, slug
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
    "clean",
    "export_plan",
    "parse_time",
    "plan_csv",
    "plan_geojson",
    "plan_gpx",
    "plan_ics",
    "plan_xlsx",
    "plan_zone",
    "safe_filename",
    "slug",
    "write_sheet",
]
