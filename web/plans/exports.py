"""Plan downloads: the CSV, XLSX, GPX, iCalendar and GeoJSON files of `keliling plan export`."""

from flask import Blueprint
from werkzeug.wrappers import Response

from planner.exports import EXPORT_FORMATS, export_plan, safe_filename
from planner.plans import plan_json
from web.auth import PLANNING_ROLES, roles_required
from web.db import get_session

bp = Blueprint("plan_exports", __name__, url_prefix="/rencana")

# Werkzeug adds "; charset=utf-8" to the text types.
MIME_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "gpx": "application/gpx+xml",
    "ics": "text/calendar",
    "geojson": "application/geo+json",
}
# What each download link says, in the order the plan page lists them.
FORMAT_NAMES = {
    "csv": "CSV",
    "xlsx": "XLSX (Excel)",
    "gpx": "GPX",
    "ics": "iCalendar (ICS)",
    "geojson": "GeoJSON",
}
FORMAT_RULE = f"any({', '.join(EXPORT_FORMATS)})"


@bp.get(f"/<int:plan_id>/ekspor.<{FORMAT_RULE}:fmt>")
@roles_required(*PLANNING_ROLES)
def download(plan_id: int, fmt: str) -> Response:
    """The plan as a file to save, named like `rencana-12-2026-11-30.xlsx`."""
    data = plan_json(get_session(), plan_id)
    disposition = f'attachment; filename="{safe_filename(data, fmt)}"'
    return Response(
        export_plan(data, fmt),
        mimetype=MIME_TYPES[fmt],
        headers={"Content-Disposition": disposition},
    )
