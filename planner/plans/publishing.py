"""Publishing a draft plan (the previous one is archived, never lost) and recording check-ins."""

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from planner.core import KelilingError, _
from planner.store import (
    CHECKIN_STATUSES,
    CheckIn,
    Plan,
    Route,
    Visit,
    get_or_raise,
    region_zone,
    utcnow,
)

MAX_NOTE_LENGTH = 1000
# A tap counts from the start of the route's day to the end of the next day (in the region's
# zone): a late finish or a late edit still counts, a tap days early or from a phone whose clock
# says 1999 never does.
CHECKIN_DAYS_AFTER_ROUTE = 1


class OutsideRouteDayError(KelilingError):
    """A check-in whose tap time is not on the route's day (or the day after)."""

    def __init__(self, service_date: date, tapped: datetime) -> None:
        self.service_date = service_date
        self.tapped = tapped
        super().__init__(
            _(
                "The tap time {tapped} is outside the route's day ({day}); check the date and "
                "time on the phone."
            ).format(tapped=f"{tapped:%Y-%m-%d %H:%M}", day=f"{service_date:%Y-%m-%d}")
        )


def _utc(moment: datetime) -> datetime:
    # Databases without time zones hand back UTC without an offset.
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def checkin_window(service_date: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """When a tap on the route of `service_date` counts: [start, end) in the region's zone."""
    start = datetime.combine(service_date, time(0), tzinfo=zone)
    return start, start + timedelta(days=1 + CHECKIN_DAYS_AFTER_ROUTE)


def on_route_day(tapped: datetime, service_date: date, zone: tzinfo) -> bool:
    """Whether a tap (aware; naive is read as UTC) falls in the route's check-in window."""
    start, end = checkin_window(service_date, zone)
    return start <= _utc(tapped) < end


def publish_plan(session: Session, plan_id: int) -> Plan:
    """Publish a draft; the plan published before it becomes archived."""
    plan = get_or_raise(session, Plan, plan_id, _("Plan"))
    if plan.status == "published":
        return plan
    if plan.solve_status != "ok":
        msg = _("Plan #{id} could not be made and cannot be published.").format(id=plan_id)
        raise KelilingError(msg)
    if session.exec(select(Route).where(Route.plan_id == plan_id)).first() is None:
        msg = _("Plan #{id} has no routes; nothing was published.").format(id=plan_id)
        raise KelilingError(msg)
    for old in session.exec(select(Plan).where(Plan.status == "published")):
        old.status = "archived"
        session.add(old)
    plan.status = "published"
    plan.published_at = utcnow()
    session.add(plan)
    session.flush()
    return plan


def record_checkin(
    session: Session,
    visit: Visit,
    status: str,
    note: str = "",
    tapped_at: datetime | None = None,
    now: datetime | None = None,
) -> tuple[CheckIn, bool]:
    """Record tiba/selesai/dilewati once per visit; a repeated tap returns the first one.

    The tap time (the phone's clock, later than `now` read as `now`) must fall on the route's
    day or the day after, else OutsideRouteDayError: such a tap is never stored, so it never counts
    as done. `now` is the server's clock (tests give their own).
    """
    if status not in CHECKIN_STATUSES:
        msg = _("The status '{status}' is unknown; choose {statuses}.").format(
            status=status, statuses=", ".join(CHECKIN_STATUSES)
        )
        raise KelilingError(msg)
    if status == "dilewati" and not note.strip():
        raise KelilingError(_("Write why this point was skipped."))
    now = _utc(now) if now is not None else utcnow()
    tapped = min(_utc(tapped_at), now) if tapped_at is not None else now
    route, zone = get_or_raise(session, Route, visit.route_id, _("Route")), region_zone(session)
    if not on_route_day(tapped, route.service_date, zone):
        raise OutsideRouteDayError(route.service_date, tapped.astimezone(zone))
    existing = session.exec(
        select(CheckIn).where(CheckIn.visit_id == visit.id, CheckIn.status == status)
    ).first()
    if existing is not None:
        return existing, False
    assert visit.id is not None
    checkin = CheckIn(
        visit_id=visit.id,
        status=status,
        note=note.strip()[:MAX_NOTE_LENGTH],
        recorded_at=now,
        tapped_at=tapped,
    )
    try:
        with session.begin_nested():
            session.add(checkin)
    except IntegrityError:  # the same tap arrived twice at once
        found = session.exec(
            select(CheckIn).where(CheckIn.visit_id == visit.id, CheckIn.status == status)
        ).one()
        return found, False
    return checkin, True


def checkins_by_visit(session: Session, visit_ids: list[int]) -> dict[int, dict[str, CheckIn]]:
    """Check-ins of the given visits, keyed by visit and status."""
    found: dict[int, dict[str, CheckIn]] = {}
    if not visit_ids:
        return found
    for checkin in session.exec(select(CheckIn).where(col(CheckIn.visit_id).in_(visit_ids))):
        found.setdefault(checkin.visit_id, {})[checkin.status] = checkin
    return found
