"""A route plan as an iCalendar feed: one event per visit, in the plan's (the region's) zone."""

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from planner.core import N_, _
from planner.exports.common import (
    clean,
    has_point,
    parse_date,
    parse_time,
    plan_zone,
    routes,
    slug,
    visits,
)

PRODID = "-//Keliling//Perpustakaan Keliling//ID"
UID_DOMAIN = "keliling"
SUMMARY_PREFIX = N_("Mobile Library")
CALENDAR_NAME = N_("Mobile Library timetable")
TOPIC_SEPARATOR = ", "


def _description(route: Mapping[str, Any], visit: Mapping[str, Any]) -> str:
    lines = [_("Vehicle: {vehicles}").format(vehicles=clean(route.get("vehicle")))]
    topics = TOPIC_SEPARATOR.join(clean(topic) for topic in visit.get("topics") or ())
    if topics:
        lines.append(_("Topics: {topics}").format(topics=topics))
    notes = clean(visit.get("notes"))
    if notes:
        lines.append(_("Notes: {notes}").format(notes=notes))
    return "\n".join(lines)


def _location(visit: Mapping[str, Any]) -> str:
    parts = (clean(visit.get("stop_name")), clean(visit.get("village")))
    return ", ".join(part for part in parts if part)


def visit_uid(plan: Mapping[str, Any], route: Mapping[str, Any], visit: Mapping[str, Any]) -> str:
    """The event UID, stable across exports: plan, day, vehicle and stop."""
    day = parse_date(route.get("date") or route["start"]).isoformat()
    vehicle = slug(route.get("vehicle"), "kendaraan")
    plan_id = slug(plan.get("id"), "rencana")
    stop = slug(visit.get("stop_id"), "titik")
    return f"keliling-{plan_id}-{day}-{vehicle}-{stop}@{UID_DOMAIN}"


def _event(
    plan: Mapping[str, Any],
    route: Mapping[str, Any],
    visit: Mapping[str, Any],
    stamp: dt.datetime,
    zone: ZoneInfo,
) -> Event:
    event = Event.new(
        uid=visit_uid(plan, route, visit),
        stamp=stamp,
        summary=f"{_(SUMMARY_PREFIX)}: {clean(visit.get('stop_name'))}",
        start=parse_time(visit.get("start") or visit["arrival"], zone),
        end=parse_time(visit["departure"], zone),
        location=_location(visit),
        description=_description(route, visit),
    )
    if has_point(visit):
        event.add("geo", (float(visit["lat"]), float(visit["lon"])))
    return event


def _calendar_name(plan: Mapping[str, Any]) -> str:
    region = clean(plan.get("region"))
    return f"{_(CALENDAR_NAME)} {region}" if region else _(CALENDAR_NAME)


def plan_ics(plan: Mapping[str, Any], stamp: dt.datetime | None = None) -> bytes:
    """An iCalendar file with a VEVENT per visit; `stamp` (DTSTAMP) defaults to now."""
    stamp = stamp or dt.datetime.now(dt.UTC)
    calendar = Calendar.new(
        prodid=PRODID,
        name=_calendar_name(plan),
        uid=f"keliling-{slug(plan.get('id'), 'rencana')}@{UID_DOMAIN}",
    )
    zone = plan_zone(plan)
    calendar.add("x-wr-timezone", zone.key)
    seen: dict[str, int] = {}
    for route in routes(plan):
        for _index, visit in visits(route):
            event = _event(plan, route, visit, stamp, zone)
            uid = str(event["uid"])
            seen[uid] = seen.get(uid, 0) + 1
            if seen[uid] > 1:  # the same stop twice in one route: keep UIDs unique
                event["uid"] = uid.replace("@", f"-{seen[uid]}@")
            calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data
