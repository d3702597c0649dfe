"""Changing a draft before it is re-planned: pin a visit, remove one, ask for one more.

Adjustments are stored on the draft and applied by the next re-plan (planner/plans/build.py).
"""

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from planner.core import NotFoundError
from planner.plans.jobs import OPEN_JOB_STATUSES
from planner.plans.view import RouteView, VisitView, load_plan
from planner.store import Plan, SolveJob, Stop


def find_visit(session: Session, plan_id: int, visit_id: int | None) -> tuple[RouteView, VisitView]:
    """A visit of the plan with the route it is on; NotFoundError when it is not in the plan."""
    found = load_plan(session, plan_id).visit(visit_id or 0)
    if found is None:
        msg = f"Kunjungan #{visit_id} tidak ada di rencana #{plan_id}."
        raise NotFoundError(msg)
    return found


def add_adjustment(session: Session, plan: Plan, key: str, value: Any) -> None:
    """Record one adjustment ('pins', 'removed' or 'added') on the draft for its next re-plan."""
    adjustments = dict(plan.adjustments)
    adjustments[key] = [*adjustments.get(key, []), value]
    plan.adjustments = adjustments
    session.add(plan)


def pin_visit(session: Session, plan: Plan, visit_id: int | None) -> RouteView:
    """Keep this visit's stop on the visit's day and vehicle in the next re-plan."""
    route, visit = find_visit(session, plan.id or 0, visit_id)
    slot = {"date": route.date.isoformat(), "vehicle_id": route.vehicle_id}
    add_adjustment(session, plan, "pins", {"stop_id": visit.stop_id, **slot})
    return route


def remove_visit(session: Session, plan: Plan, visit_id: int | None) -> VisitView:
    """Drop one visit of this visit's stop from the next re-plan."""
    _route, visit = find_visit(session, plan.id or 0, visit_id)
    add_adjustment(session, plan, "removed", visit.stop_id)
    return visit


def add_visit(session: Session, plan: Plan, stop: Stop) -> None:
    """Ask for one more visit of a stop in the next re-plan."""
    add_adjustment(session, plan, "added", stop.id)


def all_plans(session: Session) -> Sequence[Plan]:
    """Every plan, newest first."""
    return session.exec(select(Plan).order_by(col(Plan.id).desc())).all()


def open_jobs(session: Session) -> Sequence[SolveJob]:
    """Solve jobs still queued or running."""
    return session.exec(select(SolveJob).where(col(SolveJob.status).in_(OPEN_JOB_STATUSES))).all()
