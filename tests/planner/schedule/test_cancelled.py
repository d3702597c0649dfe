"""Skipped visits and visits on closed days stay on the schedule, cancelled, and in the calendar."""

import datetime as dt

from icalendar import Calendar
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.calendar import add_closed_day
from planner.schedule import load_schedule, social_text, stop_ics, village_overview
from planner.store import CheckIn, Region, Visit, session_scope
from tests.planner.schedule.helpers import LINK, MONDAY, _stop, at, on_weekday, store


def _skip(session: Session, day: dt.date, stop_index: int = 0) -> None:
    stop = sorted(load_schedule(session).stops, key=lambda s: s.id)[stop_index]
    visit_id = next(v.visit_id for v in stop.visits if v.date == day)
    assert visit_id is not None
    session.add(CheckIn(visit_id=visit_id, status="dilewati", note="Ban bocor, sopir sakit"))
    session.flush()


def test_skipped_and_closed_visits_are_cancelled_in_the_weekly_calendar(
    engine: Engine, region: Region
) -> None:
    mondays = on_weekday(MONDAY, 3, 0)
    with session_scope(engine) as session:
        store(session, "published", MONDAY, 3, [(0, d, "08:05", "08:50") for d in mondays])
        _skip(session, MONDAY + dt.timedelta(days=7))
        add_closed_day(session, region, MONDAY + dt.timedelta(days=14), "Stock opname")
        schedule = load_schedule(session)
    stop = _stop(schedule, 0)
    assert [v.status for v in stop.visits] == ["planned", "skipped", "closed"]
    assert stop.next_visit(at(MONDAY, "09:00")) is None  # both later visits are cancelled
    assert stop.notices(at(MONDAY, "09:00")) == stop.visits[1:]
    calendar = Calendar.from_ical(stop_ics(schedule, stop, LINK))
    master, *cancelled = calendar.events
    assert "rrule" in master and master["sequence"] == 0 and "status" not in master
    assert len(cancelled) == 2
    for event, visit in zip(cancelled, stop.visits[1:], strict=True):
        assert event["uid"] == master["uid"] and event["sequence"] == 1
        assert event["status"] == "CANCELLED" and event.decoded("recurrence-id") == visit.start
        assert str(event["summary"]).startswith("DIBATALKAN: ")
    ics = stop_ics(schedule, stop, LINK).decode()
    assert "Ban bocor" not in ics and "Stock opname" not in ics  # reasons stay internal
    text = social_text(schedule, stop, at(MONDAY, "09:00"), LINK)
    assert "Setiap Senin, pukul 08:05–08:50 WIB" in text
    assert "Kunjungan Senin, 7 Desember 2026 dibatalkan." in text


def test_a_skipped_dated_visit_keeps_its_uid_with_a_higher_sequence(
    engine: Engine, region: Region
) -> None:
    slots = [(0, 1, "09:00", "09:45"), (0, 3, "10:00", "10:45")]
    with session_scope(engine) as session:
        store(session, "published", MONDAY, 2, slots)  # not weekly: one event per visit
        before = Calendar.from_ical(
            stop_ics(load_schedule(session), _stop(load_schedule(session), 0), LINK)
        )
        _skip(session, MONDAY + dt.timedelta(days=1))
        schedule = load_schedule(session)
    stop = _stop(schedule, 0)
    after = Calendar.from_ical(stop_ics(schedule, stop, LINK))
    assert [e["uid"] for e in after.events] == [e["uid"] for e in before.events]
    assert [e.get("status") for e in after.events] == ["CANCELLED", None]
    assert [e["sequence"] for e in after.events] == [1, 0]
    entry = next(
        e
        for _, entries in village_overview(schedule, at(MONDAY, "07:00"))
        for e in entries
        if e.village == stop.village
    )
    assert entry.next_visit == stop.visits[1] and entry.cancelled == (stop.visits[0],)


def test_checkins_of_other_plans_do_not_cancel(engine: Engine, region: Region) -> None:
    with session_scope(engine) as session:
        draft = store(session, "draft", MONDAY, 1, [(0, 0, "08:00", "08:45")])
        visit = session.exec(select(Visit).order_by(col(Visit.id))).first()
        assert visit is not None and visit.id is not None
        session.add(CheckIn(visit_id=visit.id, status="dilewati", note="Hujan"))
        store(session, "published", MONDAY, 1, [(0, 0, "08:00", "08:45")])
        schedule = load_schedule(session)
    assert draft and [v.status for v in _stop(schedule, 0).visits] == ["planned"]
