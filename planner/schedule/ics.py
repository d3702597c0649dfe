"""One stop's published visits as an iCalendar feed residents can subscribe to.

Visits that repeat on the same weekday and time every week of the rotation become one weekly
event per time (RRULE with BYDAY and UNTIL the rotation's last day); otherwise one event per
visit. Times carry the region's TZID; UIDs depend only on the plan, stop and slot. Times are
the published ones (5-minute steps). A cancelled visit (skipped by the driver, or on a day the
library is closed) keeps its UID and becomes STATUS:CANCELLED with SEQUENCE 1 (an instance
override with RECURRENCE-ID inside a weekly event), so calendar apps update it.
"""

import datetime as dt
from collections import defaultdict

from icalendar import Calendar, Event

from planner.core import N_, _
from planner.exports import clean
from planner.schedule.model import (
    Schedule,
    ScheduledStop,
    ScheduledVisit,
    WeeklySlot,
    by_time,
    place_name,
)

PRODID = "-//Keliling//Jadwal Perpustakaan Keliling//ID"
UID_DOMAIN = "keliling"
SUMMARY_PREFIX = N_("Mobile Library")
CANCELLED_PREFIX = N_("CANCELLED")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
REFRESH_INTERVAL = dt.timedelta(hours=12)


def one_line(text: str) -> str:
    """User text on one line (calendar names are written unescaped by icalendar)."""
    return " ".join(clean(text).split())


def _location(stop: ScheduledStop) -> str:
    village = stop.village
    place = place_name(village.kind, clean(village.name))
    return f"{clean(stop.name)}, {place}, " + _("{kecamatan} district").format(
        kecamatan=clean(village.kecamatan)
    )


def _description(stop: ScheduledStop, visits: list[ScheduledVisit], link: str) -> str:
    vehicles = sorted({clean(v.vehicle) for v in visits})
    lines = [_("Vehicle: {vehicles}").format(vehicles=", ".join(vehicles))]
    if stop.approximate:
        lines.append(_("The stop's location is still approximate."))
    lines.append(_("Full timetable: {link}").format(link=link))
    return "\n".join(lines)


def _event(
    uid: str,
    stop: ScheduledStop,
    times: tuple[dt.datetime, dt.datetime],
    visits: list[ScheduledVisit],
    link: str,
    stamp: dt.datetime,
) -> Event:
    event = Event.new(
        uid=uid,
        stamp=stamp,
        summary=f"{_(SUMMARY_PREFIX)}: {clean(stop.name)}",
        start=times[0],
        end=times[1],
        location=_location(stop),
        description=_description(stop, visits, link),
        url=link,
    )
    event.add("geo", (stop.lat, stop.lon))
    event.add("sequence", 0)
    return event


def _cancel(event: Event, stop: ScheduledStop, visit: ScheduledVisit, stamp: dt.datetime) -> None:
    """Mark `event` as the cancelled `visit`: same UID, a higher SEQUENCE, CANCELLED."""
    replaced = {
        "summary": f"{_(CANCELLED_PREFIX)}: {_(SUMMARY_PREFIX)}: {clean(stop.name)}",
        "status": "CANCELLED",
        "sequence": 1,
    }
    if visit.cancelled_at is not None and visit.cancelled_at > stamp:
        replaced["dtstamp"] = visit.cancelled_at.astimezone(dt.UTC)
    for name, value in replaced.items():
        event.pop(name, None)
        event.add(name, value)


def _uid(schedule: Schedule, stop: ScheduledStop, key: str) -> str:
    return f"keliling-jadwal-{schedule.plan_id}-titik-{stop.id}-{key}@{UID_DOMAIN}"


def _rotation_end_utc(schedule: Schedule) -> dt.datetime:
    assert schedule.last_day is not None
    next_day = dt.datetime.combine(
        schedule.last_day + dt.timedelta(days=1), dt.time(), schedule.zone
    )
    return (next_day - dt.timedelta(seconds=1)).astimezone(dt.UTC)


def weekly_events(
    schedule: Schedule,
    stop: ScheduledStop,
    slots: tuple[WeeklySlot, ...],
    link: str,
    stamp: dt.datetime,
) -> list[Event]:
    """One repeating event per start–end time, on every weekday that keeps it."""
    events = []
    for (start, end), days in by_time(slots).items():
        visits = [v for v in stop.visits if v.date.weekday() in days and v.start.time() == start]
        first = min(v.start for v in visits)
        codes = [DAY_CODES[day] for day in sorted(days)]
        key = f"{'-'.join(codes).lower()}-{start:%H%M}"
        event = _event(
            _uid(schedule, stop, key),
            stop,
            (first, dt.datetime.combine(first.date(), end, schedule.zone)),
            visits,
            link,
            stamp,
        )
        event.add("rrule", {"freq": "weekly", "byday": codes, "until": _rotation_end_utc(schedule)})
        events.append(event)
        for visit in (v for v in visits if v.cancelled):
            instance = _event(
                str(event["uid"]), stop, (visit.start, visit.end), [visit], link, stamp
            )
            instance.add("recurrence-id", visit.start)
            _cancel(instance, stop, visit, stamp)
            events.append(instance)
    return events


def dated_events(
    schedule: Schedule, stop: ScheduledStop, link: str, stamp: dt.datetime
) -> list[Event]:
    """One event per published visit."""
    seen: dict[str, int] = defaultdict(int)
    events = []
    for visit in stop.visits:
        key = f"{visit.date.isoformat()}-{visit.start:%H%M}"
        seen[key] += 1
        if seen[key] > 1:  # two visits at the same time: keep UIDs unique
            key += f"-{seen[key]}"
        uid = _uid(schedule, stop, key)
        event = _event(uid, stop, (visit.start, visit.end), [visit], link, stamp)
        if visit.cancelled:
            _cancel(event, stop, visit, stamp)
        events.append(event)
    return events


def stop_ics(
    schedule: Schedule, stop: ScheduledStop, link: str, stamp: dt.datetime | None = None
) -> bytes:
    """The stop's calendar; DTSTAMP is the publication time unless `stamp` is given."""
    stamp = stamp or schedule.stamp or dt.datetime.now(dt.UTC)
    village = place_name(stop.village.kind, stop.village.name)
    calendar = Calendar.new(
        prodid=PRODID,
        name=one_line(f"{_(SUMMARY_PREFIX)}: {stop.name} ({village})"),
        uid=f"keliling-jadwal-titik-{stop.id}@{UID_DOMAIN}",
        url=link,
        refresh_interval=REFRESH_INTERVAL,
    )
    calendar.add("x-wr-timezone", schedule.zone.key)
    slots = schedule.weekly_slots(stop)
    if slots:
        events = weekly_events(schedule, stop, slots, link, stamp)
    else:
        events = dated_events(schedule, stop, link, stamp)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data
