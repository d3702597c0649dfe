"""Storing hand-made plans and reading calendars back, for the schedule tests."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from dateutil.rrule import rrulestr
from icalendar import Calendar
from sqlmodel import Session, col, select

from planner.schedule import Schedule, ScheduledStop
from planner.store import Plan, Region, Route, Stop, Vehicle, Visit
from tests.factories import WIB

MONDAY = dt.date(2026, 11, 30)
WEDNESDAY = dt.date(2026, 12, 2)
STAMP = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
LINK = "https://keliling.example/jadwal/titik/1"
XSS = "<script>alert(1)</script>"
# (stop index, day offset from the plan's start, start, end)
Slot = tuple[int, int, str, str]


def at(day: dt.date, hhmm: str) -> dt.datetime:
    """The WIB moment `hhmm` on `day`."""
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), WIB)


def on_weekday(start: dt.date, weeks: int, weekday: int) -> list[int]:
    """Day offsets of every `weekday` in the rotation."""
    return [d for d in range(7 * weeks) if (start + dt.timedelta(days=d)).weekday() == weekday]


def store(session: Session, status: str, start: dt.date, weeks: int, slots: Iterable[Slot]) -> int:
    """A plan with one route per day; start times carry seconds, as the solver's do."""
    region = session.exec(select(Region)).one()
    vehicle = session.exec(select(Vehicle).order_by(col(Vehicle.id))).first()
    stops = list(session.exec(select(Stop.id).order_by(col(Stop.id))))
    assert region.id is not None and vehicle is not None and vehicle.id is not None
    plan = Plan(region_id=region.id, status=status, start_date=start, weeks=weeks)
    plan.published_at = STAMP if status == "published" else None
    session.add(plan)
    session.flush()
    assert plan.id is not None
    by_day: dict[int, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[slot[1]].append(slot)
    for offset, day_slots in sorted(by_day.items()):
        day = start + dt.timedelta(days=offset)
        route = Route(plan_id=plan.id, vehicle_id=vehicle.id, service_date=day)
        session.add(route)
        session.flush()
        assert route.id is not None
        for sequence, (index, _, begin, end) in enumerate(sorted(day_slots, key=lambda s: s[2])):
            start_at = at(day, begin) + dt.timedelta(seconds=42)
            session.add(
                Visit(
                    route_id=route.id,
                    stop_id=stops[index],
                    sequence=sequence + 1,
                    planned_arrival=start_at - dt.timedelta(minutes=4),
                    planned_start=start_at,
                    planned_departure=at(day, end),
                )
            )
    session.flush()
    return plan.id


def expected(start: dt.date, slots: Iterable[Slot], index: int) -> set[tuple[dt.datetime, ...]]:
    """The (start, end) of every slot of stop `index`, as datetimes."""
    return {
        (at(start + dt.timedelta(days=d), b), at(start + dt.timedelta(days=d), e))
        for i, d, b, e in slots
        if i == index
    }


def _stop(schedule: Schedule, index: int) -> ScheduledStop:
    """The stop `store` calls `index` (stops in id order)."""
    return sorted(schedule.stops, key=lambda s: s.id)[index]


def two_week_slots(start: dt.date) -> list[Slot]:
    """Stop 0: Monday and Thursday 08:05 plus Saturday 13:00 every week; stop 1 moves around."""
    weekly = [(0, d, "08:05", "08:50") for w in (0, 3) for d in on_weekday(start, 2, w)] + [
        (0, d, "13:00", "13:45") for d in on_weekday(start, 2, 5)
    ]
    moving = [(1, on_weekday(start, 2, 1)[0], "09:00", "09:45")]
    moving.append((1, on_weekday(start, 2, 2)[1], "10:00", "10:45"))
    return weekly + moving


def week(days: int) -> dt.timedelta:
    """`days` weeks as a timedelta."""
    return dt.timedelta(days=7 * days)


def occurrences(calendar: Calendar) -> set[tuple[dt.datetime, ...]]:
    """Every (start, end) a calendar's events cover, weekly repeats expanded."""
    found: set[tuple[dt.datetime, ...]] = set()
    for event in calendar.events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert event["dtstart"].params["TZID"] == "Asia/Jakarta"
        starts = [start]
        if "rrule" in event:
            starts = list(rrulestr(event["rrule"].to_ical().decode(), dtstart=start))
        found |= {(s, s + (end - start)) for s in starts}
    return found
