"""Changing a draft before it is re-planned: pin a visit, remove one, ask for one more.

Adjustments are stored on the draft and applied by the next re-plan (planner/plans/build.py).
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, func, select

from planner.core import NotFoundError, _
from planner.plans.jobs import OPEN_JOB_STATUSES
from planner.plans.pending import stop_counts, without
from planner.store import Plan, Route, SolveJob, Stop, Village, Visit


def _visit_in(session: Session, plan_id: int, visit_id: int | None) -> tuple[Route, Visit]:
    """A visit of the plan and its route (only these two rows are read); else NotFoundError."""
    visit = session.get(Visit, visit_id or 0)
    route = session.get(Route, visit.route_id) if visit is not None else None
    if visit is None or route is None or route.plan_id != plan_id:
        msg = _("Visit #{visit} is not in plan #{plan}.").format(visit=visit_id, plan=plan_id)
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
    _adjust(session, plan, "pins", {"stop_id": visit.stop_id, **slot, "visit_id": visit.id})
    return route.service_date


def remove_visit(session: Session, plan: Plan, visit_id: int | None) -> None:
    """Drop one visit of this visit's stop from the next re-plan."""
    _route, visit = _visit_in(session, plan.id or 0, visit_id)
    _adjust(session, plan, "removed", {"stop_id": visit.stop_id, "visit_id": visit.id})


def add_visit(session: Session, plan: Plan, stop: Stop) -> None:
    """Ask for one more visit of a stop in the next re-plan."""
    _adjust(session, plan, "added", stop.id)


def undo_adjustment(session: Session, plan: Plan, kind: str, index: int, stop_id: int) -> None:
    """Take back one pending adjustment; NotFoundError when it is not pending (undone already)."""
    try:
        plan.adjustments = without(plan.adjustments, kind, index, stop_id)
    except KeyError:
        msg = _("This change is no longer pending (it may have been undone already).")
        raise NotFoundError(msg) from None
    session.add(plan)


def visit_of(session: Session, plan: Plan, visit_id: int | None) -> tuple[Visit, Stop, Village]:
    """A visit of the plan with its stop and village; NotFoundError when it is not in the plan."""
    _route, visit = _visit_in(session, plan.id or 0, visit_id)
    stop = session.get(Stop, visit.stop_id)
    village = session.get(Village, stop.village_id) if stop is not None else None
    assert stop is not None and village is not None
    return visit, stop, village


def village_visits_left(session: Session, plan: Plan, village_id: int) -> int:
    """The village's visits in the plan once the pending removals and additions are applied."""
    stops = [s for s in session.exec(select(Stop.id).where(Stop.village_id == village_id)) if s]
    planned = session.exec(
        select(func.count())
        .select_from(Visit)
        .join(Route, col(Visit.route_id) == col(Route.id))
        .where(Route.plan_id == plan.id, col(Visit.stop_id).in_(stops))
    ).one()
    removed = stop_counts(plan.adjustments, "removed")
    added = stop_counts(plan.adjustments, "added")
    return int(planned) - sum(removed[s] for s in stops) + sum(added[s] for s in stops)


def all_plans(session: Session) -> Sequence[Plan]:
    """Every plan, newest first."""
    return session.exec(select(Plan).order_by(col(Plan.id).desc())).all()


def open_jobs(session: Session) -> Sequence[SolveJob]:
    """Solve jobs still queued or running."""
    return session.exec(select(SolveJob).where(col(SolveJob.status).in_(OPEN_JOB_STATUSES))).all()
