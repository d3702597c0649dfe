"""A stored plan as typed, read-only values: what web pages, the API and the exports read.

`load_plan` reads a whole plan in three queries (plan, its routes with their vehicles, all their
visits with stop and village); `load_route` reads one route-day only (the driver page, a route
sheet). `plan_to_json` (json_form.py) is the serialisation (ISO times with the region's
offset) that the API, the CLI and the exports carry.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from planner.core import _, zone_of
from planner.store import (
    Depot,
    PlanStatus,
    Region,
    Route,
    Stop,
    Vehicle,
    Village,
    Visit,
    get_or_raise,
    region_depot,
)
from planner.store import Plan as PlanRow


@dataclass(frozen=True)
class PlaceView:
    """Where a route starts and ends (the depot)."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class BreakView:
    """A break planned on a route, in local time."""

    name: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class VisitView:
    """One planned visit of a stop, in route order, with local times."""

    visit_id: int
    stop_id: int
    stop_name: str
    village_code: str
    village: str
    lat: float
    lon: float
    arrival: dt.datetime
    start: dt.datetime
    departure: dt.datetime
    distance_m: float
    travel_s: int
    topics: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class RouteView:
    """One vehicle's route on one day."""

    route_id: int
    plan_id: int
    vehicle: str
    vehicle_id: int
    vehicle_kind: str
    date: dt.date
    start: dt.datetime | None
    end: dt.datetime | None
    distance_m: int
    depot: PlaceView | None
    breaks: tuple[BreakView, ...]
    visits: tuple[VisitView, ...]


@dataclass(frozen=True)
class PlanView:
    """A stored plan: its header, its routes (by date, then vehicle) and what it could not serve."""

    id: int
    status: PlanStatus
    start: dt.date
    weeks: int
    provider: str
    provider_label: str
    solve_status: str
    timezone: str
    region: str  # the region's name, e.g. "Kota Banjar" (titles of the exports)
    metrics: Mapping[str, Any]
    routes: tuple[RouteView, ...]
    unserved: tuple[Mapping[str, Any], ...]
    diagnostics: tuple[Mapping[str, Any], ...]


def _zone_and_region(session: Session, row: PlanRow) -> tuple[str, str]:
    region = session.get(Region, row.region_id)
    return (region.timezone, region.name) if region else ("UTC", "")


def _depot(session: Session, row: PlanRow) -> PlaceView | None:
    depot: Depot | None = region_depot(session, row.region_id)
    return PlaceView(depot.name, depot.lat, depot.lon) if depot else None


def _visits_by_route(
    session: Session, route_ids: Sequence[int], topics: Mapping[str, Any], zone: ZoneInfo
) -> dict[int, list[VisitView]]:
    found: dict[int, list[VisitView]] = defaultdict(list)
    if not route_ids:
        return found
    rows = session.exec(
        select(Visit, Stop, Village)
        .join(Stop, col(Visit.stop_id) == col(Stop.id))
        .join(Village)
        .where(col(Visit.route_id).in_(route_ids))
        .order_by(col(Visit.route_id), col(Visit.sequence))
    ).all()
    for visit, stop, village in rows:
        found[visit.route_id].append(_visit_view(visit, stop, village, topics, zone))
    return found


def _visit_view(
    visit: Visit, stop: Stop, village: Village, topics: Mapping[str, Any], zone: ZoneInfo
) -> VisitView:
    assert visit.id is not None and stop.id is not None
    return VisitView(
        visit_id=visit.id,
        stop_id=stop.id,
        stop_name=stop.name,
        village_code=village.code,
        village=village.name,
        lat=stop.lat,
        lon=stop.lon,
        arrival=visit.planned_arrival.astimezone(zone),
        start=(visit.planned_start or visit.planned_arrival).astimezone(zone),
        departure=visit.planned_departure.astimezone(zone),
        distance_m=visit.distance_m,
        travel_s=visit.travel_s,
        topics=tuple(topics.get(village.code, [])),
        notes=stop.notes,
    )


def _route_view(
    route: Route,
    vehicle: Vehicle,
    visits: Sequence[VisitView],
    depot: PlaceView | None,
    zone: ZoneInfo,
) -> RouteView:
    assert route.id is not None and vehicle.id is not None
    return RouteView(
        route_id=route.id,
        plan_id=route.plan_id,
        vehicle=vehicle.name,
        vehicle_id=vehicle.id,
        vehicle_kind=vehicle.kind,
        date=route.service_date,
        start=_local(route.start_at, zone),
        end=_local(route.end_at, zone),
        distance_m=round(route.distance_m),
        depot=depot,
        breaks=tuple(
            BreakView(
                b["name"],
                dt.datetime.fromisoformat(b["start"]).astimezone(zone),
                dt.datetime.fromisoformat(b["end"]).astimezone(zone),
            )
            for b in route.breaks
        ),
        visits=tuple(visits),
    )


def _routes(
    session: Session, row: PlanRow, route_id: int | None, zone: ZoneInfo
) -> tuple[RouteView, ...]:
    query = (
        select(Route, Vehicle)
        .join(Vehicle, col(Route.vehicle_id) == col(Vehicle.id))
        .where(Route.plan_id == row.id)
        .order_by(col(Route.service_date), col(Route.vehicle_id))
    )
    if route_id is not None:
        query = query.where(Route.id == route_id)
    pairs = session.exec(query).all()
    topics = row.metrics.get("crate_topics", {})
    visits = _visits_by_route(session, [r.id for r, _ in pairs if r.id is not None], topics, zone)
    depot = _depot(session, row)
    return tuple(
        _route_view(route, vehicle, visits.get(route.id or 0, []), depot, zone)
        for route, vehicle in pairs
    )


def _plan_view(session: Session, row: PlanRow, route_id: int | None) -> PlanView:
    assert row.id is not None
    timezone, region = _zone_and_region(session, row)
    zone = zone_of(timezone)
    return PlanView(
        id=row.id,
        status=row.status,
        start=row.start_date,
        weeks=row.weeks,
        provider=row.travel_provider,
        provider_label=row.provider_label,
        solve_status=row.solve_status,
        timezone=timezone,
        region=region,
        metrics={k: v for k, v in row.metrics.items() if k != "crate_topics"},
        routes=_routes(session, row, route_id, zone),
        unserved=tuple(row.unserved) if route_id is None else (),
        diagnostics=tuple(row.diagnostics),
    )


def load_plan(session: Session, plan_id: int) -> PlanView:
    """The whole stored plan; NotFoundError when there is none with this id."""
    return _plan_view(session, get_or_raise(session, PlanRow, plan_id, _("Plan")), None)


def load_route(session: Session, route_id: int) -> tuple[PlanView, RouteView]:
    """One route-day and the header of its plan (no other route is read)."""
    route = get_or_raise(session, Route, route_id, _("Route"))
    plan = _plan_view(session, get_or_raise(session, PlanRow, route.plan_id, _("Plan")), route_id)
    return plan, plan.routes[0]


def _local(moment: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    return moment.astimezone(zone) if moment is not None else None
