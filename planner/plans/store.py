"""Storing a solved plan as a draft, and the plan's JSON form (for the CLI, exports and API)."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from planner.core import NotFoundError
from planner.plans.build import PlanningContext
from planner.routing import Plan, PlannedVisit, Problem, RoutePlan, Unserved
from planner.store import Depot, Route, Stop, Vehicle, Village, Visit
from planner.store import Plan as PlanRow

TOP_TOPICS = 3


def moment(start: dt.date, seconds: int, zone: ZoneInfo) -> dt.datetime:
    """Seconds since the horizon's first local midnight as an aware datetime."""
    midnight = dt.datetime.combine(start, dt.time(0), tzinfo=zone)
    return midnight + dt.timedelta(seconds=seconds)


def plan_metrics(problem: Problem, plan: Plan) -> dict[str, Any]:
    """Kilometres, driving time, visits planned vs required, attendance served."""
    attendance = {s.id: s.expected_attendance for s in problem.stops}
    visits = [v for r in plan.routes for v in r.visits]
    return {
        "total_distance_km": round(sum(r.distance_m for r in plan.routes) / 1000, 1),
        "driving_minutes": round(sum(r.driving_s for r in plan.routes) / 60),
        "visits_planned": len(visits),
        "visits_required": sum(s.visits for s in problem.stops),
        "visits_unserved": sum(u.visits for u in plan.unserved),
        "routes": len(plan.routes),
        "expected_attendance_served": round(sum(attendance[v.stop_id] for v in visits)),
        "solve_seconds": plan.solve_seconds,
        "objective": plan.objective,
    }


def _unserved_rows(problem: Problem, plan: Plan) -> list[dict[str, Any]]:
    stops = {s.id: s for s in problem.stops}
    return [
        {
            "stop_id": u.stop_id,
            "stop_name": stops[u.stop_id].name,
            "village_code": stops[u.stop_id].village_code,
            "lat": stops[u.stop_id].lat,
            "lon": stops[u.stop_id].lon,
            "visits": u.visits,
            "code": u.code,
            "reason": u.reason,
        }
        for u in plan.unserved
    ]


def store_plan(
    session: Session,
    problem: Problem,
    plan: Plan,
    context: PlanningContext,
    time_limit_s: float,
    created_by_id: int | None = None,
) -> PlanRow:
    """Save the plan as a draft with its routes and visits; the published plan is untouched."""
    assert context.region.id is not None
    zone = context.timezone
    metrics = plan_metrics(problem, plan)
    metrics["crate_topics"] = {
        v.code: [t.key for t in v.topics[:TOP_TOPICS]] for v in context.demand.villages
    }
    row = PlanRow(
        region_id=context.region.id,
        status="draft",
        start_date=problem.start,
        weeks=problem.weeks,
        travel_provider=plan.provider,
        provider_label=plan.provider_label,
        solve_status=plan.status,
        time_limit_s=time_limit_s,
        objective=plan.objective,
        metrics=metrics,
        unserved=_unserved_rows(problem, plan),
        diagnostics=[d.__dict__ for d in plan.diagnostics],
        created_by_id=created_by_id,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    for route in plan.routes:
        _store_route(session, row.id, problem, route, zone)
    session.flush()
    return row


def _store_route(
    session: Session, plan_id: int, problem: Problem, route: RoutePlan, zone: ZoneInfo
) -> None:
    def at(seconds: int) -> dt.datetime:
        return moment(problem.start, seconds, zone)

    row = Route(
        plan_id=plan_id,
        vehicle_id=route.vehicle_id,
        service_date=problem.date_of(route.day_index),
        start_at=at(route.start_s),
        end_at=at(route.end_s),
        distance_m=route.distance_m,
        duration_s=route.end_s - route.start_s,
        breaks=[
            {"name": b.name, "start": at(b.start_s).isoformat(), "end": at(b.end_s).isoformat()}
            for b in route.breaks
        ],
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    for sequence, visit in enumerate(route.visits, start=1):
        session.add(
            Visit(
                route_id=row.id,
                stop_id=visit.stop_id,
                sequence=sequence,
                planned_arrival=at(visit.arrival_s),
                planned_start=at(visit.start_s),
                planned_departure=at(visit.departure_s),
                travel_s=visit.travel_s,
                distance_m=visit.distance_m,
            )
        )


def plan_json(session: Session, plan_id: int) -> dict[str, Any]:
    """The stored plan in its JSON form (times in WIB with their +07:00 offset)."""
    row = session.get(PlanRow, plan_id)
    if row is None:
        msg = f"Rencana #{plan_id} tidak ada."
        raise NotFoundError(msg)
    zone = ZoneInfo("Asia/Jakarta")
    depot = session.exec(select(Depot)).first()
    topics = row.metrics.get("crate_topics", {})
    routes = []
    for route in session.exec(
        select(Route)
        .where(Route.plan_id == plan_id)
        .order_by(col(Route.service_date), col(Route.vehicle_id))
    ):
        vehicle = session.get(Vehicle, route.vehicle_id)
        assert vehicle is not None
        visits = session.exec(
            select(Visit, Stop, Village)
            .join(Stop, col(Visit.stop_id) == col(Stop.id))
            .join(Village)
            .where(Visit.route_id == route.id)
            .order_by(col(Visit.sequence))
        ).all()
        routes.append(
            {
                "route_id": route.id,
                "vehicle": vehicle.name,
                "vehicle_id": vehicle.id,
                "vehicle_kind": vehicle.kind,
                "date": route.service_date.isoformat(),
                "start": _local(route.start_at, zone),
                "end": _local(route.end_at, zone),
                "distance_m": round(route.distance_m),
                "depot": {"name": depot.name, "lat": depot.lat, "lon": depot.lon}
                if depot
                else None,
                "breaks": route.breaks,
                "visits": [
                    {
                        "visit_id": visit.id,
                        "stop_id": stop.id,
                        "stop_name": stop.name,
                        "village_code": village.code,
                        "village": village.name,
                        "lat": stop.lat,
                        "lon": stop.lon,
                        "arrival": _local(visit.planned_arrival, zone),
                        "start": _local(visit.planned_start or visit.planned_arrival, zone),
                        "departure": _local(visit.planned_departure, zone),
                        "distance_m": visit.distance_m,
                        "travel_s": visit.travel_s,
                        "topics": topics.get(village.code, []),
                        "notes": stop.notes,
                    }
                    for visit, stop, village in visits
                ],
            }
        )
    metrics = {k: v for k, v in row.metrics.items() if k != "crate_topics"}
    return {
        "id": row.id,
        "status": row.status,
        "start": row.start_date.isoformat(),
        "weeks": row.weeks,
        "provider": row.travel_provider,
        "provider_label": row.provider_label,
        "solve_status": row.solve_status,
        "metrics": metrics,
        "routes": routes,
        "unserved": row.unserved,
        "diagnostics": row.diagnostics,
    }


def _local(value: dt.datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat() if value is not None else None


def plan_from_json(data: dict[str, Any], problem: Problem) -> Plan:
    """Read a plan JSON back into a Plan over `problem`'s horizon (for validation)."""
    zone = ZoneInfo("Asia/Jakarta")
    midnight = dt.datetime.combine(problem.start, dt.time(0), tzinfo=zone)

    def seconds(text: str) -> int:
        return int((dt.datetime.fromisoformat(text) - midnight).total_seconds())

    routes = []
    for route in data["routes"]:
        visits = tuple(
            PlannedVisit(
                v["stop_id"],
                seconds(v["arrival"]),
                seconds(v["start"]),
                seconds(v["departure"]),
                v.get("travel_s", 0),
                v["distance_m"],
            )
            for v in route["visits"]
        )
        day = (dt.date.fromisoformat(route["date"]) - problem.start).days
        last = route["visits"][-1]["departure"] if route["visits"] else route["start"]
        end = seconds(route["end"]) if route.get("end") else seconds(last)
        routes.append(
            RoutePlan(route["vehicle_id"], day, seconds(route["start"]), end, visits, 0, 0)
        )
    unserved = tuple(
        Unserved(u["stop_id"], u.get("visits", 1), u.get("code", ""), u["reason"])
        for u in data["unserved"]
    )
    return Plan(
        problem.start,
        problem.weeks,
        data["provider"],
        data.get("provider_label", ""),
        data.get("solve_status", "ok"),
        tuple(routes),
        unserved,
        (),
        int(data["metrics"].get("objective", 0)),
        float(data["metrics"].get("solve_seconds", 0)),
    )
