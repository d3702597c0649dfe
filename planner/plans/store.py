"""Storing a solved plan as a draft, and reading a plan's JSON form back (for validation)."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from planner.exports import plan_zone
from planner.plans.build import PlanningContext
from planner.routing import Plan, PlannedVisit, Problem, RoutePlan, Unserved
from planner.store import Plan as PlanRow
from planner.store import Route, Visit

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
            "params": dict(u.params),
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


def plan_from_json(data: dict[str, Any], problem: Problem) -> Plan:
    """Read a plan JSON back into a Plan over `problem`'s horizon (for validation)."""
    zone = plan_zone(data)
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
        Unserved(
            u["stop_id"], u.get("visits", 1), u.get("code", ""), u["reason"], u.get("params", {})
        )
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
