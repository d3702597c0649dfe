"""Changing a draft before it is re-planned: pin a visit, remove one, ask for one more.

Adjustments are stored on the draft and applied by the next re-plan (planner/plans/build.py).
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from planner.core import NotFoundError
from planner.plans.jobs import OPEN_JOB_STATUSES
from planner.store import Plan, Route, SolveJob, Stop, Visit


def _visit_in(session: Session, plan_id: int, visit_id: int | None) -> tuple[Route, Visit]:
    """A visit of the plan and its route (only these two rows are read); else NotFoundError."""
    visit = session.get(Visit, visit_id or 0)
    route = session.get(Route, visit.route_id) if visit is not None else None
    if visit is None or route is None or route.plan_id != plan_id:
        msg = f"Kunjungan #{visit_id} tidak ada di rencana #{plan_id}."
        raise NotFoundError(msg)
    return route, visit


def _adjust(session: Session, plan: Plan, key: str, value: Any) -> None:
    """Record one adjustment ('pins', 'removed' or 'added') on the draft for its next re-plan."""
    adjustments = dict(plan.adjustments)
    adjustments[key] = [*adjustments.get(key, []), value]
    plan.adjustments = adjustments
    session.add(plan)


def pin_visit(session: Session, plan: Plan, visit_id: int | None) -> dt.date:
    """Keep this visit's stop on the visit's day and vehicle in the next re-plan; that day."""
    route, visit = _visit_in(session, plan.id or 0, visit_id)
    slot = {"date": route.service_date.isoformat(), "vehicle_id": route.vehicle_id}
    _adjust(session, plan, "pins", {"stop_id": visit.stop_id, **slot})
    return route.service_date


def remove_visit(session: Session, plan: Plan, visit_id: int | None) -> None:
    """Drop one visit of this visit's stop from the next re-plan."""
    _route, visit = _visit_in(session, plan.id or 0, visit_id)
    _adjust(session, plan, "removed", visit.stop_id)


def add_visit(session: Session, plan: Plan, stop: Stop) -> None:
    """Ask for one more visit of a stop in the next re-plan."""
    _adjust(session, plan, "added", stop.id)


def all_plans(session: Session) -> Sequence[Plan]:
    """Every plan, newest first."""
    return session.exec(select(Plan).order_by(col(Plan.id).desc())).all()


def open_jobs(session: Session) -> Sequence[SolveJob]:
    """Solve jobs still queued or running."""
    return session.exec(select(SolveJob).where(col(SolveJob.status).in_(OPEN_JOB_STATUSES))).all()
