"""Outreach events in the JSON API: list with filters, one event, and logging a new one."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, request, url_for
from pydantic import ValidationError

from planner.demand import event_attendance
from planner.outreach import (
    AGE_GROUPS,
    SCORES,
    SEXES,
    EventFilter,
    EventRow,
    EventValues,
    attendance_cell,
    count_events,
    create_event_once,
    event_by_key,
    get_event,
    idempotency_key,
    list_events,
    published_visit,
    user_names,
)
from planner.store import EVENT_TYPES, OutreachEvent, Stop, Village, utcnow
from web.api.core import (
    ID_RULE,
    ApiError,
    allow,
    api_user,
    choice_arg,
    date_arg,
    page,
    page_args,
    public,
)
from web.api.event_input import EventCreate, check_body, field_errors
from web.api.schemas import EventPublic
from web.auth import OFFICE_ROLES
from web.db import get_session
from web.i18n import current_zone

bp = Blueprint("events", __name__, url_prefix="/events")
IDEMPOTENCY_HEADER = "Idempotency-Key"


def _local(value: dt.datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat() if value is not None else None


def event_public(row: EventRow, authors: dict[int, str]) -> dict[str, Any]:
    """The event as EventPublic data, whatever shape its stored counts have."""
    event = row.event
    satisfaction = event.satisfaction if isinstance(event.satisfaction, dict) else {}
    return public(
        EventPublic,
        {
            **event.model_dump(),
            "stop_name": row.stop_name,
            "village_code": row.village_code,
            "village": row.village_name,
            "starts_at": _local(event.starts_at, row.zone),
            "ends_at": _local(event.ends_at, row.zone),
            "created_at": _local(event.created_at, row.zone),
            "updated_at": _local(event.updated_at, row.zone),
            "librarians": [str(name) for name in event.librarians or []],
            "attendance": {
                group: {sex: attendance_cell(event.attendance, group, sex) for sex in SEXES}
                for group in AGE_GROUPS
            },
            "attendance_total": event_attendance(event.attendance),
            "satisfaction": {s: int(satisfaction.get(s) or 0) for s in SCORES},
            "created_by": authors.get(event.created_by_id or 0),
        },
    )


def _rows_public(rows: list[EventRow]) -> list[dict[str, Any]]:
    authors = user_names(get_session(), (row.event.created_by_id for row in rows))
    return [event_public(row, authors) for row in rows]


@bp.get("")
@allow(*OFFICE_ROLES)
def index() -> Any:
    """Events, newest first; filter by `from`/`to` (local days), `village` code and `type`."""
    chosen = EventFilter(
        start=date_arg("from"),
        end=date_arg("to"),
        village_code=request.args.get("village", ""),
        event_type=choice_arg("type", EVENT_TYPES) or "",
    )
    if chosen.start and chosen.end and chosen.start > chosen.end:
        raise ApiError(400, "Tanggal 'from' tidak boleh sesudah tanggal 'to'.")
    limit, offset = page_args()
    session = get_session()
    rows = list_events(session, chosen, limit, offset)
    return page(_rows_public(rows), count_events(session, chosen))


def _one(event_id: int) -> dict[str, Any]:
    session = get_session()
    event = get_event(session, event_id)
    stop = session.get(Stop, event.stop_id)
    village = session.get(Village, stop.village_id) if stop else None
    assert stop is not None and village is not None
    row = EventRow(event, stop.name, village.code, village.name, current_zone())
    return _rows_public([row])[0]


@bp.get(f"/<{ID_RULE}:event_id>")
@allow(*OFFICE_ROLES)
def show(event_id: int) -> Any:
    """One event."""
    return _one(event_id)


def _body() -> EventCreate:
    if not request.is_json:
        raise ApiError(415)
    try:
        return EventCreate.model_validate_json(request.get_data(cache=False))
    except ValidationError as error:
        if any(item["type"] == "json_invalid" for item in error.errors()):
            raise ApiError(400, "Isi permintaan bukan JSON yang sah.") from None
        raise ApiError(422, fields=field_errors(error)) from None


@bp.post("")
@allow(*OFFICE_ROLES)
def create() -> Any:
    """Log an event at a stop (the /kegiatan form's rules); 201 with the event and Location."""
    user = api_user()
    key = _idempotency_key()
    data = _body()
    session = get_session()
    visit = published_visit(session, data.visit_id) if data.visit_id else None
    visit_stops = {visit.id: visit.stop_id} if visit is not None and visit.id else {}
    stop_exists = session.get(Stop, data.stop_id) is not None
    checked = check_body(data, stop_exists, visit_stops, utcnow(), current_zone())
    if checked.value is None:
        raise ApiError(422, fields=checked.problems)
    stored = event_by_key(session, key) if key else None
    if stored is not None:
        return _replayed(stored, checked.value)
    event, created = create_event_once(session, checked.value, user.id, key)
    session.commit()
    assert event.id is not None
    if not created:
        return _replayed(event, checked.value)
    location = url_for("api.events.show", event_id=event.id)
    return _one(event.id), 201, {"Location": location}


def _idempotency_key() -> str | None:
    """The optional Idempotency-Key header: a retry with the same key stores nothing new."""
    sent = request.headers.get(IDEMPOTENCY_HEADER)
    if sent is None:
        return None
    key = idempotency_key(sent)
    if key is None:
        msg = f"Header {IDEMPOTENCY_HEADER} harus 8-64 huruf, angka, '-' atau '_'."
        raise ApiError(400, msg)
    return key


def _replayed(event: OutreachEvent, values: EventValues) -> Any:
    """The event stored by an earlier request with the same key and body (200, not a second
    event); a key sent again with another event is a conflict (409)."""
    assert event.id is not None
    if any(getattr(event, name) != value for name, value in vars(values).items()):
        msg = f"{IDEMPOTENCY_HEADER} ini sudah dipakai untuk kegiatan #{event.id} yang berbeda."
        raise ApiError(409, msg)
    location = url_for("api.events.show", event_id=event.id)
    return _one(event.id), 200, {"Location": location}
