"""Days without service: national holidays, cuti bersama and a library's closed days."""

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.calendar import (
    ClosedDayTakenError,
    add_closed_day,
    closed_days,
    days_off,
    national_days_off,
    planning_holidays,
    remove_closed_day,
    working_days_off,
)
from planner.core import KelilingError, NotFoundError
from planner.plans import PlanRequest, plan_and_store
from planner.store import ClosedDay, Region, Route, session_scope

INDEPENDENCE_DAY = dt.date(2027, 8, 17)  # a Tuesday
WEEK_OF_AUGUST = dt.date(2027, 8, 16)


def test_independence_day_and_cuti_bersama_come_from_the_holidays_package() -> None:
    august = national_days_off(dt.date(2027, 8, 1), dt.date(2027, 8, 31))
    assert (INDEPENDENCE_DAY, "Hari Kemerdekaan Republik Indonesia", "holiday") in [
        (d.date, d.name, d.kind) for d in august
    ]
    christmas = national_days_off(dt.date(2026, 12, 24), dt.date(2026, 12, 25), "en")
    assert [(d.date.day, d.kind) for d in christmas] == [(24, "cuti_bersama"), (25, "holiday")]
    assert christmas[1].name == "Christmas Day"


def test_a_period_across_new_year_reads_both_years() -> None:
    found = national_days_off(dt.date(2026, 12, 20), dt.date(2027, 1, 2))
    assert [d.date for d in found] == [
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 25),
        dt.date(2027, 1, 1),
    ]


def _region(session: Session) -> Region:
    return session.exec(select(Region)).one()


def test_closed_days_join_the_national_ones(engine: Engine, region: Region) -> None:
    with session_scope(engine) as session:
        add_closed_day(session, _region(session), dt.date(2027, 8, 19), "  Stock  opname ")
    with Session(engine) as session:
        found = closed_days(session, _region(session), WEEK_OF_AUGUST, dt.date(2027, 8, 22))
        listed = days_off(session, _region(session), WEEK_OF_AUGUST, dt.date(2027, 8, 22))
    assert found == {
        INDEPENDENCE_DAY: "Hari Kemerdekaan Republik Indonesia",
        dt.date(2027, 8, 19): "Stock opname",
    }
    assert [d.kind for d in listed] == ["holiday", "closed"] and listed[1].closed_day_id


def test_one_closed_day_per_date_and_a_reason_is_required(engine: Engine, region: Region) -> None:
    with session_scope(engine) as session:
        add_closed_day(session, _region(session), dt.date(2027, 1, 4), "Rapat kerja")
    with session_scope(engine) as session, pytest.raises(ClosedDayTakenError, match="sudah"):
        add_closed_day(session, _region(session), dt.date(2027, 1, 4), "Lagi")
    with session_scope(engine) as session, pytest.raises(KelilingError, match="alasan"):
        add_closed_day(session, _region(session), dt.date(2027, 1, 5), "   ")
    with Session(engine) as session:
        assert len(session.exec(select(ClosedDay)).all()) == 1


def test_removing_a_closed_day(engine: Engine, region: Region) -> None:
    with session_scope(engine) as session:
        row = add_closed_day(session, _region(session), dt.date(2027, 1, 4), "Rapat kerja")
        row_id = row.id
    assert row_id is not None
    with session_scope(engine) as session:
        remove_closed_day(session, _region(session), row_id)
    with session_scope(engine) as session, pytest.raises(NotFoundError):
        remove_closed_day(session, _region(session), row_id)


def test_only_working_days_are_skipped(engine: Engine, region: Region) -> None:
    with Session(engine) as session:
        found = days_off(session, _region(session), dt.date(2027, 8, 9), dt.date(2027, 8, 22))
        assert [d.date.day for d in found] == [15, 17]  # Maulid falls on a Sunday
        assert [d.date.day for d in working_days_off(_region(session), found)] == [17]


def test_planning_skips_extra_days_too_and_works_before_a_region_exists(
    engine: Engine,
) -> None:
    extra = frozenset({dt.date(2027, 8, 18)})
    with Session(engine) as session:
        assert planning_holidays(session, WEEK_OF_AUGUST, 1, extra) == extra


def _service_days(engine: Engine, plan_id: int) -> set[dt.date]:
    with Session(engine) as session:
        return set(session.exec(select(Route.service_date).where(Route.plan_id == plan_id)))


def test_a_plan_has_no_visit_on_independence_day_nor_a_closed_day(
    engine: Engine, region: Region
) -> None:
    with session_scope(engine) as session:
        add_closed_day(session, _region(session), dt.date(2027, 8, 19), "Stock opname")
    stored = plan_and_store(engine, PlanRequest(WEEK_OF_AUGUST, 1, 1.0))
    assert stored is not None
    days = _service_days(engine, stored.plan_id)
    assert INDEPENDENCE_DAY not in days and dt.date(2027, 8, 19) not in days
    assert {dt.date(2027, 8, 16), dt.date(2027, 8, 18), dt.date(2027, 8, 20)} <= days
