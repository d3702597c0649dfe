"""The lists the JSON API pages through: the queries, and one page of a query's rows."""

from typing import Any

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from planner.store.models import CheckIn, Plan, Route, Stop, Vehicle, Village, Visit


def page_rows(session: Session, query: Any, limit: int, offset: int) -> tuple[list[Any], int]:
    """Rows `offset` to `offset + limit` of a query, and how many rows it has in all."""
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    return list(session.exec(query.limit(limit).offset(offset))), int(total)


def villages_query() -> SelectOfScalar[Village]:
    """The region's villages by code."""
    return select(Village).order_by(col(Village.code))


def village_by_code(session: Session, code: str) -> Village | None:
    """The village with this code (e.g. 32.79.01.1001), if any."""
    return session.exec(select(Village).where(Village.code == code)).first()


def village_stop_ids(session: Session, village_id: int | None) -> list[int]:
    """The ids of a village's stops, in order."""
    query = select(Stop.id).where(Stop.village_id == village_id).order_by(col(Stop.id))
    return [stop_id for stop_id in session.exec(query) if stop_id is not None]


def stops_query(stop_id: int | None = None) -> Any:
    """Stops with their village, by village code and name (one stop when `stop_id` is given)."""
    query = select(Stop, Village).join(Village, col(Stop.village_id) == col(Village.id))
    if stop_id is not None:
        query = query.where(Stop.id == stop_id)
    return query.order_by(col(Village.code), col(Stop.name), col(Stop.id))


def stop_with_village(session: Session, stop_id: int) -> tuple[Stop, Village] | None:
    """One stop and its village, if the stop exists."""
    found = session.exec(stops_query(stop_id)).first()
    return (found[0], found[1]) if found is not None else None


def plans_query() -> SelectOfScalar[Plan]:
    """Plans, newest first."""
    return select(Plan).order_by(col(Plan.id).desc())


def checkins_query(plan_id: int | None) -> Any:
    """A plan's check-ins with their visit, route, stop and vehicle name, newest first."""
    # sqlmodel's select() overloads stop at four columns; this one has five.
    query = select(CheckIn, Visit, Route, Stop, Vehicle.name)  # type: ignore[call-overload]
    return (
        query.join(Visit, col(CheckIn.visit_id) == col(Visit.id))
        .join(Route, col(Visit.route_id) == col(Route.id))
        .join(Stop, col(Visit.stop_id) == col(Stop.id))
        .join(Vehicle, col(Route.vehicle_id) == col(Vehicle.id))
        .where(Route.plan_id == plan_id)
        .order_by(col(CheckIn.recorded_at).desc(), col(CheckIn.id).desc())
    )
