"""Finding logged outreach events: by local date range, village and type, newest first."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from planner.demand import event_attendance
from planner.outreach.form import AGE_GROUPS, SEXES, attendance_cell
from planner.store import EVENT_TYPES, OutreachEvent, Stop, Village, region_zone


@dataclass(frozen=True)
class EventFilter:
    """Which events to list; empty fields do not filter. Dates are local days, both included."""

    start: dt.date | None = None
    end: dt.date | None = None
    village_code: str = ""
    event_type: str = ""


@dataclass(frozen=True)
class EventRow:
    """A logged event with where it happened, its times read in the region's `zone`."""

    event: OutreachEvent
    stop_name: str
    village_code: str
    village_name: str
    zone: ZoneInfo

    @property
    def starts_at(self) -> dt.datetime:
        """Start, local time."""
        return self.event.starts_at.astimezone(self.zone)

    @property
    def ends_at(self) -> dt.datetime | None:
        """End, local time, if logged."""
        return self.event.ends_at.astimezone(self.zone) if self.event.ends_at else None

    @property
    def by_group(self) -> dict[str, int]:
        """People per age group, both sexes."""
        cells = self.event.attendance
        return {g: sum(attendance_cell(cells, g, s) for s in SEXES) for g in AGE_GROUPS}

    @property
    def total(self) -> int:
        """Everyone who attended."""
        return event_attendance(self.event.attendance)


EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(9999, 1, 1)


def list_events(session: Session, filters: EventFilter | None = None) -> list[EventRow]:
    """The events matching `filters`, newest first."""
    chosen = filters or EventFilter()
    zone = region_zone(session)

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(0), tzinfo=zone)

    query = (
        select(OutreachEvent, Stop, Village)
        .join(Stop, col(OutreachEvent.stop_id) == col(Stop.id))
        .join(Village, col(Stop.village_id) == col(Village.id))
    )
    # Dates beyond these bounds filter nothing out (and would overflow in UTC).
    if chosen.start is not None and chosen.start > EARLIEST:
        query = query.where(col(OutreachEvent.starts_at) >= midnight(chosen.start))
    if chosen.end is not None and chosen.end < LATEST:
        next_day = midnight(chosen.end + dt.timedelta(days=1))
        query = query.where(col(OutreachEvent.starts_at) < next_day)
    if chosen.village_code:
        query = query.where(Village.code == chosen.village_code)
    if chosen.event_type in EVENT_TYPES:
        query = query.where(OutreachEvent.event_type == chosen.event_type)
    query = query.order_by(col(OutreachEvent.starts_at).desc(), col(OutreachEvent.id).desc())
    return [
        EventRow(event, stop.name, village.code, village.name, zone)
        for event, stop, village in session.exec(query)
    ]
