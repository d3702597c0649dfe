"""A printable month timetable per vehicle (A4): dates, stops, villages and published times."""

import calendar
import datetime as dt

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from planner.reports import Month
from planner.schedule import month_timetable
from planner.store import Vehicle
from web.auth import PLANNING_ROLES, roles_required
from web.db import get_session
from web.i18n import current_zone, month_name

bp = Blueprint("timetables", __name__, url_prefix="/rencana")
MAX_ID = 2**31 - 1


def _month(today: dt.date) -> Month:
    text = request.args.get("bulan", "").strip()
    if not text:
        return Month.of(today)
    try:
        return Month.parse(text)
    except ValueError:
        message = _("“%(value)s” is not a month: use YYYY-MM, e.g. 2026-11.", value=text[:20])
        abort(400, description=message)


def _vehicle() -> int | None:
    text = request.args.get("kendaraan", "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_ID:
        abort(404)
    return int(text)


@bp.get("/jadwal-kendaraan")
@roles_required(*PLANNING_ROLES)
def month() -> str:
    """The month's timetable of every vehicle (or one: `kendaraan`), one A4 section each."""
    session = get_session()
    today = dt.datetime.now(current_zone()).date()
    chosen, vehicle_id = _month(today), _vehicle()
    if vehicle_id is not None and session.get(Vehicle, vehicle_id) is None:
        abort(404)
    first = chosen.first
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    timetable = month_timetable(session, first, last, today, vehicle_id)
    everyone = month_timetable(session, first, last, today) if vehicle_id else None
    previous, following = chosen.neighbours()
    return render_template(
        "plans/timetable.html",
        month=chosen,
        previous=previous,
        following=following,
        month_name=month_name,
        timetable=timetable,
        vehicles=(everyone or timetable).vehicles,
        vehicle_id=vehicle_id,
    )
