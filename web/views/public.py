"""The residents' schedule (`/jadwal`): no login, light pages, the published plan only."""

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import segno
from babel.lists import format_list
from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from planner.core import format_hhmm
from planner.exports import slug
from planner.schedule import (
    Schedule,
    ScheduledStop,
    by_time,
    find_places,
    load_schedule,
    nearest_stops,
    place_name,
    social_text,
    stop_ics,
    village_overview,
)
from web.db import get_session
from web.errors import wants_json
from web.urls import external_url

bp = Blueprint("public", __name__, url_prefix="/jadwal")
# "Desa Sukamaju" / "Sukamaju village": the village with its kind, in the page's language.
bp.add_app_template_global(place_name)
WHATSAPP_SHARE = "https://wa.me/?text="
FACEBOOK_SHARE = "https://www.facebook.com/sharer/sharer.php?u="
OSM_URL = "https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=17/{lat:.6f}/{lon:.6f}"
MAX_QUERY_CHARS = 200
FAR_AWAY_M = 30_000  # beyond this the resident is probably outside the service area
A_MONDAY = dt.date(2024, 1, 1)


class NotOnSchedule(Exception):  # noqa: N818 - reads better at the raise site
    """An unknown village or stop: a 404 page in the public layout."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@bp.errorhandler(NotOnSchedule)
def not_found(error: NotOnSchedule) -> ResponseReturnValue:
    """The public 404 page (JSON for clients that ask for it)."""
    if wants_json():
        return {"error": {"status": 404, "message": error.message}}, 404
    return render_template("public/not_found.html", message=error.message), 404


@dataclass(frozen=True)
class WeeklyLine:
    """`Every Monday and Thursday, 08:05–08:50` in the reader's language."""

    days: str
    times: str


def now_local(schedule: Schedule) -> dt.datetime:
    """The current time in the region's zone, in which the schedule is given."""
    return dt.datetime.now(schedule.zone)


def weekly_lines(schedule: Schedule, stop: ScheduledStop) -> list[WeeklyLine]:
    """The stop's weekly slots grouped by time, weekday names in the reader's language."""
    locale = str(get_locale() or "id")
    lines = []
    for (start, end), weekdays in by_time(schedule.weekly_slots(stop) or ()).items():
        days = [format_date(A_MONDAY + dt.timedelta(days=d), "EEEE") for d in weekdays]
        times = f"{format_hhmm(start)}–{format_hhmm(end)}"
        lines.append(WeeklyLine(format_list(days, locale=locale), times))
    return lines


def distance_label(metres: float) -> str:
    """`350 m` below a kilometre, else `2,4 km`."""
    if metres < 1000:
        return f"{round(metres, -1):.0f} m"
    return f"{format_decimal(metres / 1000, format='#,##0.0')} km"


def poster_qr(text: str) -> Markup:
    """A QR code as inline SVG that scales to the poster (a viewBox, no fixed size)."""
    svg = segno.make(text, error="m").svg_inline(scale=1, omitsize=True, dark="#111827")
    return Markup(svg)  # noqa: S704 - segno's own markup, the data is encoded, not echoed


def map_url(stop: ScheduledStop) -> str:
    """The stop on openstreetmap.org (a link only: the pages load no map)."""
    return OSM_URL.format(lat=stop.lat, lon=stop.lon)


def _stop_or_404(schedule: Schedule, stop_id: int) -> ScheduledStop:
    stop = schedule.stop(stop_id)
    if stop is None:
        raise NotOnSchedule(_("This service point is not on the mobile library's schedule."))
    return stop


def _context(schedule: Schedule, **values: object) -> dict[str, object]:
    return {
        "schedule": schedule,
        "now": now_local(schedule),
        "weekly_lines": lambda stop: weekly_lines(schedule, stop),
        "map_url": map_url,
        **values,
    }


@bp.get("/")
def index() -> str:
    """Every village with its next visit, grouped by kecamatan, and the stop finder."""
    schedule = load_schedule(get_session())
    groups = village_overview(schedule, now_local(schedule))
    return render_template("public/index.html", **_context(schedule, groups=groups))


def _coordinate(name: str, limit: float) -> float | None:
    text = request.args.get(name, "").strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) <= limit else None


@bp.get("/terdekat")
def nearest() -> ResponseReturnValue:
    """Nearest stops to a point (`lat`, `lon`) or the places a typed name (`q`) matches."""
    schedule = load_schedule(get_session())
    query = request.args.get("q", "").strip()[:MAX_QUERY_CHARS]
    if "lat" in request.args or "lon" in request.args:
        lat, lon = _coordinate("lat", 90), _coordinate("lon", 180)
        if lat is None or lon is None:
            error = _("Latitude and longitude must be numbers, e.g. -7.37 and 108.54.")
            return render_template("public/nearest.html", **_context(schedule, error=error)), 400
        found = nearest_stops(schedule, lat, lon)
        return render_template(
            "public/nearest.html",
            **_context(schedule, point=(lat, lon), nearby=found, far_m=FAR_AWAY_M),
            distance_label=distance_label,
        )
    matches = find_places(schedule, query) if query else None
    return render_template(
        "public/nearest.html", **_context(schedule, query=query, matches=matches)
    )


@bp.get("/desa/<code>")
def village(code: str) -> str:
    """A village's stops and their upcoming visits."""
    schedule = load_schedule(get_session())
    found = schedule.village(code)
    if found is None:
        raise NotOnSchedule(_("This village is not in the mobile library's service area."))
    stops = schedule.stops_of(code)
    return render_template("public/village.html", **_context(schedule, village=found, stops=stops))


def _external(endpoint: str, **values: Any) -> str:
    return external_url(endpoint, **values)


@bp.get("/titik/<int:stop_id>")
def stop_page(stop_id: int) -> str:
    """One stop's timetable, calendar and poster links, and a ready social-media text."""
    schedule = load_schedule(get_session())
    stop = _stop_or_404(schedule, stop_id)
    link = _external("public.stop_page", stop_id=stop_id)
    text = social_text(schedule, stop, now_local(schedule), link)
    ics = _external("public.stop_calendar", stop_id=stop_id)
    return render_template(
        "public/stop.html",
        **_context(schedule, stop=stop),
        link=link,
        social=text,
        whatsapp_url=WHATSAPP_SHARE + quote(text, safe=""),
        facebook_url=FACEBOOK_SHARE + quote(link, safe=""),
        webcal_url=urlunsplit(("webcal", *urlsplit(ics)[1:])),
    )


@bp.get("/titik/<int:stop_id>.ics")
def stop_calendar(stop_id: int) -> Response:
    """The stop's published visits as iCalendar (weekly events when they repeat)."""
    schedule = load_schedule(get_session())
    stop = _stop_or_404(schedule, stop_id)
    link = _external("public.stop_page", stop_id=stop_id)
    name = f"jadwal-{slug(stop.name, 'titik')}-{stop.id}.ics"
    return Response(
        stop_ics(schedule, stop, link),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/titik/<int:stop_id>/poster")
def poster(stop_id: int) -> str:
    """A printable A4 poster with the days and times and the QR code of the stop's page."""
    schedule = load_schedule(get_session())
    stop = _stop_or_404(schedule, stop_id)
    link = _external("public.stop_page", stop_id=stop_id)
    return render_template(
        "public/poster.html", **_context(schedule, stop=stop), link=link, qr=poster_qr(link)
    )
