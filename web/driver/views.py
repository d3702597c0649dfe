"""The driver's route page, opened from a signed link without login; check-ins work offline too."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import quote

import folium
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlmodel import select

from planner.core import KelilingError
from planner.exports import WIB, hhmm, parse_time, plan_gpx, slug
from planner.plans import (
    ExpiredDriverLink,
    InvalidDriverLink,
    checkins_by_visit,
    plan_json,
    read_driver_token,
    record_checkin,
)
from planner.store import CHECKIN_STATUSES, CheckIn, Depot, Plan, Route, Visit
from web.db import get_session
from web.errors import wants_json
from web.i18n import weekday_date
from web.ui.maps import STOP_COLOUR, SafeLabel, add_depot, base_map, render_parts

bp = Blueprint("driver", __name__, url_prefix="/sopir")
GOOGLE_DIRECTIONS = "https://www.google.com/maps/dir/?api=1"
WHATSAPP_SHARE = "https://wa.me/?text="
MAX_WAYPOINTS = 3  # Google Maps in a phone's browser opens at most 3 waypoints per link


class DriverLinkRefused(Exception):  # noqa: N818 - reads better at the raise site
    """The link cannot open a route (tampered, expired, replaced) or the stop is not on it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Point:
    """A place the driver passes: the depot or a stop."""

    label: str
    lat: float
    lon: float

    @property
    def coords(self) -> str:
        return f"{self.lat:.6f},{self.lon:.6f}"


@dataclass
class DriverRoute:
    """The published route a token opens; its JSON form is read only when a page needs it."""

    route: Route

    @cached_property
    def plan(self) -> dict[str, Any]:
        return plan_json(get_session(), self.route.plan_id)

    @cached_property
    def index(self) -> int:
        """The route's position in `plan["routes"]`."""
        return next(i for i, r in enumerate(self.plan["routes"]) if r["route_id"] == self.route.id)

    @property
    def data(self) -> dict[str, Any]:
        route: dict[str, Any] = self.plan["routes"][self.index]
        return route


def directions_url(
    origin: Point | None, destination: Point, waypoints: list[Point] | None = None
) -> str:
    """A Google Maps driving-directions link (no origin: from where the phone is)."""
    url = GOOGLE_DIRECTIONS + (f"&origin={origin.coords}" if origin else "")
    url += f"&destination={destination.coords}"
    if waypoints:
        url += "&waypoints=" + "%7C".join(p.coords for p in waypoints)
    return url + "&travelmode=driving"


def geo_url(point: Point) -> str:
    """A `geo:` link with a label, opened by OsmAnd, Organic Maps and most map apps."""
    return f"geo:{point.coords}?q={point.coords}({quote(point.label, safe='')})"


def route_legs(points: list[Point]) -> list[list[Point]]:
    """Split the route into links of at most MAX_WAYPOINTS stops between origin and destination.

    Consecutive legs share an endpoint: [d, 1, 2, 3, 4], [4, 5, 6, 7, 8], [8, d].
    """
    step = MAX_WAYPOINTS + 1
    return [points[i : i + step + 1] for i in range(0, len(points) - 1, step)]


def route_points(route: dict[str, Any]) -> list[Point]:
    """Depot, the stops in order, depot (just the stops when there is no depot)."""
    stops = [Point(f"{n}. {v['stop_name']}", v["lat"], v["lon"]) for n, v in _numbered(route)]
    depot = route.get("depot")
    if not depot:
        return stops
    home = Point(depot["name"], depot["lat"], depot["lon"])
    return [home, *stops, home]


def _numbered(route: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return list(enumerate(route["visits"], start=1))


def _refuse_token(token: str) -> int:
    today = dt.datetime.now(WIB).date()
    try:
        return read_driver_token(token, current_app.config["SECRET_KEY"], today)
    except InvalidDriverLink:
        msg = _("This route link is not valid. Check that the whole link was copied.")
        raise DriverLinkRefused(404, msg) from None
    except ExpiredDriverLink:
        msg = _("This route link has expired; ask the coordinator for a new link.")
        raise DriverLinkRefused(410, msg) from None


def load_route(token: str) -> DriverRoute:
    """The published route a token names, or DriverLinkRefused (404 or 410)."""
    route_id = _refuse_token(token)
    session = get_session()
    route = session.get(Route, route_id)
    plan = session.get(Plan, route.plan_id) if route is not None else None
    if route is None or plan is None or plan.status != "published":
        raise DriverLinkRefused(410, _("This route has been replaced; ask for a new link."))
    return DriverRoute(route)


@bp.errorhandler(DriverLinkRefused)
def refused(error: DriverLinkRefused) -> ResponseReturnValue:
    """A short page (or JSON for the page's script) saying why the link does not open."""
    if wants_json() or request.is_json:
        return {"error": {"status": error.status, "message": error.message}}, error.status
    return render_template("driver/refused.html", message=error.message), error.status


def status_labels() -> dict[str, str]:
    """The check-in statuses as the buttons name them."""
    return {"tiba": _("Arrived"), "selesai": _("Finished"), "dilewati": _("Skipped")}


def checkin_label(checkin: CheckIn) -> str:
    """`Tiba 08:07`, or `Dilewati 09:10: jalan ditutup`."""
    tapped = checkin.tapped_at or checkin.recorded_at
    if tapped.tzinfo is None:  # SQLite hands back naive UTC
        tapped = tapped.replace(tzinfo=dt.UTC)
    label = f"{status_labels()[checkin.status]} {hhmm(tapped.astimezone(WIB))}"
    return f"{label}: {checkin.note}" if checkin.note else label


def _stops(route: dict[str, Any], points: list[Point]) -> list[dict[str, Any]]:
    found = checkins_by_visit(get_session(), [v["visit_id"] for v in route["visits"]])
    first = 1 if route.get("depot") else 0  # where the stops start in `points`
    stops = []
    for n, visit in _numbered(route):
        at = first + n - 1
        here, before = points[at], (points[at - 1] if at > 0 else None)
        checkins = found.get(visit["visit_id"], {})
        stops.append(
            {
                **visit,
                "number": n,
                "arrive": hhmm(parse_time(visit["arrival"])),
                "leave": hhmm(parse_time(visit["departure"])),
                "nav_url": directions_url(before, here),
                "geo_url": geo_url(Point(visit["stop_name"], here.lat, here.lon)),
                "checkins": {
                    s: checkin_label(checkins[s]) for s in CHECKIN_STATUSES if s in checkins
                },
            }
        )
    return stops


def share_text(route: dict[str, Any], link: str) -> str:
    """The ready WhatsApp message: date, vehicle, number of stops and the link."""
    return _(
        "Mobile library route %(date)s, %(vehicle)s, %(count)s stops: %(link)s",
        date=weekday_date(route["date"]),
        vehicle=route["vehicle"],
        count=len(route["visits"]),
        link=link,
    )


@bp.get("/<token>")
def route_page(token: str) -> str:
    """Today's route: stops in order with times, navigation, GPX, sharing and check-ins."""
    driver = load_route(token)
    route = driver.data
    points = route_points(route)
    link = url_for("driver.route_page", token=token, _external=True)
    text = share_text(route, link)
    return render_template(
        "driver/route.html",
        token=token,
        route=route,
        day=weekday_date(route["date"]),
        start=hhmm(parse_time(route["start"])),
        end=hhmm(parse_time(route["end"])),
        distance_km=format_decimal(route["distance_m"] / 1000, format="#,##0.0"),
        breaks=[
            (b["name"], hhmm(parse_time(b["start"])), hhmm(parse_time(b["end"])))
            for b in route["breaks"]
        ],
        stops=_stops(route, points),
        legs=[
            (leg[0], leg[-1], directions_url(leg[0], leg[-1], leg[1:-1]))
            for leg in route_legs(points)
        ],
        share_url=WHATSAPP_SHARE + quote(text, safe=""),
        share_text=text,
        link=link,
        labels=status_labels(),
    )


def _visit_of(driver: DriverRoute, raw_id: object) -> Visit:
    visit_id = str(raw_id or "")
    visit = get_session().get(Visit, int(visit_id)) if visit_id.isdigit() else None
    if visit is None or visit.route_id != driver.route.id:
        raise DriverLinkRefused(404, _("This stop is not on this route."))
    return visit


def _tapped_at(raw: object) -> dt.datetime | None:
    if not raw:
        return None
    try:
        return parse_time(raw)
    except ValueError as error:
        raise KelilingError(str(error)) from None


@bp.post("/<token>/checkin")
def checkin(token: str) -> ResponseReturnValue:
    """Record tiba/selesai/dilewati; a form gets a redirect, the page's script gets JSON."""
    driver = load_route(token)
    payload = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(payload, Mapping):
        payload = {}
    visit = _visit_of(driver, payload.get("visit_id"))
    session = get_session()
    try:
        tapped = _tapped_at(payload.get("tapped_at"))
        found, created = record_checkin(
            session, visit, str(payload.get("status", "")), str(payload.get("note") or ""), tapped
        )
    except KelilingError as error:
        session.rollback()
        return _answer(token, visit, 400, str(error))
    session.commit()
    label = checkin_label(found)
    if created:
        message = _("Recorded: %(label)s.", label=label)
    else:
        message = _("Already recorded: %(label)s. The first tap is kept.", label=label)
    body = {"visit_id": visit.id, "status": found.status, "created": created, "label": label}
    return _answer(token, visit, 201 if created else 200, message, body)


def _answer(
    token: str, visit: Visit, status: int, message: str, body: dict[str, Any] | None = None
) -> ResponseReturnValue:
    if request.is_json or wants_json():
        if body is None:
            return {"error": {"status": status, "message": message}}, status
        return {**body, "message": message}, status
    flash(message, "info" if body is not None else "error")
    return redirect(url_for("driver.route_page", token=token, _anchor=f"stop-{visit.id}"))


@bp.get("/<token>/rute.gpx")
def gpx(token: str) -> Response:
    """The route as GPX for offline navigation apps."""
    driver = load_route(token)
    route = driver.data
    name = f"rute-{route['date']}-{slug(route['vehicle'], 'kendaraan')}.gpx"
    return Response(
        plan_gpx(driver.plan, driver.index),
        mimetype="application/gpx+xml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/<token>/peta")
def route_map(token: str) -> str:
    """A separate, heavier page with the route on a map."""
    driver = load_route(token)
    route = driver.data
    points = route_points(route)
    south_west = (min(p.lat for p in points), min(p.lon for p in points))
    north_east = (max(p.lat for p in points), max(p.lon for p in points))
    fmap = base_map(south_west, north_east)
    line = [(p.lat, p.lon) for p in points]
    folium.PolyLine(line, color=STOP_COLOUR, weight=4, opacity=0.7, class_name="route-line").add_to(
        fmap
    )
    for n, visit in _numbered(route):
        icon = folium.DivIcon(html=f'<span class="stop-number">{n}</span>', icon_size=(30, 30))
        marker = folium.Marker((visit["lat"], visit["lon"]), icon=icon)
        times = f"{hhmm(parse_time(visit['arrival']))}–{hhmm(parse_time(visit['departure']))} WIB"
        marker.add_child(
            SafeLabel([f"{n}. {visit['stop_name']}", visit["village"], times], popup=True)
        )
        marker.add_to(fmap)
    depot = get_session().exec(select(Depot)).first()
    if depot is not None:
        add_depot(fmap, depot, _("Approximate location"))
    return render_template("driver/map.html", token=token, route=route, map=render_parts(fmap))
