"""What residents see, from the PUBLISHED plan only (never a draft or an archived plan).

Visits per stop and village, weekly-repeat detection, nearest stops and a ready social-media
text; the place-name finder is in `search.py`. Times are local to the region's zone and are the
published ones: on 5-minute steps, shared across a stop's visits where they can (`rounding.py`).
A visit the driver skipped (dilewati) or that falls on a day the library is closed stays in the
schedule, marked cancelled, so pages and calendars can say so.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.lists import format_list
from sqlmodel import Session, col, select

from planner.calendar import closed_days
from planner.core import (
    N_,
    WEEKDAYS,
    _,
    current_language,
    fold,
    format_hhmm,
    haversine_m,
    weekday_name,
    zone_abbreviation,
)
from planner.schedule.rounding import ExactVisit, published_spans, windows_on
from planner.store import (
    CheckIn,
    Plan,
    Region,
    Route,
    Stop,
    Vehicle,
    Village,
    Visit,
    published_plan,
    region_zone,
)

DAYS_PER_WEEK = 7
NEAREST_LIMIT = 5
SOCIAL_DATES = 4
HASHTAGS = "#PerpustakaanKeliling #AyoMembaca"
VILLAGE_KIND_LABELS = {"desa": N_("{name} village"), "kelurahan": N_("{name} urban village")}
NOTICE_DAYS = 7  # a cancelled visit is still announced this many days after its date

# planned; skipped: the driver reported it dilewati; closed: the library is closed that day
VisitStatus = Literal["planned", "skipped", "closed"]


@dataclass(frozen=True)
class ScheduledVisit:
    """One published visit to a stop, with its published service start and end in local time."""

    stop_id: int
    start: dt.datetime
    end: dt.datetime
    vehicle: str
    visit_id: int | None = None
    status: VisitStatus = "planned"
    cancelled_at: dt.datetime | None = None  # when the driver reported the skip

    @property
    def date(self) -> dt.date:
        return self.start.date()

    @property
    def cancelled(self) -> bool:
        """Skipped by the driver or on a closed day: residents should not come."""
        return self.status != "planned"

    @property
    def times(self) -> str:
        """`08:05–08:50`."""
        return f"{format_hhmm(self.start)}–{format_hhmm(self.end)}"


@dataclass(frozen=True)
class VillageInfo:
    """A desa/kelurahan as the public pages name it."""

    code: str
    name: str
    kind: str
    kecamatan: str


@dataclass(frozen=True)
class ScheduledStop:
    """A stop with its published visits (none when the published plan does not visit it)."""

    id: int
    name: str
    kind: str
    lat: float
    lon: float
    approximate: bool
    village: VillageInfo
    visits: tuple[ScheduledVisit, ...]

    def upcoming(self, now: dt.datetime) -> tuple[ScheduledVisit, ...]:
        """The visits not over yet at `now` (one under way still counts), cancelled ones too."""
        return tuple(v for v in self.visits if v.end > now)

    def next_visit(self, now: dt.datetime) -> ScheduledVisit | None:
        """The first visit not over yet and not cancelled, if any."""
        return next((v for v in self.upcoming(now) if not v.cancelled), None)

    def notices(self, now: dt.datetime) -> tuple[ScheduledVisit, ...]:
        """Cancelled visits to announce: upcoming ones and those of the last `NOTICE_DAYS` days."""
        since = now.date() - dt.timedelta(days=NOTICE_DAYS)
        return tuple(v for v in self.visits if v.cancelled and v.date >= since)


@dataclass(frozen=True)
class WeeklySlot:
    """A weekday and time the bookmobile keeps every week of the rotation."""

    weekday: int  # 0 = Monday
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class Schedule:
    """The published plan as residents see it; `plan_id` is None when nothing is published."""

    plan_id: int | None
    start: dt.date | None
    weeks: int
    stamp: dt.datetime | None  # when the plan was published
    villages: tuple[VillageInfo, ...]
    stops: tuple[ScheduledStop, ...]
    zone: ZoneInfo  # the region's, in which every time above is given

    @property
    def published(self) -> bool:
        return self.plan_id is not None

    @property
    def last_day(self) -> dt.date | None:
        """The last day of the published rotation."""
        if self.start is None:
            return None
        return self.start + dt.timedelta(days=DAYS_PER_WEEK * self.weeks - 1)

    def stop(self, stop_id: int) -> ScheduledStop | None:
        """The stop with this id, if residents may see it."""
        return next((s for s in self.stops if s.id == stop_id), None)

    def village(self, code: str) -> VillageInfo | None:
        """The village with this code."""
        return next((v for v in self.villages if v.code == code), None)

    def stops_of(self, code: str) -> tuple[ScheduledStop, ...]:
        """The village's stops."""
        return tuple(s for s in self.stops if s.village.code == code)

    def weekly_slots(self, stop: ScheduledStop) -> tuple[WeeklySlot, ...] | None:
        """The stop's weekly slots, or None when its visits do not repeat every week."""
        if self.start is None:
            return None
        return weekly_slots(stop.visits, self.start, self.weeks)


def _local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The moment in local time to the minute, as every page, poster and calendar shows it."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(zone).replace(second=0, microsecond=0)


def aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def skipped_at(session: Session, visit_ids: list[int]) -> dict[int, dt.datetime]:
    """When each of these visits was reported skipped (dilewati), by visit id."""
    if not visit_ids:
        return {}
    query = select(CheckIn).where(
        col(CheckIn.visit_id).in_(visit_ids), CheckIn.status == "dilewati"
    )
    return {c.visit_id: aware(c.recorded_at) for c in session.exec(query)}


def closed_dates(session: Session, plan: Plan) -> frozenset[dt.date]:
    """The plan's days the library is closed (a closed day or holiday added after planning)."""
    region = session.get(Region, plan.region_id)
    if region is None:
        return frozenset()
    last = plan.start_date + dt.timedelta(days=DAYS_PER_WEEK * plan.weeks - 1)
    return frozenset(closed_days(session, region, plan.start_date, last))


def public_times(
    rows: list[tuple[Visit, Stop]], zone: ZoneInfo
) -> dict[int, tuple[dt.datetime, dt.datetime]]:
    """Published (start, end) of a plan's visits by visit id, in local time, per stop rounded."""
    by_stop: dict[int, list[tuple[Visit, Stop]]] = defaultdict(list)
    for visit, stop in rows:
        by_stop[visit.stop_id].append((visit, stop))
    found: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    for pairs in by_stop.values():
        exact = []
        for visit, stop in pairs:
            start = aware(visit.planned_start or visit.planned_arrival).astimezone(zone)
            end = aware(visit.planned_departure).astimezone(zone)
            exact.append(ExactVisit(start, end, windows_on(stop.time_windows, start.date())))
        for (visit, _stop), span in zip(pairs, published_spans(exact), strict=True):
            assert visit.id is not None  # a stored row
            found[visit.id] = span
    return found


def _published_visits(
    session: Session, plan: Plan, zone: ZoneInfo
) -> dict[int, list[ScheduledVisit]]:
    rows = session.exec(
        select(Visit, Vehicle, Stop)
        .join(Route, col(Visit.route_id) == col(Route.id))
        .join(Vehicle, col(Route.vehicle_id) == col(Vehicle.id))
        .join(Stop, col(Visit.stop_id) == col(Stop.id))
        .where(Route.plan_id == plan.id)
    ).all()
    times = public_times([(visit, stop) for visit, _, stop in rows], zone)
    skipped = skipped_at(session, [visit.id for visit, _, _ in rows if visit.id is not None])
    closed = closed_dates(session, plan)
    found: dict[int, list[ScheduledVisit]] = defaultdict(list)
    for visit, vehicle, _stop in rows:
        assert visit.id is not None  # a stored row
        start, end = times[visit.id]
        status: VisitStatus = "planned"
        if visit.id in skipped:
            status = "skipped"
        elif start.date() in closed:
            status = "closed"
        found[visit.stop_id].append(
            ScheduledVisit(
                visit.stop_id, start, end, vehicle.name, visit.id, status, skipped.get(visit.id)
            )
        )
    return found


def load_schedule(session: Session) -> Schedule:
    """Every village, the active stops and those the published plan visits, with its visits."""
    plan, zone = published_plan(session), region_zone(session)
    visits = _published_visits(session, plan, zone) if plan is not None and plan.id else {}
    rows = session.exec(select(Village).order_by(col(Village.kecamatan), col(Village.name))).all()
    villages = {v.id: VillageInfo(v.code, v.name, v.kind, v.kecamatan) for v in rows}
    stops = [
        ScheduledStop(
            stop.id,
            stop.name,
            stop.kind,
            stop.lat,
            stop.lon,
            stop.approximate,
            villages[stop.village_id],
            tuple(sorted(visits.get(stop.id, ()), key=lambda v: v.start)),
        )
        for stop in session.exec(select(Stop).order_by(col(Stop.name)))
        if stop.id is not None and (stop.active or stop.id in visits)
    ]
    order = list(villages.values())
    rank = {v.code: i for i, v in enumerate(order)}
    stops.sort(key=lambda s: (rank[s.village.code], fold(s.name)))
    return Schedule(
        plan.id if plan is not None else None,
        plan.start_date if plan is not None else None,
        plan.weeks if plan is not None else 0,
        _local(plan.published_at, zone) if plan is not None and plan.published_at else None,
        tuple(order),
        tuple(stops),
        zone,
    )


def weekly_slots(
    visits: tuple[ScheduledVisit, ...], start: dt.date, weeks: int
) -> tuple[WeeklySlot, ...] | None:
    """The (weekday, start, end) slots kept exactly once in every week of the rotation.

    None when the visits do not repeat weekly (a week skipped, a time moved, two visits in one
    slot, a visit outside the rotation) or there are none.
    """
    if not visits or weeks < 1:
        return None
    weeks_of: dict[WeeklySlot, list[int]] = defaultdict(list)
    for visit in visits:
        day = (visit.date - start).days
        if not 0 <= day < DAYS_PER_WEEK * weeks or visit.end.date() != visit.date:
            return None
        slot = WeeklySlot(visit.date.weekday(), visit.start.time(), visit.end.time())
        weeks_of[slot].append(day // DAYS_PER_WEEK)
    if any(sorted(found) != list(range(weeks)) for found in weeks_of.values()):
        return None
    return tuple(sorted(weeks_of, key=lambda s: (s.weekday, s.start)))


def by_time(slots: tuple[WeeklySlot, ...]) -> dict[tuple[dt.time, dt.time], list[int]]:
    """The weekdays (0 = Monday) of each start–end time, e.g. Monday and Thursday 08:05–08:50."""
    grouped: dict[tuple[dt.time, dt.time], list[int]] = defaultdict(list)
    for slot in slots:
        grouped[(slot.start, slot.end)].append(slot.weekday)
    return grouped


@dataclass(frozen=True)
class VillageEntry:
    """A village in the public list: its stops, the next visit to any of them and the cancelled
    visits residents would otherwise expect before it."""

    village: VillageInfo
    stops: tuple[ScheduledStop, ...]
    next_visit: ScheduledVisit | None
    next_stop: ScheduledStop | None
    cancelled: tuple[ScheduledVisit, ...] = ()


def village_overview(schedule: Schedule, now: dt.datetime) -> list[tuple[str, list[VillageEntry]]]:
    """Every village with its next visit, grouped by kecamatan (both in name order)."""
    groups: dict[str, list[VillageEntry]] = defaultdict(list)
    for village in schedule.villages:
        stops = schedule.stops_of(village.code)
        upcoming = [(v, s) for s in stops if (v := s.next_visit(now)) is not None]
        first = min(upcoming, key=lambda pair: pair[0].start, default=None)
        cancelled = sorted(
            (v for s in stops for v in s.upcoming(now) if v.cancelled),
            key=lambda v: v.start,
        )
        next_visit, next_stop = first if first is not None else (None, None)
        if next_visit is not None:
            cancelled = [v for v in cancelled if v.start < next_visit.start]
        entry = VillageEntry(village, stops, next_visit, next_stop, tuple(cancelled))
        groups[village.kecamatan].append(entry)
    return sorted(groups.items())


@dataclass(frozen=True)
class Nearby:
    """A stop and how far it is from the resident, in metres (straight line)."""

    stop: ScheduledStop
    distance_m: float


def nearest_stops(
    schedule: Schedule, lat: float, lon: float, limit: int = NEAREST_LIMIT
) -> list[Nearby]:
    """The published plan's stops closest to a point, nearest first."""
    found = [
        Nearby(stop, haversine_m(lat, lon, stop.lat, stop.lon))
        for stop in schedule.stops
        if stop.visits
    ]
    return sorted(found, key=lambda n: (n.distance_m, n.stop.id))[:limit]


def long_date(day: dt.date) -> str:
    """`Senin, 30 November 2026` (`Monday, 30 November 2026` in English)."""
    return format_date(day, "EEEE, d MMMM yyyy", locale=current_language())


def place_name(kind: str, name: str) -> str:
    """A village with its kind as residents name it: `Desa Sukamaju` (`Sukamaju village`)."""
    label = VILLAGE_KIND_LABELS.get(kind)
    return _(label).format(name=name) if label else f"{kind.capitalize()} {name}"


def social_text(schedule: Schedule, stop: ScheduledStop, now: dt.datetime, link: str) -> str:
    """A ready WhatsApp/Facebook/Instagram caption: village, stop, days and times, link.

    In the planner's language (Bahasa Indonesia unless the page is English): it is posted
    for residents; plain text, never HTML.
    """
    village = place_name(stop.village.kind, stop.village.name)
    lines = [
        _("📚 The mobile library is coming to {stop}, {village}!").format(
            stop=stop.name, village=village
        )
    ]
    slots, upcoming = schedule.weekly_slots(stop), stop.upcoming(now)
    zone = zone_abbreviation(schedule.zone)
    if slots and upcoming and schedule.last_day:
        for (start, end), weekdays in by_time(slots).items():
            names = [weekday_name(WEEKDAYS[d]) for d in weekdays]
            days = format_list(names, locale=current_language())
            times = f"{format_hhmm(start)}–{format_hhmm(end)}"
            lines.append(
                _("Every {days}, {times} {zone}").format(days=days, times=times, zone=zone)
            )
        lines.append(_("(until {date})").format(date=long_date(schedule.last_day)))
    elif stop.next_visit(now):
        lines.append(_("Next visits:"))
        kept = [v for v in upcoming if not v.cancelled][:SOCIAL_DATES]
        lines += [
            _("- {date}, {times} {zone}").format(date=long_date(v.date), times=v.times, zone=zone)
            for v in kept
        ]
    else:
        lines.append(_("No visits planned yet."))
    lines += [
        _("The visit on {date} is cancelled.").format(date=long_date(v.date))
        for v in upcoming
        if v.cancelled
    ]
    lines += [
        _("Come along, borrow books and read together!"),
        _("Full timetable: {link}").format(link=link),
        HASHTAGS,
    ]
    return "\n".join(lines)
