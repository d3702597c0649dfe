"""Read-only data in the JSON API: villages, stops, demand, plans, routes and check-ins."""

import datetime as dt
import json
from typing import Any

from flask import Blueprint

from planner.demand import MAX_ROTATION_WEEKS, DemandParams, compute_demand
from planner.plans import plan_json
from planner.store import (
    CheckIn,
    Plan,
    Route,
    Stop,
    Village,
    Visit,
    checkins_query,
    plans_query,
    published_plan,
    stop_with_village,
    stops_query,
    village_by_code,
    village_stop_ids,
    villages_query,
)
from web.api.core import (
    ID_RULE,
    MAX_ID,
    ApiError,
    allow,
    get_or_404,
    int_arg,
    page,
    page_of_list,
    page_of_query,
    public,
)
from web.api.schemas import CheckInPublic, PlanSummary, StopPublic, VillageDetail, VillagePublic
from web.auth import OFFICE_ROLES, PLANNING_ROLES
from web.db import get_session
from web.i18n import current_zone

bp = Blueprint("data", __name__)


@bp.get("/villages")
@allow(*OFFICE_ROLES)
def villages() -> Any:
    """The region's villages by code."""
    rows, total = page_of_query(get_session(), villages_query())
    return page([public(VillagePublic, v) for v in rows], total)


@bp.get("/villages/<code>")
@allow(*OFFICE_ROLES)
def village(code: str) -> Any:
    """One village with its boundary and stops."""
    session = get_session()
    row = village_by_code(session, code)
    if row is None:
        raise ApiError(404, f"Desa/kelurahan dengan kode '{code}' tidak ada.")
    stop_ids = village_stop_ids(session, row.id)
    data = {**row.model_dump(), "geometry": json.loads(row.geometry), "stop_ids": stop_ids}
    return public(VillageDetail, data)


def _stop(stop: Stop, village: Village) -> dict[str, Any]:
    return public(
        StopPublic, {**stop.model_dump(), "village_code": village.code, "village": village.name}
    )


@bp.get("/stops")
@allow(*OFFICE_ROLES)
def stops() -> Any:
    """Every stop, by village code and name."""
    rows, total = page_of_query(get_session(), stops_query())
    return page([_stop(*row) for row in rows], total)


@bp.get(f"/stops/<{ID_RULE}:stop_id>")
@allow(*OFFICE_ROLES)
def stop(stop_id: int) -> Any:
    """One stop."""
    row = stop_with_village(get_session(), stop_id)
    if row is None:
        raise ApiError(404, f"Titik layanan #{stop_id} tidak ada.")
    return _stop(*row)


@bp.get("/demand")
@allow(*OFFICE_ROLES)
def demand() -> Any:
    """The demand model over the stored survey and events, for a rotation of `weeks`."""
    weeks = int_arg("weeks", 1, 1, MAX_ROTATION_WEEKS)
    assert weeks is not None
    return compute_demand(get_session(), DemandParams(weeks=weeks)).as_dict()


def _local(moment: dt.datetime | None) -> str | None:
    """A stored instant as ISO 8601 in the region's zone (with its offset, e.g. +08:00)."""
    return moment.astimezone(current_zone()).isoformat() if moment is not None else None


def _plan_summary(plan: Plan) -> dict[str, Any]:
    metrics = {k: v for k, v in plan.metrics.items() if k != "crate_topics"}
    return public(
        PlanSummary,
        {
            **plan.model_dump(),
            "start": plan.start_date.isoformat(),
            "provider": plan.travel_provider,
            "metrics": metrics,
            "created_at": _local(plan.created_at),
            "published_at": _local(plan.published_at),
        },
    )


@bp.get("/plans")
@allow(*PLANNING_ROLES)
def plans() -> Any:
    """Plans, newest first, without their routes."""
    rows, total = page_of_query(get_session(), plans_query())
    return page([_plan_summary(p) for p in rows], total)


def _plan_data(plan_id: int) -> dict[str, Any]:
    session = get_session()
    get_or_404(session, Plan, plan_id, f"Rencana #{plan_id} tidak ada.")
    return plan_json(session, plan_id)


@bp.get(f"/plans/<{ID_RULE}:plan_id>")
@allow(*PLANNING_ROLES)
def plan(plan_id: int) -> Any:
    """A plan with its routes, as `keliling plan` prints it (times in the region's zone)."""
    return _plan_data(plan_id)


@bp.get(f"/plans/<{ID_RULE}:plan_id>/routes")
@allow(*PLANNING_ROLES)
def routes(plan_id: int) -> Any:
    """A plan's routes with their visits, by date and vehicle."""
    return page_of_list(_plan_data(plan_id)["routes"])


def _checkin(checkin: CheckIn, visit: Visit, route: Route, stop: Stop, vehicle: str) -> Any:
    data = {
        **checkin.model_dump(),
        "route_id": route.id,
        "plan_id": route.plan_id,
        "stop_id": stop.id,
        "stop_name": stop.name,
        "vehicle": vehicle,
        "service_date": route.service_date.isoformat(),
        "recorded_at": _local(checkin.recorded_at),
        "tapped_at": _local(checkin.tapped_at),
    }
    return public(CheckInPublic, data)


@bp.get("/checkins")
@allow(*PLANNING_ROLES)
def checkins() -> Any:
    """Check-ins of a plan (`plan`, default the published one), newest first."""
    session = get_session()
    plan_id = int_arg("plan", None, 1, MAX_ID)
    if plan_id is None:
        current = published_plan(session)
        if current is None:
            return page([], 0)
        plan_id = current.id
    else:
        get_or_404(session, Plan, plan_id, f"Rencana #{plan_id} tidak ada.")
    rows, total = page_of_query(session, checkins_query(plan_id))
    return page([_checkin(*row) for row in rows], total)
