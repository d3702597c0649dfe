"""A stop's calendar: the published visits, weekly repeats, hostile names kept as text."""

import datetime as dt

import pytest
from icalendar import Calendar
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from planner.schedule import load_schedule, stop_ics
from planner.store import Region, Stop, session_scope
from tests.planner.schedule.helpers import (
    LINK,
    MONDAY,
    WEDNESDAY,
    XSS,
    _stop,
    expected,
    occurrences,
    store,
    two_week_slots,
)


@pytest.mark.parametrize("start", [MONDAY, WEDNESDAY])
def test_calendar_events_equal_the_published_visits(
    engine: Engine, region: Region, start: dt.date
) -> None:
    slots = two_week_slots(start)
    with session_scope(engine) as session:
        store(session, "draft", start, 2, [(0, 0, "06:00", "06:45")])
        store(session, "published", start, 2, slots)
        schedule = load_schedule(session)
    weekly, moving = _stop(schedule, 0), _stop(schedule, 1)
    calendar = Calendar.from_ical(stop_ics(schedule, weekly, LINK))
    assert len(calendar.events) == 2  # Mon+Thu 08:05 and Sat 13:00, each repeating
    days = {e["rrule"].to_ical().decode().split(";BYDAY=")[1] for e in calendar.events}
    assert days == {"MO,TH", "SA"}
    assert occurrences(calendar) == expected(start, slots, 0)
    dated = Calendar.from_ical(stop_ics(schedule, moving, LINK))
    assert all("rrule" not in e for e in dated.events) and len(dated.events) == 2
    assert occurrences(dated) == expected(start, slots, 1)
    for stop, cal in ((weekly, calendar), (moving, dated)):
        assert str(cal["x-wr-calname"]).startswith(f"Perpustakaan Keliling: {stop.name}")
        for event in cal.events:
            assert (event["geo"].latitude, event["geo"].longitude) == (stop.lat, stop.lon)
            assert stop.name in str(event["location"]) and str(event["url"]) == LINK
    assert stop_ics(schedule, weekly, LINK) == stop_ics(schedule, weekly, LINK)  # stable UIDs


def test_calendar_carries_hostile_names_as_text(engine: Engine, region: Region) -> None:
    name = f"Balai\r\nBEGIN:VEVENT;X, {XSS}"
    with session_scope(engine) as session:
        stop = session.exec(select(Stop).order_by(col(Stop.id))).first()
        assert stop is not None
        stop.name = name
        session.add(stop)
        store(session, "published", MONDAY, 1, [(0, 0, "08:00", "08:45")])
        schedule = load_schedule(session)
    calendar = Calendar.from_ical(stop_ics(schedule, _stop(schedule, 0), LINK))
    [event] = calendar.events
    assert str(event["summary"]) == f"Perpustakaan Keliling: Balai\nBEGIN:VEVENT;X, {XSS}"
    assert "BEGIN:VEVENT;X" in str(calendar["x-wr-calname"])
