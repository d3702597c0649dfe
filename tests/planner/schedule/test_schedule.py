"""The residents' schedule: published plan only, weekly repeats, nearest stops, the calendar."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.core import haversine_m
from planner.schedule import (
    Schedule,
    ScheduledStop,
    ScheduledVisit,
    VillageInfo,
    WeeklySlot,
    find_places,
    load_schedule,
    nearest_stops,
    social_text,
    stop_ics,
    weekly_slots,
)
from planner.store import Plan, Region, Route, Stop, Vehicle, Village, Visit, session_scope
from tests.factories import WIB

MONDAY = dt.date(2026, 11, 30)
WEDNESDAY = dt.date(2026, 12, 2)
STAMP = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
LINK = "https://keliling.example/jadwal/titik/1"
XSS = "<script>alert(1)</script>"
# (stop index, day offset from the plan's start, start, end)
Slot = tuple[int, int, str, str]


def at(day: dt.date, hhmm: str) -> dt.datetime:
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


def test_only_the_published_plan_reaches_residents(engine: Engine, region: Region) -> None:
    with session_scope(engine) as session:
        store(session, "draft", MONDAY, 1, [(0, 0, "08:00", "08:45")])
        store(session, "archived", MONDAY, 1, [(1, 1, "09:00", "09:45")])
        schedule = load_schedule(session)
        assert not schedule.published and all(not s.visits for s in schedule.stops)
        assert len(schedule.villages) == 25 and len(schedule.stops) == 25
        store(session, "published", MONDAY, 1, [(2, 2, "10:00", "10:45"), (2, 4, "13:00", "13:45")])
    with Session(engine) as session:
        schedule = load_schedule(session)
    with_visits = [s for s in schedule.stops if s.visits]
    assert len(with_visits) == 1 and schedule.last_day == MONDAY + dt.timedelta(days=6)
    [stop] = with_visits
    starts = [(v.start, v.end) for v in stop.visits]
    wednesday, friday = MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=4)
    assert starts == [
        (at(wednesday, "10:00"), at(wednesday, "10:45")),
        (at(friday, "13:00"), at(friday, "13:45")),
    ]
    # a visit under way is still upcoming; one that is over is not
    assert stop.upcoming(at(wednesday, "10:30")) == stop.visits
    assert stop.upcoming(at(wednesday, "10:45")) == stop.visits[1:]
    assert stop.next_visit(at(friday, "14:00")) is None


def test_stops_are_grouped_under_their_villages(engine: Engine, region: Region) -> None:
    with Session(engine) as session:
        schedule = load_schedule(session)
        hegarsari = session.exec(select(Village).where(Village.name == "Hegarsari")).one()
    stops = schedule.stops_of(hegarsari.code)
    assert [s.village.name for s in stops] == ["Hegarsari"]
    assert stops[0].village.kecamatan == hegarsari.kecamatan and stops[0].approximate


def visit(day: dt.date, begin: str, end: str = "") -> ScheduledVisit:
    start = at(day, begin)
    finish = at(day, end) if end else start + dt.timedelta(minutes=45)
    return ScheduledVisit(1, start, finish, "Mobil")


def week(days: int) -> dt.timedelta:
    return dt.timedelta(days=7 * days)


MON_0805 = WeeklySlot(0, dt.time(8, 5), dt.time(8, 50))


@pytest.mark.parametrize(
    ("visits", "weeks", "slots"),
    [
        ((visit(MONDAY, "08:05"),), 1, (MON_0805,)),
        ((visit(MONDAY, "08:05"), visit(MONDAY + week(1), "08:05")), 2, (MON_0805,)),
        ((visit(MONDAY, "08:05"),), 2, None),  # week 2 skipped
        ((visit(MONDAY, "08:05"), visit(MONDAY + week(1), "08:10")), 2, None),  # time moved
        ((visit(MONDAY, "08:05"), visit(MONDAY + week(1), "08:05", "09:00")), 2, None),
        (
            (visit(MONDAY, "08:05"), visit(MONDAY + week(1) + dt.timedelta(days=1), "08:05")),
            2,
            None,
        ),
        (
            (visit(MONDAY, "08:05"), visit(MONDAY, "13:00"), visit(MONDAY + week(1), "08:05")),
            2,
            None,
        ),
        ((visit(MONDAY, "08:05"), visit(MONDAY + week(1), "08:05")), 1, None),  # outside
        ((), 1, None),
    ],
)
def test_weekly_repeat_detection(
    visits: tuple[ScheduledVisit, ...], weeks: int, slots: tuple[WeeklySlot, ...] | None
) -> None:
    assert weekly_slots(visits, MONDAY, weeks) == slots


def test_several_slots_a_week_and_a_rotation_starting_midweek() -> None:
    thursday = WEDNESDAY + dt.timedelta(days=1)
    monday = WEDNESDAY + dt.timedelta(days=5)  # the rotation's first week runs Wed..Tue
    visits = tuple(
        visit(day + week(n), begin)
        for n in range(3)
        for day, begin in ((thursday, "08:05"), (monday, "13:00"))  # fmt: skip
    )
    assert weekly_slots(visits, WEDNESDAY, 3) == (
        WeeklySlot(0, dt.time(13), dt.time(13, 45)),
        WeeklySlot(3, dt.time(8, 5), dt.time(8, 50)),
    )
    assert weekly_slots(visits[:-1], WEDNESDAY, 3) is None


def test_nearest_stops_are_ordered_by_distance(engine: Engine, region: Region) -> None:
    with session_scope(engine) as session:
        store(session, "published", MONDAY, 1, [(i, i % 6, "08:00", "08:45") for i in range(20)])
        schedule = load_schedule(session)
    target = _stop(schedule, 7)
    found = nearest_stops(schedule, target.lat, target.lon, limit=6)
    assert found[0].stop == target and found[0].distance_m == pytest.approx(0)
    planned = [s for s in schedule.stops if s.visits]
    assert len(planned) == 20
    by_hand = sorted(planned, key=lambda s: haversine_m(target.lat, target.lon, s.lat, s.lon))
    assert [n.stop for n in found] == by_hand[:6]
    assert [n.distance_m for n in found] == sorted(n.distance_m for n in found)
    assert all(n.stop.visits for n in nearest_stops(schedule, -7.4, 108.6, limit=25))


def occurrences(calendar: Calendar) -> set[tuple[dt.datetime, ...]]:
    found: set[tuple[dt.datetime, ...]] = set()
    for event in calendar.events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert event["dtstart"].params["TZID"] == "Asia/Jakarta"
        starts = [start]
        if "rrule" in event:
            starts = list(rrulestr(event["rrule"].to_ical().decode(), dtstart=start))
        found |= {(s, s + (end - start)) for s in starts}
    return found


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


def test_find_places_by_address_code_and_misspelling(engine: Engine, region: Region) -> None:
    with Session(engine) as session:
        schedule = load_schedule(session)
    found = find_places(schedule, "Jl. Siliwangi No. 5, Kel. HEGARSARI")
    assert [v.name for v in found.villages] == ["Hegarsari"]
    assert [s.village.name for s in found.stops] == ["Hegarsari"]
    by_code = find_places(schedule, found.villages[0].code.replace(".", ""))
    assert by_code.villages == found.villages
    typo = find_places(schedule, "Hegarsar1")
    assert not typo.villages and not typo.stops and typo.suggestions[0].name == "Hegarsari"
    assert find_places(schedule, "  ") == find_places(schedule, "x")


def test_a_kecamatan_name_finds_its_villages_when_no_village_has_it() -> None:
    villages = (
        VillageInfo("1", "Alpha", "desa", "Beta"),
        VillageInfo("2", "Gamma", "desa", "Delta"),
    )
    stops = tuple(
        ScheduledStop(int(v.code), f"Balai {v.name}", "balai desa", -7.3, 108.5, False, v, ())
        for v in villages
    )
    schedule = Schedule(None, None, 0, None, villages, stops, WIB)
    found = find_places(schedule, "Kecamatan Beta")
    assert found.villages == villages[:1] and found.stops == stops[:1]
    assert find_places(schedule, "balai gamma").stops == stops[1:]


def test_social_text_names_the_place_days_times_and_link(engine: Engine, region: Region) -> None:
    slots = two_week_slots(MONDAY)
    with session_scope(engine) as session:
        store(session, "published", MONDAY, 2, slots)
        schedule = load_schedule(session)
    now = at(MONDAY, "07:00")
    weekly = social_text(schedule, _stop(schedule, 0), now, LINK)
    stop = _stop(schedule, 0)
    assert weekly.startswith(f"📚 Perpustakaan Keliling datang ke {stop.name}, ")
    assert stop.village.name in weekly
    assert "Setiap Senin dan Kamis, pukul 08:05–08:50 WIB" in weekly
    assert "Setiap Sabtu, pukul 13:00–13:45 WIB" in weekly
    assert "(sampai Minggu, 13 Desember 2026)" in weekly and f"Jadwal lengkap: {LINK}" in weekly
    moving = social_text(schedule, _stop(schedule, 1), now, LINK)
    assert "- Selasa, 1 Desember 2026, pukul 09:00–09:45 WIB" in moving
    assert "- Rabu, 9 Desember 2026, pukul 10:00–10:45 WIB" in moving
    late = social_text(schedule, _stop(schedule, 1), at(MONDAY + week(2), "07:00"), LINK)
    assert "Belum ada jadwal kunjungan berikutnya." in late
