"""Detecting visits that repeat every week of the rotation."""

import datetime as dt

import pytest

from planner.schedule import ScheduledVisit, WeeklySlot, weekly_slots
from tests.planner.schedule.helpers import MONDAY, WEDNESDAY, at, week


def visit(day: dt.date, begin: str, end: str = "") -> ScheduledVisit:
    start = at(day, begin)
    finish = at(day, end) if end else start + dt.timedelta(minutes=45)
    return ScheduledVisit(1, start, finish, "Mobil")


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
