"""A route plan as a CSV table or an XLSX workbook (route, summary, unserved visits)."""

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from planner.core import N_, _, format_hhmm, write_csv
from planner.exports.common import (
    STATUS_SCHEDULED,
    STATUS_UNSERVED,
    clean,
    parse_time,
    plan_zone,
    routes,
    scalar,
    unserved,
    visit_identity,
    visits,
)

ROUTE_COLUMNS = (
    "date",
    "hari",
    "vehicle",
    "order",
    "stop_id",
    "stop_name",
    "village_code",
    "village",
    "lat",
    "lon",
    "arrival",
    "start",
    "departure",
    "distance_m",
    "topics",
    "notes",
    "status",
    "reason",
)
UNSERVED_COLUMNS = ("stop_id", "stop_name", "village_code", "village", "reason")
ROUTES_TITLE, SUMMARY_TITLE, UNSERVED_TITLE = N_("Routes"), N_("Summary"), N_("Not served")
PLAN_LABELS = (
    ("id", N_("Plan number")),
    ("region", N_("Region")),
    ("status", N_("Status")),
    ("start", N_("Start date")),
    ("weeks", N_("Number of weeks")),
    ("provider_label", N_("Travel time source")),
)
METRIC_LABELS = {
    "total_distance_km": N_("Total distance (km)"),
    "driving_minutes": N_("Driving time (minutes)"),
    "visits_planned": N_("Visits scheduled"),
    "visits_required": N_("Visits needed"),
    "visits_unserved": UNSERVED_TITLE,
    "routes": ROUTES_TITLE,
    "expected_attendance_served": N_("Expected visitors served"),
    "solve_seconds": N_("Solving time (seconds)"),
    "objective": N_("Objective value"),
}
if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

ITEM, VALUE = N_("Item"), N_("Value")
TOPIC_SEPARATOR = ", "
# A text cell starting with one of these would become a formula once edited in a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@")
MIN_WIDTH, MAX_WIDTH, WIDTH_PADDING = 6, 50, 2


def _visit_row(
    route: Mapping[str, Any], order: int, visit: Mapping[str, Any], zone: ZoneInfo
) -> dict[str, Any]:
    day, identity = visit_identity(route, order, visit)
    return {
        "date": day,
        **identity,
        "lat": scalar(visit.get("lat")),
        "lon": scalar(visit.get("lon")),
        "arrival": format_hhmm(parse_time(visit["arrival"], zone)),
        "start": format_hhmm(parse_time(visit.get("start") or visit["arrival"], zone)),
        "departure": format_hhmm(parse_time(visit["departure"], zone)),
        "distance_m": scalar(visit.get("distance_m")),
        "topics": TOPIC_SEPARATOR.join(clean(topic) for topic in visit.get("topics") or ()),
        "notes": clean(visit.get("notes")),
        "status": STATUS_SCHEDULED,
        "reason": "",
    }


def _unserved_row(item: Mapping[str, Any]) -> dict[str, Any]:
    row = {column: clean(item.get(column)) for column in ROUTE_COLUMNS}
    row.update(
        stop_id=scalar(item.get("stop_id")),
        lat=scalar(item.get("lat")),
        lon=scalar(item.get("lon")),
        status=STATUS_UNSERVED,
    )
    return row


def plan_rows(plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per visit in route order, then one per unserved visit, keyed by ROUTE_COLUMNS."""
    zone = plan_zone(plan)
    rows = [
        _visit_row(route, order, visit, zone)
        for route in routes(plan)
        for order, visit in visits(route)
    ]
    return rows + [_unserved_row(item) for item in unserved(plan)]


def plan_csv(plan: Mapping[str, Any]) -> bytes:
    """The plan as CSV: one row per visit, then the unserved visits with their reason."""
    return write_csv(plan_rows(plan), ROUTE_COLUMNS).encode("utf-8")


def _write_cell(sheet: "Worksheet", row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        # Text stays text: never a formula ("=...") or an error value ("#N/A").
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_PREFIXES)


def _display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return max(len(line) for line in text.split("\n"))


def write_sheet(sheet: "Worksheet", header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a bold header row and text-safe cells to a worksheet."""
    from openpyxl.styles import Font  # noqa: PLC0415 - openpyxl (with numpy) only when a workbook is made
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    header_font = Font(bold=True)
    for column, name in enumerate(header, start=1):
        _write_cell(sheet, 1, column, name)
        sheet.cell(row=1, column=column).font = header_font
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            _write_cell(sheet, row_number, column, value)
    sheet.freeze_panes = "A2"
    for index, cells in enumerate(sheet.columns, start=1):
        longest = max(_display_width(cell.value) for cell in cells)
        width = min(max(longest + WIDTH_PADDING, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width


def _summary_rows(plan: Mapping[str, Any]) -> list[tuple[str, Any]]:
    rows = [(_(label), scalar(plan.get(key))) for key, label in PLAN_LABELS]
    metrics: Mapping[str, Any] = plan.get("metrics") or {}
    rows += [
        (_(METRIC_LABELS[key]) if key in METRIC_LABELS else clean(key), scalar(value))
        for key, value in metrics.items()
    ]
    return rows


def plan_xlsx(plan: Mapping[str, Any]) -> bytes:
    """The plan as a workbook: sheets "Rute", "Ringkasan" and "Tidak terlayani"."""
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl (with numpy) only when a workbook is made

    book = Workbook()
    route_sheet = book.active
    assert route_sheet is not None  # a new workbook always has one sheet
    route_sheet.title = _(ROUTES_TITLE)
    scheduled = [row for row in plan_rows(plan) if row["status"] == STATUS_SCHEDULED]
    rows = [[row[column] for column in ROUTE_COLUMNS] for row in scheduled]
    write_sheet(route_sheet, ROUTE_COLUMNS, rows)
    summary = book.create_sheet(_(SUMMARY_TITLE))
    write_sheet(summary, (_(ITEM), _(VALUE)), _summary_rows(plan))
    missed = [
        [_unserved_row(item)[column] for column in UNSERVED_COLUMNS] for item in unserved(plan)
    ]
    write_sheet(book.create_sheet(_(UNSERVED_TITLE)), UNSERVED_COLUMNS, missed)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
