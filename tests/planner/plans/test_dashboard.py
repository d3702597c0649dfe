"""The coordinator's week: planned vs done, skipped, late routes and the check-in feed."""

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.plans import build_problem, publish_plan, record_checkin, store_plan, week_overview
from planner.store import Region, Route, Stop, Visit, session_scope
from tests.factories import solved_once

MONDAY = dt.date(2026, 11, 30)
WEDNESDAY = MONDAY + dt.timedelta(days=2)


def _publish_a_week(engine: Engine) -> int:
    with session_scope(engine) as session:
        problem, context = build_problem(session, MONDAY, 1)
        row = store_plan(session, problem, solved_once(problem), context, 1)
        assert row.id is not None
        publish_plan(session, row.id)
        return row.id


def _routes(session: Session, plan_id: int) -> dict[int, list[Visit]]:
    """Each route of the plan with its visits in driving order, routes by day then vehicle."""
    routes = session.exec(
        select(Route)
        .where(Route.plan_id == plan_id)
        .order_by(col(Route.service_date), col(Route.vehicle_id))
    )
    return {
        route.id or 0: list(
            session.exec(
                select(Visit).where(Visit.route_id == route.id).order_by(col(Visit.sequence))
            )
        )
        for route in routes
    }


def _mark_two_stops_approximate(session: Session) -> None:
    for index, stop in enumerate(session.exec(select(Stop).order_by(col(Stop.id)))):
        stop.approximate = index < 2
        session.add(stop)


def test_the_week_counts_check_ins_per_route_and_overall(engine: Engine, region: Region) -> None:
    plan_id = _publish_a_week(engine)
    zone = ZoneInfo(region.timezone)
    with session_scope(engine) as session:
        _mark_two_stops_approximate(session)
        routes = _routes(session, plan_id)
        dates = {r.id: r.service_date for r in session.exec(select(Route))}
        # The longest route of the week's first days (a short solve may leave one route short).
        monday = max(
            (rid for rid in routes if dates[rid] <= WEDNESDAY), key=lambda rid: len(routes[rid])
        )
        assert len(routes[monday]) > 2
        later = next(rid for rid in routes if dates[rid] > WEDNESDAY)
        first, second, third = routes[monday][:3]
        # Each tapped at the stop, on the route's day (a tap on another day is refused).
        record_checkin(session, first, "selesai", now=first.planned_departure)
        record_checkin(session, second, "selesai", now=second.planned_departure)
        record_checkin(session, third, "dilewati", "Jalan banjir", now=third.planned_departure)
        record_checkin(session, routes[later][0], "tiba", now=routes[later][0].planned_arrival)

    with Session(engine) as session:
        overview = week_overview(session, dt.datetime.combine(WEDNESDAY, dt.time(0), zone))

    assert overview.plan is not None and overview.plan.id == plan_id
    assert overview.week_start == MONDAY
    assert [r.route_id for r in overview.routes] == list(routes)
    assert overview.planned == sum(len(visits) for visits in routes.values()) > 4
    assert (overview.done, overview.skipped) == (2, 1)
    by_route = {r.route_id: r for r in overview.routes}
    assert by_route[monday].counts == {"selesai": 2, "dilewati": 1}
    assert by_route[monday].done == 2 and by_route[monday].planned == len(routes[monday])
    assert by_route[later].counts == {"tiba": 1} and by_route[later].done == 0
    assert all(not r.counts for rid, r in by_route.items() if rid not in (monday, later))
    # Routes that began before Wednesday and sent nothing need attention; the one that
    # checked in does not, nor do the routes still to come.
    started = {rid for rid in routes if dates[rid] < WEDNESDAY}
    assert {r.route_id for r in overview.late_routes} == started - {monday}
    assert [(c.status, c.note) for c in overview.latest] == [
        ("tiba", ""),
        ("dilewati", "Jalan banjir"),
        ("selesai", ""),
        ("selesai", ""),
    ]
    assert overview.approximate_stops == 2
    assert overview.unserved_visits == sum(int(u.get("visits", 1)) for u in overview.plan.unserved)


def test_without_a_published_plan_the_week_is_empty(engine: Engine, region: Region) -> None:
    zone = ZoneInfo(region.timezone)
    with session_scope(engine) as session:
        _mark_two_stops_approximate(session)
        problem, context = build_problem(session, MONDAY, 1)
        draft = store_plan(session, problem, solved_once(problem), context, 1)
        visit = session.exec(select(Visit)).first()
        assert visit is not None
        # On a draft: not this week's work.
        record_checkin(session, visit, "selesai", now=visit.planned_departure)

    with Session(engine) as session:
        overview = week_overview(session, dt.datetime.combine(WEDNESDAY, dt.time(9), zone))

    assert draft.id is not None and overview.plan is None
    assert (overview.planned, overview.done, overview.skipped) == (0, 0, 0)
    assert overview.routes == () and overview.latest == () and overview.late_routes == ()
    assert overview.week_start == MONDAY and overview.approximate_stops == 2
