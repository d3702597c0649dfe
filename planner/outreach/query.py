"""Finding logged outreach events: by local date range, village and type, newest first."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, func
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


def _filtered(session: Session, chosen: EventFilter, *columns: Any) -> Select[Any]:
    """`columns` of the events matching `chosen` (joined with their stop and village)."""
    zone = region_zone(session)

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(0), tzinfo=zone)

    query: Select[Any] = (
        select(*columns)
        .select_from(OutreachEvent)
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
        query = query.where(col(Village.code) == chosen.village_code)
    if chosen.event_type in EVENT_TYPES:
        query = query.where(col(OutreachEvent.event_type) == chosen.event_type)
    return query


def list_events(
    session: Session, filters: EventFilter | None = None, limit: int | None = None, offset: int = 0
) -> list[EventRow]:
    """The events matching `filters`, newest first (`limit` of them after `offset`, if given)."""
    query = _filtered(session, filters or EventFilter(), OutreachEvent, Stop, Village)
    query = query.order_by(col(OutreachEvent.starts_at).desc(), col(OutreachEvent.id).desc())
    if limit is not None:
        query = query.limit(limit).offset(offset)
    zone = region_zone(session)
    return [
        EventRow(event, stop.name, village.code, village.name, zone)
        for event, stop, village in session.execute(query)
    ]


def count_events(session: Session, filters: EventFilter | None = None) -> int:
    """How many events match `filters`."""
    query = _filtered(session, filters or EventFilter(), func.count(col(OutreachEvent.id)))
    return int(session.execute(query).scalar_one())


def event_counts(session: Session, filters: EventFilter | None = None) -> list[Row[Any]]:
    """Attendance, satisfaction, books lent and new members of each matching event (for totals
    without loading the events)."""
    columns = (
        OutreachEvent.attendance,
        OutreachEvent.satisfaction,
        OutreachEvent.books_lent,
        OutreachEvent.new_members,
    )
    return list(session.execute(_filtered(session, filters or EventFilter(), *columns)).all())


@dataclass(frozen=True)
class EventPage:
    """One page of a filtered event list: its rows, which page, of how many, of how many events."""

    rows: list[EventRow]
    page: int
    pages: int
    count: int
    first: int
    last: int


def event_page(session: Session, filters: EventFilter, page: int, per_page: int) -> EventPage:
    """Page `page` (1-based; kept within the pages there are) of the matching events."""
    count = count_events(session, filters)
    pages = max(1, -(-count // per_page))
    page = min(max(page, 1), pages)
    rows = list_events(session, filters, per_page, (page - 1) * per_page)
    first = (page - 1) * per_page + 1 if rows else 0
    return EventPage(rows, page, pages, count, first, first + len(rows) - 1 if rows else 0)
