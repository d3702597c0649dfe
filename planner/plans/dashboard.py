"""The coordinator's week at a glance: planned vs done, unserved, what needs attention."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from planner.store import CheckIn, Plan, Route, Stop, Vehicle, Visit, published_plan

LATEST_CHECKINS = 10


@dataclass(frozen=True)
class RouteProgress:
    """One route-day of the week with its check-in counts."""

    route_id: int
    date: dt.date
    vehicle: str
    planned: int
    counts: dict[str, int]
    start_at: dt.datetime | None

    @property
    def done(self) -> int:
        """Visits finished (selesai)."""
        return self.counts.get("selesai", 0)


@dataclass(frozen=True)
class CheckInLine:
    """A recent check-in for the feed."""

    at: dt.datetime
    status: str
    stop: str
    vehicle: str
    note: str


@dataclass(frozen=True)
class Overview:
    """Everything the dashboard shows."""

    plan: Plan | None
    week_start: dt.date
    routes: tuple[RouteProgress, ...] = ()
    latest: tuple[CheckInLine, ...] = ()
    unserved_visits: int = 0
    approximate_stops: int = 0
    late_routes: tuple[RouteProgress, ...] = field(default=())

    @property
    def planned(self) -> int:
        """Visits planned this week."""
        return sum(r.planned for r in self.routes)

    @property
    def done(self) -> int:
        """Visits finished this week."""
        return sum(r.done for r in self.routes)

    @property
    def skipped(self) -> int:
        """Visits skipped this week."""
        return sum(r.counts.get("dilewati", 0) for r in self.routes)


def _week_routes(session: Session, plan: Plan, week_start: dt.date) -> list[tuple[Route, str]]:
    week_end = week_start + dt.timedelta(days=6)
    query = (
        select(Route, Vehicle.name)
        .join(Vehicle, col(Route.vehicle_id) == col(Vehicle.id))
        .where(Route.plan_id == plan.id)
        .order_by(col(Route.service_date), col(Route.vehicle_id))
    )
    rows = [(r, str(name)) for r, name in session.exec(query)]
    this_week = [(r, n) for r, n in rows if week_start <= r.service_date <= week_end]
    return this_week or [
        (r, n) for r, n in rows if r.service_date < plan.start_date + dt.timedelta(days=7)
    ]


def _progress(session: Session, routes: list[tuple[Route, str]]) -> list[RouteProgress]:
    ids = [r.id for r, _ in routes]
    planned = Counter(
        dict(
            session.exec(
                select(Visit.route_id, func.count())
                .where(col(Visit.route_id).in_(ids))
                .group_by(col(Visit.route_id))
            ).all()
        )
    )
    counts: dict[int, Counter[str]] = {}
    query = select(Visit.route_id, CheckIn.status).join(
        Visit, col(CheckIn.visit_id) == col(Visit.id)
    )
    for route_id, status in session.exec(query.where(col(Visit.route_id).in_(ids))):
        counts.setdefault(route_id, Counter())[status] += 1
    return [
        RouteProgress(
            r.id or 0,
            r.service_date,
            name,
            planned.get(r.id or 0, 0),
            dict(counts.get(r.id or 0, {})),
            r.start_at,
        )
        for r, name in routes
    ]


def latest_checkins(
    session: Session, plan: Plan, limit: int = LATEST_CHECKINS
) -> list[CheckInLine]:
    """The newest check-ins of the plan's routes."""
    query = (
        select(CheckIn, Stop.name, Vehicle.name)
        .join(Visit, col(CheckIn.visit_id) == col(Visit.id))
        .join(Route, col(Visit.route_id) == col(Route.id))
        .join(Stop, col(Visit.stop_id) == col(Stop.id))
        .join(Vehicle, col(Route.vehicle_id) == col(Vehicle.id))
        .where(Route.plan_id == plan.id)
        .order_by(col(CheckIn.recorded_at).desc())
        .limit(limit)
    )
    return [
        CheckInLine(c.tapped_at or c.recorded_at, c.status, str(stop), str(vehicle), c.note)
        for c, stop, vehicle in session.exec(query)
    ]


def week_overview(session: Session, now: dt.datetime) -> Overview:
    """This week's published routes with check-ins, unserved visits and warnings."""
    week_start = now.date() - dt.timedelta(days=now.weekday())
    approximate = session.exec(
        select(func.count()).select_from(Stop).where(col(Stop.active), col(Stop.approximate))
    ).one()
    plan = published_plan(session)
    if plan is None:
        return Overview(None, week_start, approximate_stops=approximate)
    routes = _progress(session, _week_routes(session, plan, week_start))
    late = tuple(
        r
        for r in routes
        if r.start_at is not None and r.start_at < now and not sum(r.counts.values())
    )
    return Overview(
        plan=plan,
        week_start=week_start,
        routes=tuple(routes),
        latest=tuple(latest_checkins(session, plan)),
        unserved_visits=sum(int(u.get("visits", 1)) for u in plan.unserved),
        approximate_stops=approximate,
        late_routes=late,
    )
