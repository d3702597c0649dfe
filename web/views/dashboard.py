"""The coordinator's dashboard: this week's routes, planned vs done, live check-ins."""

import datetime as dt
from typing import Any

from flask import Blueprint, jsonify, render_template
from flask_babel import format_time
from werkzeug.wrappers import Response

from planner.plans import Overview, week_overview
from web.auth import PLANNING_ROLES, roles_required
from web.db import get_session
from web.i18n import current_zone

bp = Blueprint("dashboard", __name__, url_prefix="/dasbor")


def _overview() -> Overview:
    return week_overview(get_session(), dt.datetime.now(current_zone()))


@bp.get("/")
@roles_required(*PLANNING_ROLES)
def index() -> str:
    """Routes by day and vehicle with their progress; what needs attention."""
    return render_template("dashboard/index.html", overview=_overview())


def status_data(overview: Overview) -> dict[str, Any]:
    """The numbers the page refreshes without reloading."""
    return {
        "totals": {"planned": overview.planned, "done": overview.done, "skipped": overview.skipped},
        "routes": {
            str(r.route_id): {
                "done": r.done,
                **{k: r.counts.get(k, 0) for k in ("tiba", "selesai", "dilewati")},
            }
            for r in overview.routes
        },
        "latest": [
            {
                "time": format_time(c.at, "HH:mm"),
                "status": c.status,
                "stop": c.stop,
                "vehicle": c.vehicle,
                "note": c.note,
            }
            for c in overview.latest
        ],
    }


@bp.get("/status.json")
@roles_required(*PLANNING_ROLES)
def status() -> Response:
    """Check-in counts and the latest check-ins, polled by the dashboard."""
    return jsonify(status_data(_overview()))
