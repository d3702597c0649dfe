"""Finding logged outreach events: by date range (WIB days), village and type, newest first."""

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from planner.demand import event_attendance
from planner.exports import WIB
from planner.outreach.form import AGE_GROUPS, SEXES, attendance_cell
from planner.store import EVENT_TYPES, OutreachEvent, Stop, Village


@dataclass(frozen=True)
class EventFilter:
    """Which events to list; empty fields do not filter. Dates are WIB days, both included."""

    start: dt.date | None = None
    end: dt.date | None = None
    village_code: str = ""
    event_type: str = ""


@dataclass(frozen=True)
class EventRow:
    """A logged event with where it happened."""

    event: OutreachEvent
    stop_name: str
    village_code: str
    village_name: str

    @property
    def starts_at(self) -> dt.datetime:
        """Start in WIB."""
        return self.event.starts_at.astimezone(WIB)

    @property
    def ends_at(self) -> dt.datetime | None:
        """End in WIB, if logged."""
        return self.event.ends_at.astimezone(WIB) if self.event.ends_at else None

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


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=WIB)


def list_events(session: Session, filters: EventFilter | None = None) -> list[EventRow]:
    """The events matching `filters`, newest first."""
    chosen = filters or EventFilter()
    query = (
        select(OutreachEvent, Stop, Village)
        .join(Stop, col(OutreachEvent.stop_id) == col(Stop.id))
        .join(Village, col(Stop.village_id) == col(Village.id))
    )
    # Dates beyond these bounds filter nothing out (and would overflow in UTC).
    if chosen.start is not None and chosen.start > EARLIEST:
        query = query.where(col(OutreachEvent.starts_at) >= _midnight(chosen.start))
    if chosen.end is not None and chosen.end < LATEST:
        next_day = _midnight(chosen.end + dt.timedelta(days=1))
        query = query.where(col(OutreachEvent.starts_at) < next_day)
    if chosen.village_code:
        query = query.where(Village.code == chosen.village_code)
    if chosen.event_type in EVENT_TYPES:
        query = query.where(OutreachEvent.event_type == chosen.event_type)
    query = query.order_by(col(OutreachEvent.starts_at).desc(), col(OutreachEvent.id).desc())
    return [
        EventRow(event, stop.name, village.code, village.name)
        for event, stop, village in session.exec(query)
    ]
