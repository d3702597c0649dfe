"""Exports of a route plan, from its JSON form: CSV, XLSX, GPX, iCalendar and GeoJSON."""

from collections.abc import Callable, Mapping
from typing import Any

from planner.core import _
from planner.exports.common import parse_date, slug
from planner.exports.geojson import plan_geojson
from planner.exports.gpx import plan_gpx
from planner.exports.ics import plan_ics
from planner.exports.tabular import plan_csv, plan_xlsx

FILENAME_PREFIX = "rencana"

_EXPORTERS: dict[str, Callable[[Mapping[str, Any]], bytes]] = {
    "csv": plan_csv,
    "xlsx": plan_xlsx,
    "gpx": plan_gpx,
    "ics": plan_ics,
    "geojson": plan_geojson,
}
EXPORT_FORMATS = tuple(_EXPORTERS)  # ("csv", "xlsx", "gpx", "ics", "geojson")

__all__ = [
    "EXPORT_FORMATS",
    "export_plan",
    "plan_csv",
    "plan_geojson",
    "plan_gpx",
    "plan_ics",
    "plan_xlsx",
    "safe_filename",
]


def _check_format(fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        msg = _("unknown export format: {format} (choose one of: {formats})").format(
            format=repr(fmt), formats=", ".join(EXPORT_FORMATS)
        )
        raise ValueError(msg)


def export_plan(plan: Mapping[str, Any], fmt: str) -> bytes:
    """The plan in one of EXPORT_FORMATS, as bytes (UTF-8 for the text formats)."""
    _check_format(fmt)
    return _EXPORTERS[fmt](plan)


def safe_filename(plan: Mapping[str, Any], fmt: str) -> str:
    """A download name such as `rencana-12-2026-11-30.csv` (ASCII, no path separators)."""
    _check_format(fmt)
    parts = [FILENAME_PREFIX, slug(plan.get("id"), "")]
    if plan.get("start"):
        parts.append(parse_date(plan["start"]).isoformat())
    return "-".join(part for part in parts if part) + f".{fmt}"
