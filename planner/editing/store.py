"""Reading and saving stops and vehicles for the forms and lists (the queries of the editing room).

Saving raises NameTakenError when another coordinator stored the same name meanwhile (the
database's unique constraint); the session is rolled back and nothing is half-saved.
"""

from collections.abc import Iterable, Mapping

from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from planner.core import KelilingError, _
from planner.demand import refresh_aggregates
from planner.store import STOP_KINDS, Route, Stop, Vehicle, Village, Visit

# Filter values of the stop list: status -> condition on Stop.
STATUS_CONDITIONS = {
    "aktif": col(Stop.active),
    "nonaktif": ~col(Stop.active),
    "perkiraan": col(Stop.approximate),
}


class NameTakenError(KelilingError):
    """Another stop or vehicle already has this name."""


def stops_with_villages(
    session: Session, village_code: str = "", kind: str = "", status: str = ""
) -> list[tuple[Stop, Village]]:
    """Stops with their village, by village then name; unknown filter values are ignored."""
    query = select(Stop, Village).join(Village).order_by(col(Village.name), col(Stop.name))
    if village_code:
        query = query.where(Village.code == village_code)
    if kind in STOP_KINDS:
        query = query.where(Stop.kind == kind)
    if status in STATUS_CONDITIONS:
        query = query.where(STATUS_CONDITIONS[status])
    return [(stop, village) for stop, village in session.exec(query)]


def other_stop_names(session: Session, stop_id: int | None) -> list[tuple[str, str]]:
    """(village code, name) of every stop but this one: names must differ within a village."""
    query = select(Village.code, Stop.name).join(Village, col(Stop.village_id) == Village.id)
    if stop_id is not None:
        query = query.where(col(Stop.id) != stop_id)
    return [(code, name) for code, name in session.exec(query)]


def other_active_stops(session: Session, stop_id: int | None) -> list[Stop]:
    """The active stops but this one (shown as neighbours on the stop's map)."""
    query = select(Stop).where(col(Stop.active))
    if stop_id is not None:
        query = query.where(col(Stop.id) != stop_id)
    return list(session.exec(query))


def visit_count(session: Session, stop_id: int | None) -> int:
    """How many planned visits (in any plan) this stop has."""
    if stop_id is None:
        return 0
    query = select(func.count()).select_from(Visit).where(Visit.stop_id == stop_id)
    return int(session.exec(query).one())


def vehicles_for_list(session: Session) -> list[Vehicle]:
    """The fleet, active vehicles first, by name."""
    query = select(Vehicle).order_by(col(Vehicle.active).desc(), col(Vehicle.name))
    return list(session.exec(query))


def other_vehicle_names(session: Session, vehicle_id: int | None) -> list[str]:
    """The names of every vehicle but this one."""
    query = select(Vehicle.name)
    if vehicle_id is not None:
        query = query.where(col(Vehicle.id) != vehicle_id)
    return list(session.exec(query))


def route_count(session: Session, vehicle_id: int | None) -> int:
    """How many routes (in any plan) this vehicle drives."""
    if vehicle_id is None:
        return 0
    query = select(func.count()).select_from(Route).where(Route.vehicle_id == vehicle_id)
    return int(session.exec(query).one())


def save_record(session: Session, record: Stop | Vehicle) -> None:
    """Commit a stop or vehicle; NameTakenError (rolled back) when its name is already used."""
    session.add(record)
    try:
        if isinstance(record, Stop):
            _refresh_moved_events(session, record)
        session.commit()
    except IntegrityError:
        session.rollback()
        msg = _("The name '{name}' is already taken.").format(name=record.name)
        raise NameTakenError(msg) from None


def _refresh_moved_events(session: Session, stop: Stop) -> None:
    """A stop moved to another village takes its logged visits along: count both again."""
    moved = inspect(stop).attrs.village_id.history
    if stop.id is not None and moved.deleted:
        session.flush()
        refresh_aggregates(session, [*moved.deleted, *moved.added], answers=False)


def set_active(session: Session, record: Stop | Vehicle, active: bool) -> None:
    """Include a stop or vehicle in planning again, or leave it out; its history stays."""
    record.active = active
    session.add(record)
    session.commit()


def village_id_of(villages: Iterable[Village], code: str) -> int:
    """The id of the village with this code among `villages`."""
    found: Mapping[str, int | None] = {v.code: v.id for v in villages}
    village_id = found[code]
    assert village_id is not None
    return village_id
