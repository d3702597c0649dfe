"""Outreach events: log one, correct it (each earlier state kept), list them with filters.

The public API, for the web pages and the reports:

- Form: `EventEntry`, `EventValues`, `check_event`, `new_event_entry`, `event_entry`
  (form.py); attendance is {"anak": {"L": n, "P": n}, ...} over AGE_GROUPS × SEXES.
- Storing: `create_event`, `create_event_once` (one event per idempotency key, so a form
  sent twice stores once; `idempotency_key`, `event_by_key`), `update_event` (keeps an
  EventRevision of the previous state),
  `get_event`, `event_history`.
- Reading: `EventFilter` + `list_events` -> `EventRow`s (newest first); `stop_groups` for a
  stop picker; `today_visits` / `published_visit` for the published plan's visits.
- Totals and exports: `event_totals`, `export_rows`, `events_csv`, `events_xlsx`
  (export.py).
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from planner.core import _
from planner.demand import refresh_for_stops
from planner.outreach.form import (
    EventValues,
)
from planner.outreach.history import (
    event_snapshot,
)
from planner.store import (
    MAX_ROW_ID,
    EventRevision,
    OutreachEvent,
    Route,
    Stop,
    Vehicle,
    Village,
    Visit,
    get_or_raise,
    published_plan,
    region_zone,
    utcnow,
)

IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")


def get_event(session: Session, event_id: int) -> OutreachEvent:
    """The event, or NotFoundError with a message for the librarian."""
    event = get_or_raise(session, OutreachEvent, event_id, _("Event"))
    return event


def create_event(
    session: Session, values: EventValues, user_id: int | None, idempotency_key: str | None = None
) -> OutreachEvent:
    """Store a new event logged by `user_id` (flushed, not committed)."""
    event = OutreachEvent(stop_id=values.stop_id, starts_at=values.starts_at, event_type="")
    values.apply_to(event)
    event.created_by_id = user_id
    event.idempotency_key = idempotency_key
    session.add(event)
    session.flush()
    refresh_for_stops(session, [event.stop_id])  # its village's logged attendance
    return event


def idempotency_key(text: str | None) -> str | None:
    """A sent idempotency key if it looks like one (8-64 letters, digits, '-', '_'), else None."""
    cleaned = (text or "").strip()
    return cleaned if IDEMPOTENCY_KEY.fullmatch(cleaned) else None


def event_by_key(session: Session, key: str) -> OutreachEvent | None:
    """The event stored under an idempotency key, if any."""
    return session.exec(select(OutreachEvent).where(OutreachEvent.idempotency_key == key)).first()


def create_event_once(
    session: Session, values: EventValues, user_id: int | None, key: str | None
) -> tuple[OutreachEvent, bool]:
    """Store the event unless one was stored under `key` already: (the event, whether it is new).

    Two sends racing each other (a double tap) meet at the key's unique constraint."""
    if key is None:
        return create_event(session, values, user_id), True
    stored = event_by_key(session, key)
    if stored is not None:
        return stored, False
    try:
        with session.begin_nested():
            event = create_event(session, values, user_id, key)
    except IntegrityError:
        stored = event_by_key(session, key)
        if stored is None:
            raise
        return stored, False
    return event, True


_BOOKKEEPING = ("updated_at", "updated_by_id")


def _content(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in snapshot.items() if k not in _BOOKKEEPING}


def update_event(
    session: Session, event: OutreachEvent, values: EventValues, user_id: int | None
) -> EventRevision | None:
    """Apply the checked form; the previous state becomes a revision. None when nothing changed."""
    zone = region_zone(session)
    before = event_snapshot(event, zone)
    stop_before = event.stop_id
    values.apply_to(event)
    if _content(event_snapshot(event, zone)) == _content(before):
        return None
    assert event.id is not None
    now = utcnow()
    revision = EventRevision(event_id=event.id, changed_at=now, changed_by_id=user_id)
    revision.snapshot = before
    event.updated_at, event.updated_by_id = now, user_id
    session.add_all([revision, event])
    session.flush()
    refresh_for_stops(session, [stop_before, event.stop_id])
    return revision


def stop_groups(session: Session) -> list[tuple[str, list[Stop]]]:
    """Every stop grouped by village (both by name), for a stop picker."""
    rows = session.exec(
        select(Stop, Village).join(Village).order_by(col(Village.name), col(Stop.name))
    )
    groups: dict[str, list[Stop]] = {}
    for stop, village in rows:
        groups.setdefault(village.name, []).append(stop)
    return list(groups.items())


@dataclass(frozen=True)
class TodayVisit:
    """A visit of the published plan on one day, with how many events were logged for it."""

    visit_id: int
    sequence: int
    vehicle: str
    stop_id: int
    stop_name: str
    village: str
    arrival: dt.datetime
    departure: dt.datetime
    logged: int


def today_visits(session: Session, day: dt.date) -> list[TodayVisit]:
    """The published plan's visits on `day`, by vehicle then route order."""
    plan = published_plan(session)
    if plan is None:
        return []
    rows = session.exec(
        select(Visit, Vehicle, Stop, Village)
        .join(Route, col(Visit.route_id) == col(Route.id))
        .join(Vehicle, col(Route.vehicle_id) == col(Vehicle.id))
        .join(Stop, col(Visit.stop_id) == col(Stop.id))
        .join(Village, col(Stop.village_id) == col(Village.id))
        .where(Route.plan_id == plan.id, Route.service_date == day)
        .order_by(col(Vehicle.name), col(Visit.sequence))
    ).all()
    ids = [visit.id for visit, *_ in rows if visit.id is not None]
    counts = session.exec(
        select(OutreachEvent.visit_id, func.count())
        .where(col(OutreachEvent.visit_id).in_(ids))
        .group_by(col(OutreachEvent.visit_id))
    )
    logged = {visit_id: count for visit_id, count in counts}
    return [
        TodayVisit(
            visit.id or 0,
            visit.sequence,
            vehicle.name,
            stop.id or 0,
            stop.name,
            village.name,
            visit.planned_start or visit.planned_arrival,
            visit.planned_departure,
            logged.get(visit.id, 0),
        )
        for visit, vehicle, stop, village in rows
    ]


def published_visit(session: Session, visit_id: int) -> Visit | None:
    """The visit, if it belongs to the published plan (an event may be logged against it)."""
    plan = published_plan(session)
    if plan is None or not 0 < visit_id <= MAX_ROW_ID:
        return None
    return session.exec(
        select(Visit)
        .join(Route, col(Visit.route_id) == col(Route.id))
        .where(Visit.id == visit_id, Route.plan_id == plan.id)
    ).first()


_SAME_FIELDS = (
    "stop_id",
    "event_type",
    "librarians",
    "attendance",
    "books_lent",
    "new_members",
    "satisfaction",
    "notes",
)


def _utc_naive(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def same_event(session: Session, values: EventValues, user_id: int | None) -> OutreachEvent | None:
    """An event this user already stored with exactly these values, if any.

    Back after saving reloads the form with a fresh idempotency key while the browser fills the
    typed fields in again; the second Save is the same event, not a new one."""
    probe = OutreachEvent(stop_id=values.stop_id, starts_at=values.starts_at, event_type="")
    values.apply_to(probe)
    candidates = session.exec(
        select(OutreachEvent).where(
            OutreachEvent.stop_id == values.stop_id,
            OutreachEvent.event_type == probe.event_type,
            OutreachEvent.created_by_id == user_id,
        )
    )
    for event in candidates:
        same_times = _utc_naive(event.starts_at) == _utc_naive(probe.starts_at) and _utc_naive(
            event.ends_at
        ) == _utc_naive(probe.ends_at)
        if same_times and all(getattr(event, f) == getattr(probe, f) for f in _SAME_FIELDS):
            return event
    return None
