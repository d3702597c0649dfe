"""The month's timetable per vehicle: the plan followed each day, published times, cancellations."""

import datetime as dt

from sqlalchemy.engine import Engine
from sqlmodel import Session

from planner.calendar import add_closed_day
from planner.schedule import month_timetable, on_step
from planner.store import Plan, Region, session_scope
from tests.planner.schedule.helpers import MONDAY, store

DECEMBER = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def _published_at(session: Session, plan_id: int, moment: dt.datetime) -> None:
    plan = session.get(Plan, plan_id)
    assert plan is not None
    plan.published_at = moment
    session.add(plan)
    session.flush()


def _two_plans(session: Session) -> tuple[int, int]:
    """An archived fortnight from Monday 30 November and the week from 7 December replacing it."""
    old = store(
        session,
        "archived",
        MONDAY,
        2,
        [(0, 0, "08:01", "08:46"), (1, 8, "09:03", "09:48"), (2, 10, "10:00", "10:45")],
    )
    _published_at(session, old, dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC))
    new = store(
        session, "published", MONDAY + dt.timedelta(days=7), 1,
        [(3, 0, "10:06", "10:51"), (4, 2, "13:00", "13:45")],
    )  # fmt: skip
    _published_at(session, new, dt.datetime(2026, 12, 5, 1, 0, tzinfo=dt.UTC))
    return old, new


def _rows(timetable) -> list[tuple[dt.date, str]]:  # type: ignore[no-untyped-def]
    return [
        (day.date, f"{row.start:%H:%M}–{row.end:%H:%M}")
        for vehicle in timetable.vehicles
        for day in vehicle.days
        for row in day.rows
    ]


def test_each_day_comes_from_the_plan_followed_that_day(engine: Engine, region: Region) -> None:
    with session_scope(engine) as session:
        old, new = _two_plans(session)
        today = dt.date(2026, 12, 8)
        december = month_timetable(session, *DECEMBER, today)
        november = month_timetable(session, *NOVEMBER, today)
        # the old plan's 8 and 10 December visits were replaced: the new plan rules from the 7th
        assert _rows(december) == [
            (dt.date(2026, 12, 7), "10:05–10:50"),
            (dt.date(2026, 12, 9), "13:00–13:45"),
        ]
        assert december.plan_ids == (new,)
        assert _rows(november) == [(MONDAY, "08:00–08:45")] and november.plan_ids == (old,)
        # published on the 9th: the 8th (over by then) keeps the old plan's visit
        _published_at(session, new, dt.datetime(2026, 12, 9, 3, 0, tzinfo=dt.UTC))
        later = month_timetable(session, *DECEMBER, dt.date(2026, 12, 9))
        assert _rows(later) == [
            (dt.date(2026, 12, 8), "09:05–09:50"),
            (dt.date(2026, 12, 9), "13:00–13:45"),
        ]
        assert later.plan_ids == (old, new)


def test_times_are_published_ones_and_cancellations_are_marked(
    engine: Engine, region: Region
) -> None:
    with session_scope(engine) as session:
        _two_plans(session)
        add_closed_day(session, region, dt.date(2026, 12, 9), "Pelatihan")
        timetable = month_timetable(session, *DECEMBER, dt.date(2026, 12, 1))
        [vehicle] = timetable.vehicles
        rows = [row for day in vehicle.days for row in day.rows]
        assert vehicle.visits == 2 and all(on_step(r.start) and on_step(r.end) for r in rows)
        assert [r.status for r in rows] == ["planned", "closed"]
        assert all(r.stop and r.village and r.kecamatan for r in rows)
        assert month_timetable(session, *DECEMBER, dt.date(2026, 12, 1), -1).vehicles == ()
