"""The driver's route page, opened from a signed link without login; check-ins work offline too.

A service worker (static/js/driver-sw.js, served at /sopir/sw.js so that its scope covers every
driver page) keeps the route page, its map, GPX and assets on the phone; taps made without
signal wait in the page's queue and are sent later, authorised by the link alone.
"""

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

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
from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _

from planner.core import KelilingError, NotFoundError, format_hhmm, zone_abbreviation
from planner.exports import parse_time, plan_gpx, slug
from planner.plans import (
    ExpiredDriverLink,
    InvalidDriverLink,
    OutsideRouteDayError,
    PlanView,
    RouteView,
    checkins_by_visit,
    load_route,
    plan_to_json,
    read_driver_token,
    record_checkin,
    visit_to_json,
)
from planner.store import CHECKIN_STATUSES, CheckIn, Plan, Route, Visit, region_depot
from web.auth import csrf
from web.db import get_session
from web.driver.navigation import Point, directions_url, geo_url, route_legs, route_points
from web.errors import wants_json
from web.i18n import current_zone, weekday_date
from web.ui.map_render import DivIcon, Marker, PolyLine
from web.ui.maps import STOP_COLOUR, SafeLabel, add_depot, base_map, render_parts
from web.urls import external_url

PREFIX = "/sopir"
bp = Blueprint("driver", __name__, url_prefix=PREFIX)
WHATSAPP_SHARE = "https://wa.me/?text="


class DriverLinkRefused(Exception):  # noqa: N818 - reads better at the raise site
    """The link cannot open a route (tampered, expired, replaced) or the stop is not on it.

    `reason` is a stable code for the page's script: a check-in refused with one is refused
    for good (sending it again changes nothing), so the phone may drop it from its queue.
    """

    def __init__(self, status: int, message: str, reason: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason


def _refuse_token(token: str, day: dt.date | None = None) -> int:
    today = day or dt.datetime.now(current_zone()).date()
    try:
        return read_driver_token(token, current_app.config["SECRET_KEY"], today)
    except InvalidDriverLink:
        msg = _("This route link is not valid. Check that the whole link was copied.")
        raise DriverLinkRefused(404, msg, "invalid_link") from None
    except ExpiredDriverLink:
        msg = _("This route link has expired; ask the coordinator for a new link.")
        raise DriverLinkRefused(410, msg, "link_expired") from None


def published_route(token: str) -> tuple[PlanView, RouteView]:
    """The published route a token names (only that route is read), or DriverLinkRefused."""
    route_id = _refuse_token(token)
    try:
        plan, route = load_route(get_session(), route_id)
    except NotFoundError:
        plan = None
    if plan is None or plan.status != "published":
        msg = _("This route has been replaced; ask for a new link.")
        raise DriverLinkRefused(410, msg, "route_replaced")
    return plan, route


def _refusal(status: int, message: str, reason: str) -> dict[str, Any]:
    return {"error": {"status": status, "message": message, "reason": reason, "final": True}}


@bp.errorhandler(DriverLinkRefused)
def refused(error: DriverLinkRefused) -> ResponseReturnValue:
    """A short page (or JSON for the page's script) saying why the link does not open."""
    if wants_json() or request.is_json:
        return _refusal(error.status, error.message, error.reason), error.status
    return render_template("driver/refused.html", message=error.message), error.status


@bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker keeping the driver's pages on the phone (its scope: all of /sopir/)."""
    response = current_app.send_static_file("js/driver-sw.js")
    response.headers["Service-Worker-Allowed"] = PREFIX + "/"
    response.cache_control.no_cache = True  # a new version reaches the phones at once
    return response


def status_labels() -> dict[str, str]:
    """The check-in statuses as the buttons name them."""
    return {"tiba": _("Arrived"), "selesai": _("Finished"), "dilewati": _("Skipped")}


def checkin_label(checkin: CheckIn) -> str:
    """`Tiba 08:07`, or `Dilewati 09:10: jalan ditutup`."""
    tapped = checkin.tapped_at or checkin.recorded_at
    if tapped.tzinfo is None:  # SQLite hands back naive UTC
        tapped = tapped.replace(tzinfo=dt.UTC)
    label = f"{status_labels()[checkin.status]} {format_hhmm(tapped.astimezone(current_zone()))}"
    return f"{label}: {checkin.note}" if checkin.note else label


def _stops(route: RouteView, points: list[Point]) -> list[dict[str, Any]]:
    found = checkins_by_visit(get_session(), [v.visit_id for v in route.visits])
    first = 1 if route.depot else 0  # where the stops start in `points`
    stops = []
    for n, visit in enumerate(route.visits, start=1):
        at = first + n - 1
        here, before = points[at], (points[at - 1] if at > 0 else None)
        checkins = found.get(visit.visit_id, {})
        stops.append(
            {
                **visit_to_json(visit),
                "number": n,
                "arrive": format_hhmm(visit.arrival),
                "leave": format_hhmm(visit.departure),
                "nav_url": directions_url(before, here),
                "geo_url": geo_url(Point(visit.stop_name, here.lat, here.lon)),
                "checkins": {
                    s: checkin_label(checkins[s]) for s in CHECKIN_STATUSES if s in checkins
                },
            }
        )
    return stops


def share_text(route: RouteView, link: str) -> str:
    """The ready WhatsApp message: date, vehicle, number of stops and the link."""
    text: str = _(
        "Mobile library route %(date)s, %(vehicle)s, %(count)s stops: %(link)s",
        date=weekday_date(route.date.isoformat()),
        vehicle=route.vehicle,
        count=len(route.visits),
        link=link,
    )
    return text


@bp.get("/<token>")
def route_page(token: str) -> str:
    """Today's route: stops in order with times, navigation, GPX, sharing and check-ins."""
    _plan, route = published_route(token)
    points = route_points(route)
    link = external_url("driver.route_page", token=token)
    text = share_text(route, link)
    return render_template(
        "driver/route.html",
        token=token,
        route=route,
        day=weekday_date(route.date.isoformat()),
        start=_hhmm(route.start),
        end=_hhmm(route.end),
        distance_km=format_decimal(route.distance_m / 1000, format="#,##0.0"),
        breaks=[(b.name, format_hhmm(b.start), format_hhmm(b.end)) for b in route.breaks],
        stops=_stops(route, points),
        legs=[
            (leg[0], leg[-1], directions_url(leg[0], leg[-1], leg[1:-1]))
            for leg in route_legs(points)
        ],
        share_url=WHATSAPP_SHARE + quote(text, safe=""),
        share_text=text,
        link=link,
        labels=status_labels(),
        sw_scope=PREFIX + "/",
    )


def _hhmm(moment: dt.datetime | None) -> str:
    return format_hhmm(moment) if moment is not None else ""


def _visit_of(route_id: int, raw_id: object) -> Visit:
    visit_id = str(raw_id or "")
    visit = get_session().get(Visit, int(visit_id)) if visit_id.isdigit() else None
    if visit is None or visit.route_id != route_id:
        raise DriverLinkRefused(404, _("This stop is not on this route."), "not_on_route")
    return visit


def _tapped_at(raw: object) -> dt.datetime | None:
    if not raw:
        return None
    try:
        return parse_time(raw, current_zone())
    except ValueError as error:
        raise KelilingError(str(error)) from None


@contextmanager
def _language(code: object) -> Iterator[None]:
    """Answer in the page's language even when the session (and the choice in it) is gone."""
    if isinstance(code, str) and code in current_app.config["LANGUAGES"]:
        with force_locale(code):
            yield
    else:
        yield


# The check-in is authorised by the signed link in its URL, not by the session, so it is exempt
# from the session's CSRF token. A tap queued without signal is often sent after the session
# cookie is gone (cleared, expired, the phone's browser restarted) and the link is the driver's
# only credential anyway. CSRF abuses a credential the browser adds by itself (a cookie); this
# endpoint honours none, and a forged request would need the secret link, with which anyone
# could tap directly. A per-link CSRF value derived from the token would be as public as the
# token, so it would add nothing either.
@bp.post("/<token>/checkin")
@csrf.exempt  # type: ignore[untyped-decorator]  # flask_wtf is untyped
def checkin(token: str) -> ResponseReturnValue:
    """Record tiba/selesai/dilewati; a form gets a redirect, the page's script gets JSON.

    Taps queued on the phone carry their tap time and a client id (echoed back); a resend is
    answered "already recorded" and stored once (one check-in per visit and status).
    """
    payload = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(payload, Mapping):
        payload = {}
    with _language(payload.get("lang")):
        return _checkin(token, payload)


def _checkin(token: str, payload: Mapping[str, Any]) -> ResponseReturnValue:
    client_id = str(payload.get("client_id") or "")[:64]
    session = get_session()
    try:
        tapped = _tapped_at(payload.get("tapped_at"))
    except KelilingError as error:
        return _answer(token, None, 400, str(error), reason="invalid_checkin")
    # The link's expiry is read at the tap, so a tap sent days later (no signal) still counts.
    now = dt.datetime.now(dt.UTC)
    route_id = _refuse_token(token, min(tapped or now, now).astimezone(current_zone()).date())
    visit = _visit_of(route_id, payload.get("visit_id"))
    route = session.get(Route, route_id)
    plan = session.get(Plan, route.plan_id) if route is not None else None
    if plan is None or plan.status not in ("published", "archived"):
        msg = _("This route is no longer in any plan; the check-in was not recorded.")
        raise DriverLinkRefused(410, msg, "route_gone")
    status, note = str(payload.get("status", "")), str(payload.get("note") or "")
    if status not in CHECKIN_STATUSES:
        msg = _("Unknown check-in: choose Arrived, Finished or Skipped.")
        return _answer(token, visit, 400, msg, reason="invalid_checkin")
    if status == "dilewati" and not note.strip():
        msg = _("Write why this stop was skipped.")
        return _answer(token, visit, 400, msg, reason="invalid_checkin")
    try:
        found, created = record_checkin(session, visit, status, note, tapped)
    except OutsideRouteDayError as error:
        session.rollback()
        message = _(
            "Not recorded: the tap time %(tapped)s is not on this route's day (%(day)s). "
            "Check the date and time on the phone.",
            tapped=error.tapped.strftime("%Y-%m-%d %H:%M"),
            day=weekday_date(error.service_date.isoformat()),
        )
        return _answer(token, visit, 422, message, reason="outside_route_day")
    except KelilingError as error:
        session.rollback()
        return _answer(token, visit, 400, str(error), reason="invalid_checkin")
    session.commit()
    label = checkin_label(found)
    if not created:
        message = _("Already recorded: %(label)s. The first tap is kept.", label=label)
    elif plan.status == "archived":
        # The plan was republished after the link was sent. The visit the driver tapped is
        # still stored (archived plans are kept), so the tap is recorded there rather than
        # lost or moved to a visit of the new plan that the driver may never have seen.
        message = _(
            "Recorded: %(label)s, on this route as it was sent; the plan has been replaced "
            "since, ask the coordinator for the new link.",
            label=label,
        )
    else:
        message = _("Recorded: %(label)s.", label=label)
    body = {
        "visit_id": visit.id,
        "status": found.status,
        "created": created,
        "label": label,
        "client_id": client_id,
        "replaced": plan.status == "archived",
    }
    return _answer(token, visit, 201 if created else 200, message, body)


def _answer(
    token: str,
    visit: Visit | None,
    status: int,
    message: str,
    body: dict[str, Any] | None = None,
    reason: str = "",
) -> ResponseReturnValue:
    if request.is_json or wants_json():
        if body is None:
            return _refusal(status, message, reason), status
        return {**body, "message": message}, status
    flash(message, "info" if body is not None else "error")
    anchor = f"stop-{visit.id}" if visit is not None else None
    return redirect(url_for("driver.route_page", token=token, _anchor=anchor))


@bp.get("/<token>/rute.gpx")
def gpx(token: str) -> Response:
    """The route as GPX for offline navigation apps."""
    plan, route = published_route(token)
    name = f"rute-{route.date.isoformat()}-{slug(route.vehicle, 'kendaraan')}.gpx"
    return Response(
        plan_gpx(plan_to_json(plan)),
        mimetype="application/gpx+xml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/<token>/peta")
def route_map(token: str) -> str:
    """A separate, heavier page with the route on a map."""
    _plan, route = published_route(token)
    points = route_points(route)
    south_west = (min(p.lat for p in points), min(p.lon for p in points))
    north_east = (max(p.lat for p in points), max(p.lon for p in points))
    fmap = base_map(south_west, north_east)
    line = [(p.lat, p.lon) for p in points]
    PolyLine(line, color=STOP_COLOUR, weight=4, opacity=0.7, class_name="route-line").add_to(fmap)
    zone = zone_abbreviation(current_zone())
    for n, visit in enumerate(route.visits, start=1):
        icon = DivIcon(html=f'<span class="stop-number">{n}</span>', icon_size=(30, 30))
        marker = Marker((visit.lat, visit.lon), icon=icon)
        times = f"{format_hhmm(visit.arrival)}–{format_hhmm(visit.departure)} {zone}"
        marker.add_child(SafeLabel([f"{n}. {visit.stop_name}", visit.village, times], popup=True))
        marker.add_to(fmap)
    depot = region_depot(get_session())
    if depot is not None:
        add_depot(fmap, depot, _("Approximate location"))
    return render_template("driver/map.html", token=token, route=route, map=render_parts(fmap))
