"""The lookups every room shares: region, zone, depot, villages, active stops, published plan."""

from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session, SQLModel, col, func, select

from planner.core import N_, NotFoundError, _, zone_of
from planner.store.models import Depot, Plan, Region, Stop, Village

NO_REGION = N_("There is no region in the database yet: run 'keliling init' first.")
Row = TypeVar("Row", bound=SQLModel)


def get_or_raise(session: Session, model: type[Row], row_id: int, label: str) -> Row:
    """The row with this id, or NotFoundError '<label> #<id> tidak ada.'; `label` names the
    kind of row in the planner's language (`_("Plan")`)."""
    row = session.get(model, row_id)
    if row is None:
        msg = _("{label} #{id} does not exist.").format(label=label, id=row_id)
        raise NotFoundError(msg)
    return row


def current_region(session: Session) -> Region:
    """The installed region (one per database), or NotFoundError telling how to install one."""
    region = session.exec(select(Region)).first()
    if region is None:
        raise NotFoundError(_(NO_REGION))
    return region


def region_zone(session: Session) -> ZoneInfo:
    """The installed region's time zone (from its pack), in which every local time is shown."""
    return zone_of(current_region(session).timezone)


def region_depot(session: Session, region_id: int | None = None) -> Depot | None:
    """The depot vehicles start from (of one region when given), or None before it is set."""
    query = select(Depot)
    if region_id is not None:
        query = query.where(Depot.region_id == region_id)
    return session.exec(query.order_by(col(Depot.id))).first()


def published_plan(session: Session) -> Plan | None:
    """The plan residents and drivers currently follow."""
    return session.exec(select(Plan).where(Plan.status == "published")).first()


def villages_by_code(session: Session) -> list[Village]:
    """Every village of the region, by code (the order of the official lists)."""
    return list(session.exec(select(Village).order_by(col(Village.code))))


def villages_by_name(session: Session) -> list[Village]:
    """Every village of the region, by name (the order of a choice list)."""
    return list(session.exec(select(Village).order_by(col(Village.name))))


def active_stops(session: Session) -> list[Stop]:
    """Stops that take part in planning, by name."""
    return list(session.exec(select(Stop).where(col(Stop.active)).order_by(col(Stop.name))))


def stop_counts(session: Session) -> dict[int, int]:
    """How many stops (active or not) each village has, by village id."""
    query = select(Stop.village_id, func.count()).group_by(col(Stop.village_id))
    return {village_id: count for village_id, count in session.exec(query)}


def stop_ids(session: Session) -> set[int]:
    """The ids of every stop, active or not (an event may name any of them)."""
    return {stop_id for stop_id in session.exec(select(Stop.id)) if stop_id is not None}
