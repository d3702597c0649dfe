"""The plan's JSON form, made from its typed view: what `keliling plan` writes, the API returns
and the exports read (ISO times with the region's UTC offset)."""

import datetime as dt
from typing import Any

from sqlmodel import Session

from planner.plans.view import PlaceView, PlanView, RouteView, VisitView, load_plan


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _place_json(place: PlaceView | None) -> dict[str, Any] | None:
    return {"name": place.name, "lat": place.lat, "lon": place.lon} if place else None


def visit_to_json(visit: VisitView) -> dict[str, Any]:
    """A visit in the plan's JSON form."""
    return {
        "visit_id": visit.visit_id,
        "stop_id": visit.stop_id,
        "stop_name": visit.stop_name,
        "village_code": visit.village_code,
        "village": visit.village,
        "lat": visit.lat,
        "lon": visit.lon,
        "arrival": _iso(visit.arrival),
        "start": _iso(visit.start),
        "departure": _iso(visit.departure),
        "distance_m": visit.distance_m,
        "travel_s": visit.travel_s,
        "topics": list(visit.topics),
        "notes": visit.notes,
    }


def route_to_json(route: RouteView) -> dict[str, Any]:
    """A route in the plan's JSON form."""
    return {
        "route_id": route.route_id,
        "vehicle": route.vehicle,
        "vehicle_id": route.vehicle_id,
        "vehicle_kind": route.vehicle_kind,
        "date": route.date.isoformat(),
        "start": _iso(route.start),
        "end": _iso(route.end),
        "distance_m": route.distance_m,
        "depot": _place_json(route.depot),
        "breaks": [
            {"name": b.name, "start": _iso(b.start), "end": _iso(b.end)} for b in route.breaks
        ],
        "visits": [visit_to_json(v) for v in route.visits],
    }


def plan_to_json(plan: PlanView) -> dict[str, Any]:
    """The plan's JSON form: what `keliling plan` writes, the API returns and exports read."""
    return {
        "id": plan.id,
        "status": plan.status,
        "start": plan.start.isoformat(),
        "weeks": plan.weeks,
        "provider": plan.provider,
        "provider_label": plan.provider_label,
        "solve_status": plan.solve_status,
        "timezone": plan.timezone,
        "metrics": dict(plan.metrics),
        "routes": [route_to_json(r) for r in plan.routes],
        "unserved": [dict(u) for u in plan.unserved],
        "diagnostics": [dict(d) for d in plan.diagnostics],
    }


def plan_json(session: Session, plan_id: int) -> dict[str, Any]:
    """The stored plan in its JSON form (times with the region's UTC offset)."""
    return plan_to_json(load_plan(session, plan_id))
