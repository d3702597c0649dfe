"""The iCalendar export: one event per visit in the region's zone, stable UIDs."""

import datetime as dt
from typing import Any

from icalendar import Calendar

from planner.exports import plan_ics
from tests.planner.exports.helpers import (
    BALOKANG,
    FORMULA_NAME,
    SCRIPT_NAME,
    TRICKY_NOTE,
    WIB,
    _events,
    _visit,
    make_plan,
)


def test_ics_has_one_event_per_visit_in_wib(plan: dict[str, Any]) -> None:
    events = _events(plan_ics(plan))
    assert [e["summary"] for e in events] == [
        "Perpustakaan Keliling: Titik layanan Balokang",
        f"Perpustakaan Keliling: {SCRIPT_NAME}",
        f"Perpustakaan Keliling: {FORMULA_NAME}",
    ]
    first = events[0]
    assert first.start == dt.datetime(2026, 11, 30, 8, 5, tzinfo=WIB)
    assert first.end == dt.datetime(2026, 11, 30, 8, 50, tzinfo=WIB)
    assert first["dtstart"].params["TZID"] == "Asia/Jakarta"
    assert first.start.utcoffset() == dt.timedelta(hours=7)
    assert (first["geo"].latitude, first["geo"].longitude) == (-7.3601, 108.5302)
    assert first["location"] == "Titik layanan Balokang, Balokang"


def test_ics_description_names_the_vehicle_and_keeps_notes(plan: dict[str, Any]) -> None:
    description = str(_events(plan_ics(plan))[1]["description"])
    assert "Kendaraan: Mobil Pusling 1" in description
    assert TRICKY_NOTE in description


def test_ics_carries_the_jakarta_timezone_and_calendar_name(plan: dict[str, Any]) -> None:
    calendar = Calendar.from_ical(plan_ics(plan))
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Jakarta"]
    assert calendar["X-WR-TIMEZONE"] == "Asia/Jakarta"
    assert "Kota Banjar" in calendar["X-WR-CALNAME"]


def test_ics_uids_are_unique_and_stable_across_exports(plan: dict[str, Any]) -> None:
    earlier = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    first = [str(e["uid"]) for e in _events(plan_ics(plan, stamp=earlier))]
    second = [str(e["uid"]) for e in _events(plan_ics(make_plan()))]
    assert first == second
    assert len(set(first)) == 3
    assert first[0] == "keliling-12-2026-11-30-mobil-pusling-1-3@keliling"


def test_ics_uids_stay_unique_when_a_route_visits_a_stop_twice(plan: dict[str, Any]) -> None:
    monday = plan["routes"][0]["visits"]
    again = _visit(3, BALOKANG, "Balokang", -7.3601, 108.5302, "2026-11-30 14:00 14:45")
    monday.append(again)
    uids = [str(e["uid"]) for e in _events(plan_ics(plan))]
    assert len(uids) == len(set(uids)) == 4


# GeoJSON
