"""A library's own closed days, stored per region, and every day off of a period."""

import datetime as dt

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from planner.calendar.national import DayOff, national_days_off
from planner.core import UNSTORABLE_TEXT, KelilingError, NotFoundError, _, unstorable, weekday_key
from planner.store import ClosedDay, Region, current_region

REASON_MAX = 200  # the length of the reason column


class ClosedDayTakenError(KelilingError):
    """The library already has a closed day on this date."""


def library_closed_days(
    session: Session, region_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> list[ClosedDay]:
    """The region's closed days (from `start`, up to `end`, both included when given), by date."""
    query = select(ClosedDay).where(ClosedDay.region_id == region_id)
    if start is not None:
        query = query.where(col(ClosedDay.date) >= start)
    if end is not None:
        query = query.where(col(ClosedDay.date) <= end)
    return list(session.exec(query.order_by(col(ClosedDay.date))))


def add_closed_day(session: Session, region: Region, day: dt.date, reason: str) -> ClosedDay:
    """Store a closed day; ClosedDayTakenError when the date already has one."""
    assert region.id is not None
    text = " ".join(reason.split())
    if not text or len(text) > REASON_MAX:
        msg = _("Write the reason for closing (1-{count} characters).").format(count=REASON_MAX)
        raise KelilingError(msg)
    if unstorable(text):
        raise KelilingError(_(UNSTORABLE_TEXT))
    row = ClosedDay(region_id=region.id, date=day, reason=text)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        msg = _("{date} is already recorded as a closed day.").format(date=day.isoformat())
        raise ClosedDayTakenError(msg) from None
    return row


def remove_closed_day(session: Session, region: Region, closed_day_id: int) -> ClosedDay:
    """Delete one of the region's closed days; NotFoundError when there is none by that id."""
    row = session.get(ClosedDay, closed_day_id)
    if row is None or row.region_id != region.id:
        msg = _("There is no closed day #{id}.").format(id=closed_day_id)
        raise NotFoundError(msg)
    session.delete(row)
    session.flush()
    return row


def days_off(
    session: Session, region: Region, start: dt.date, end: dt.date, language: str = "id"
) -> list[DayOff]:
    """Holidays, cuti bersama and the library's closed days from `start` to `end`, by date."""
    assert region.id is not None
    own = [
        DayOff(row.date, row.reason, "closed", row.id)
        for row in library_closed_days(session, region.id, start, end)
    ]
    return sorted(national_days_off(start, end, language) + own, key=lambda d: d.date)


def working_days_off(region: Region, found: list[DayOff]) -> list[DayOff]:
    """Only the days off that fall on the region's working days (the ones planning skips)."""
    working = set(region.settings.get("working_days", ()))
    return [d for d in found if weekday_key(d.date) in working]


def closed_days(
    session: Session, region: Region, start: dt.date, end: dt.date, language: str = "id"
) -> dict[dt.date, str]:
    """Every day without service from `start` to `end` (both included) with its name(s)."""
    names: dict[dt.date, list[str]] = {}
    for day in days_off(session, region, start, end, language):
        names.setdefault(day.date, []).append(day.name)
    return {day: "; ".join(found) for day, found in names.items()}


def period_days_off(
    session: Session, start: dt.date, weeks: int, language: str = "id"
) -> list[DayOff]:
    """The days off a plan of `weeks` weeks from `start` skips (those on working days)."""
    region = current_region(session)
    last = start + dt.timedelta(days=7 * weeks - 1)
    return working_days_off(region, days_off(session, region, start, last, language))


def planning_holidays(
    session: Session, start: dt.date, weeks: int, extra: frozenset[dt.date] = frozenset()
) -> frozenset[dt.date]:
    """The days a plan of `weeks` weeks from `start` skips: every day off plus `extra`."""
    region = session.exec(select(Region)).first()
    if region is None:  # building the problem says what is missing
        return extra
    last = start + dt.timedelta(days=7 * weeks - 1)
    return extra | frozenset(closed_days(session, region, start, last))
