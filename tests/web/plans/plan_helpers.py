"""A published week and a draft whose changes are known, built once per test module."""

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from planner.plans import build_problem, publish_plan, store_plan
from planner.store import Plan, Route, Stop, Visit, make_engine, session_scope
from tests.factories import solved_once


@dataclass(frozen=True)
class KnownChanges:
    """The draft against the published plan: one visit removed, one moved, one added."""

    published_id: int
    draft_id: int
    removed_stop: str
    moved_stop: str
    added_stop: str


def solved_week(session: Session, start: dt.date) -> Plan:
    """One week from `start`, solved for a second and stored as a draft."""
    problem, context = build_problem(session, start, 1)
    return store_plan(session, problem, solved_once(problem), context, 1)


def copy_plan(session: Session, plan: Plan) -> Plan:
    """A draft with the same routes and visits as `plan`."""
    copy = Plan(
        region_id=plan.region_id, start_date=plan.start_date, weeks=plan.weeks,
        metrics=plan.metrics, solve_status="ok",
    )  # fmt: skip
    session.add(copy)
    session.flush()
    for route in session.exec(select(Route).where(Route.plan_id == plan.id)):
        new = Route(**{**route.model_dump(exclude={"id"}), "plan_id": copy.id})
        session.add(new)
        session.flush()
        for visit in session.exec(select(Visit).where(Visit.route_id == route.id)):
            session.add(Visit(**{**visit.model_dump(exclude={"id"}), "route_id": new.id}))
    session.flush()
    return copy


def new_stop(session: Session, like_stop_id: int, name: str) -> Stop:
    """A new active stop beside another one, in its village, with its hours."""
    like = session.get(Stop, like_stop_id)
    assert like is not None
    stop = Stop(**{**like.model_dump(exclude={"id"}), "name": name, "lat": like.lat + 0.001})
    session.add(stop)
    session.flush()
    return stop


def _shift(visit: Visit, days: int) -> None:
    delta = dt.timedelta(days=days)
    visit.planned_arrival += delta
    visit.planned_departure += delta
    if visit.planned_start is not None:
        visit.planned_start += delta


def _known_changes(session: Session, draft: Plan) -> tuple[str, str, str]:
    """Remove one visit, move one to another day, add a visit of a stop the plan has not."""
    routes = list(
        session.exec(select(Route).where(Route.plan_id == draft.id).order_by(col(Route.id)))
    )
    visits = {r.id: list(session.exec(select(Visit).where(Visit.route_id == r.id))) for r in routes}
    stop_visits: dict[int, int] = {}
    for found in visits.values():
        for v in found:
            stop_visits[v.stop_id] = stop_visits.get(v.stop_id, 0) + 1
    once = [v for found in visits.values() for v in found if stop_visits[v.stop_id] == 1]
    removed, moved = once[0], once[1]
    session.delete(removed)
    moved_route = session.get(Route, moved.route_id)
    assert moved_route is not None
    other = next(r for r in routes if r.service_date != moved_route.service_date)
    _shift(moved, (other.service_date - moved_route.service_date).days)
    moved.route_id, moved.sequence = other.id or 0, 99
    session.add(moved)
    template = visits[other.id][0]
    unvisited = new_stop(session, template.stop_id, "Titik Baru Uji")
    session.add(
        Visit(**{**template.model_dump(exclude={"id"}), "stop_id": unvisited.id, "sequence": 98})
    )
    names = [session.get(Stop, v.stop_id) for v in (removed, moved)]
    assert names[0] is not None and names[1] is not None
    return names[0].name, names[1].name, unvisited.name


def published_and_draft(template: Path, folder: Path, start: dt.date) -> tuple[Path, KnownChanges]:
    """A copy of the demo database with a published week from `start` and a draft of it with
    known changes (solved once)."""
    path = folder / "planned.db"
    shutil.copyfile(template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with session_scope(engine) as session:
            published = solved_week(session, start)
            assert published.id is not None
            publish_plan(session, published.id)
            draft = copy_plan(session, published)
            removed, moved, added = _known_changes(session, draft)
            assert draft.id is not None
            return path, KnownChanges(published.id, draft.id, removed, moved, added)
    finally:
        engine.dispose()
