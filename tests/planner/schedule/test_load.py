"""Loading the residents' schedule: published plan only, villages, nearest stops."""

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.core import haversine_m
from planner.schedule import load_schedule, nearest_stops
from planner.store import Region, Village, session_scope
from tests.planner.schedule.helpers import MONDAY, _stop, at, store


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
