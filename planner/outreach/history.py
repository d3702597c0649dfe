"""The history of an outreach event: its state as JSON, and what each saved edit changed."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from planner.core import format_hhmm
from planner.outreach.form import (
    AGE_GROUPS,
    SCORES,
    SEXES,
    attendance_cell,
    attendance_key,
    satisfaction_key,
)
from planner.store import EventRevision, OutreachEvent, Stop, User, region_zone


def _local(value: dt.datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat() if value is not None else None


def event_snapshot(event: OutreachEvent, zone: ZoneInfo) -> dict[str, Any]:
    """The event's editable state as JSON (times in `zone`), as an EventRevision keeps it."""
    return {
        "stop_id": event.stop_id,
        "visit_id": event.visit_id,
        "starts_at": _local(event.starts_at, zone),
        "ends_at": _local(event.ends_at, zone),
        "event_type": event.event_type,
        "librarians": list(event.librarians),
        "attendance": {g: dict(v) for g, v in event.attendance.items()},
        "books_lent": event.books_lent,
        "new_members": event.new_members,
        "satisfaction": dict(event.satisfaction),
        "notes": event.notes,
        "updated_at": _local(event.updated_at, zone),
        "updated_by_id": event.updated_by_id,
    }


@dataclass(frozen=True)
class Change:
    """One field of an edit: its form key, and the value before and after as text."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One saved edit: when, by whom, what changed."""

    changed_at: dt.datetime
    changed_by: str
    changes: tuple[Change, ...]


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Display names (full name, else username) of the given users."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    users = session.exec(select(User).where(col(User.id).in_(wanted)))
    return {u.id: u.full_name or u.username for u in users if u.id is not None}


def _when(text: str | None, zone: ZoneInfo, with_date: bool = True) -> str:
    if not text:
        return ""
    moment = dt.datetime.fromisoformat(text).astimezone(zone)
    return f"{moment:%Y-%m-%d} {format_hhmm(moment)}" if with_date else format_hhmm(moment)


def _flat(
    snapshot: Mapping[str, Any], stop_names: Mapping[int, str], zone: ZoneInfo
) -> dict[str, str]:
    attendance = snapshot.get("attendance") or {}
    satisfaction = snapshot.get("satisfaction") or {}
    flat = {
        "start": _when(snapshot.get("starts_at"), zone),
        "end": _when(snapshot.get("ends_at"), zone, with_date=False),
        "stop": stop_names.get(snapshot["stop_id"], f"#{snapshot['stop_id']}"),
        "event_type": str(snapshot.get("event_type", "")),
        "librarians": ", ".join(snapshot.get("librarians") or ()),
    }
    for group in AGE_GROUPS:
        for sex in SEXES:
            flat[attendance_key(group, sex)] = str(attendance_cell(attendance, group, sex))
    flat["books_lent"] = str(snapshot.get("books_lent", 0))
    flat["new_members"] = str(snapshot.get("new_members", 0))
    for score in SCORES:
        flat[satisfaction_key(score)] = str(int(satisfaction.get(score) or 0))
    flat["notes"] = str(snapshot.get("notes", ""))
    return flat


def event_history(session: Session, event: OutreachEvent) -> list[HistoryEntry]:
    """Every saved edit of the event, newest first, with the fields it changed."""
    revisions = list(
        session.exec(
            select(EventRevision)
            .where(EventRevision.event_id == event.id)
            .order_by(col(EventRevision.changed_at), col(EventRevision.id))
        )
    )
    zone = region_zone(session)
    states = [r.snapshot for r in revisions] + [event_snapshot(event, zone)]
    stop_ids = {s["stop_id"] for s in states}
    stops = session.exec(select(Stop).where(col(Stop.id).in_(stop_ids)))
    stop_names = {s.id: s.name for s in stops if s.id is not None}
    names = user_names(session, (r.changed_by_id for r in revisions))
    entries = []
    for revision, before, after in zip(revisions, states, states[1:], strict=False):
        old, new = _flat(before, stop_names, zone), _flat(after, stop_names, zone)
        changes = tuple(Change(k, old[k], new[k]) for k in old if old[k] != new[k])
        who = names.get(revision.changed_by_id or 0, "")
        entries.append(HistoryEntry(revision.changed_at, who, changes))
    return entries[::-1]
