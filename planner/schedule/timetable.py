"""A month's printable timetable per vehicle: every day's stops with their published times.

Each day comes from the plan drivers follow that day: the latest plan published before the day
ended whose rotation covers it (so past days keep the plan that was followed); days after
`today` only from the plan published now. Times are the ones residents read (5-minute steps,
`rounding.py`, computed over each whole plan as its public pages do); cancelled visits
(skipped, or on a closed day) are marked.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from planner.schedule.model import (
    DAYS_PER_WEEK,
    VisitStatus,
    aware,
    closed_dates,
    public_times,
    skipped_at,
)
from planner.store import Plan, Route, Stop, Vehicle, Village, Visit, region_zone

FOLLOWED_STATUSES = ("published", "archived")


@dataclass(frozen=True)
class TimetableRow:
    """One visit of a vehicle's day: where and when, as residents read it."""

    start: dt.datetime
    end: dt.datetime
    stop: str
    village: str
    village_kind: str
    kecamatan: str
    status: VisitStatus

    @property
    def cancelled(self) -> bool:
        return self.status != "planned"


@dataclass(frozen=True)
class TimetableDay:
    """A vehicle's visits on one day, in time order, and the plan they come from."""

    date: dt.date
    plan_id: int
    rows: tuple[TimetableRow, ...]


@dataclass(frozen=True)
class VehicleTimetable:
    """A vehicle's days of the month."""

    vehicle_id: int
    vehicle: str
    days: tuple[TimetableDay, ...]

    @property
    def visits(self) -> int:
        """Visits of the month (cancelled ones included)."""
        return sum(len(day.rows) for day in self.days)


@dataclass(frozen=True)
class MonthTimetable:
    """The month from `first` to `last`, per vehicle (name order), and the plans it reads."""

    first: dt.date
    last: dt.date
    vehicles: tuple[VehicleTimetable, ...]
    plan_ids: tuple[int, ...]


def _last_day(plan: Plan) -> dt.date:
    return plan.start_date + dt.timedelta(days=DAYS_PER_WEEK * plan.weeks - 1)


def followed_plans(
    session: Session, first: dt.date, last: dt.date, today: dt.date
) -> dict[dt.date, Plan]:
    """For each day from `first` to `last` some plan covers, the plan drivers follow that day."""
    zone = region_zone(session)
    plans = [
        p
        for p in session.exec(select(Plan).where(col(Plan.status).in_(FOLLOWED_STATUSES)))
        if p.start_date <= last and _last_day(p) >= first
    ]
    chosen: dict[dt.date, Plan] = {}
    day = first
    while day <= last:
        day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), zone)
        covering = [p for p in plans if p.start_date <= day <= _last_day(p)]
        if day > today:
            covering = [p for p in covering if p.status == "published"]
        else:
            covering = [p for p in covering if aware(p.published_at or p.created_at) < day_end] or [
                p for p in covering if p.status == "published"
            ]
        if covering:
            chosen[day] = max(covering, key=lambda p: aware(p.published_at or p.created_at))
        day += dt.timedelta(days=1)
    return chosen


def month_timetable(
    session: Session,
    first: dt.date,
    last: dt.date,
    today: dt.date,
    vehicle_id: int | None = None,
) -> MonthTimetable:
    """Every vehicle's (or one vehicle's) days from `first` to `last` with published times."""
    zone = region_zone(session)
    followed = followed_plans(session, first, last, today)
    plans = {p.id: p for p in followed.values() if p.id is not None}
    rows = session.exec(
        select(Visit, Route, Stop, Village)
        .join(Route, col(Visit.route_id) == col(Route.id))
        .join(Stop, col(Visit.stop_id) == col(Stop.id))
        .join(Village, col(Stop.village_id) == col(Village.id))
        .where(col(Route.plan_id).in_(list(plans)))
    ).all()
    vehicle_names = {v.id: v.name for v in session.exec(select(Vehicle))}
    times = public_times([(visit, stop) for visit, _, stop, _ in rows], zone)
    skipped = skipped_at(session, [visit.id for visit, *_ in rows if visit.id is not None])
    closed = frozenset().union(*(closed_dates(session, p) for p in plans.values()))
    days: dict[tuple[int, dt.date], list[tuple[int, TimetableRow]]] = defaultdict(list)
    names: dict[int, str] = {}
    for visit, route, stop, village in rows:
        day = route.service_date
        if visit.id is None or not first <= day <= last:
            continue
        if followed.get(day) is None or followed[day].id != route.plan_id:
            continue
        if vehicle_id is not None and route.vehicle_id != vehicle_id:
            continue
        start, end = times[visit.id]
        status: VisitStatus = "planned"
        if visit.id in skipped:
            status = "skipped"
        elif start.date() in closed:
            status = "closed"
        names[route.vehicle_id] = vehicle_names.get(route.vehicle_id, "")
        row = TimetableRow(
            start, end, stop.name, village.name, village.kind, village.kecamatan, status
        )
        days[(route.vehicle_id, day)].append((visit.sequence, row))  # one route a day per vehicle
    vehicles = []
    for vid, name in sorted(names.items(), key=lambda item: (item[1], item[0])):
        found = [
            TimetableDay(day, route_plan, tuple(r for _, r in sorted(visits, key=lambda x: x[0])))
            for (v, day), visits in sorted(days.items(), key=lambda item: item[0][1])
            if v == vid and (route_plan := followed[day].id) is not None
        ]
        vehicles.append(VehicleTimetable(vid, name, tuple(found)))
    used = sorted({d.plan_id for v in vehicles for d in v.days})
    return MonthTimetable(first, last, tuple(vehicles), tuple(used))
