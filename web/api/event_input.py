"""The body of POST /api/v1/events: its JSON model, checked by the event form's own rules.

Pydantic checks the JSON's shape and types; `planner.outreach.check_event` then applies the same
rules as the /kegiatan form, and its problems are renamed to the API's field paths.
"""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.config import JsonDict

from planner.core import format_hhmm, zone_abbreviation
from planner.editing import Checked
from planner.outreach import (
    AGE_GROUPS,
    MAX_COUNT,
    MAX_LIBRARIANS,
    MAX_NOTES_LENGTH,
    SCORES,
    SEXES,
    EventEntry,
    EventValues,
    attendance_key,
    check_event,
    satisfaction_key,
)
from planner.store import EVENT_TYPES
from web.api.core import MAX_ID

FIRST_YEAR = 2000
LAST_YEAR = 2100
ISO_EXAMPLE = "2025-03-03T09:00:00+07:00"


def _count() -> Any:
    return Field(default=0, ge=0, le=MAX_COUNT)


class GenderCounts(BaseModel):
    """People by sex: L (laki-laki) and P (perempuan)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    L: int = _count()  # noqa: N815 - the form's own codes
    P: int = _count()  # noqa: N815


class Attendance(BaseModel):
    """Attendance by age group; a missing group or sex counts as 0."""

    model_config = ConfigDict(extra="forbid", strict=True)

    anak: GenderCounts = Field(default_factory=GenderCounts)
    remaja: GenderCounts = Field(default_factory=GenderCounts)
    dewasa: GenderCounts = Field(default_factory=GenderCounts)
    lansia: GenderCounts = Field(default_factory=GenderCounts)


class Satisfaction(BaseModel):
    """How many answers gave each score from 1 (poor) to 5 (very good)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    score_1: int = Field(default=0, ge=0, le=MAX_COUNT, alias="1")
    score_2: int = Field(default=0, ge=0, le=MAX_COUNT, alias="2")
    score_3: int = Field(default=0, ge=0, le=MAX_COUNT, alias="3")
    score_4: int = Field(default=0, ge=0, le=MAX_COUNT, alias="4")
    score_5: int = Field(default=0, ge=0, le=MAX_COUNT, alias="5")


EXAMPLE: JsonDict = {
    "stop_id": 1,
    "starts_at": ISO_EXAMPLE,
    "ends_at": "2025-03-03T10:30:00+07:00",
    "event_type": "dongeng",
    "librarians": ["Siti Aminah"],
    "attendance": {"anak": {"L": 12, "P": 15}, "dewasa": {"P": 4}},
    "books_lent": 23,
    "new_members": 3,
    "satisfaction": {"4": 6, "5": 14},
    "notes": "Dongeng di halaman balai desa.",
}


class EventCreate(BaseModel):
    """A new outreach event; a time without an offset is the region's local time (minutes kept)."""

    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"examples": [EXAMPLE]}
    )

    stop_id: int = Field(ge=1, le=MAX_ID)
    visit_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    starts_at: dt.datetime = Field(examples=[ISO_EXAMPLE])
    ends_at: dt.datetime | None = Field(default=None, description="Same day as starts_at")
    event_type: str = Field(json_schema_extra={"enum": list(EVENT_TYPES)})
    librarians: list[str] = Field(min_length=1, max_length=MAX_LIBRARIANS)
    attendance: Attendance = Field(default_factory=Attendance)
    books_lent: int = _count()
    new_members: int = _count()
    satisfaction: Satisfaction = Field(default_factory=Satisfaction)
    notes: str = Field(default="", max_length=MAX_NOTES_LENGTH)

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _in_range(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            msg = f"tahun harus antara {FIRST_YEAR} dan {LAST_YEAR}"
            raise ValueError(msg)
        return value

    @field_validator("librarians")
    @classmethod
    def _names(cls, names: list[str]) -> list[str]:
        for name in names:
            _storable(name)
            if "," in name:
                raise ValueError("satu nama per isian, tanpa koma")
        return names

    @field_validator("notes")
    @classmethod
    def _notes(cls, notes: str) -> str:
        return _storable(notes)


def _storable(text: str) -> str:
    # PostgreSQL refuses NUL in text, and a lone surrogate cannot be stored as UTF-8.
    if "\x00" in text:
        raise ValueError("tidak boleh berisi karakter NUL")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("berisi karakter yang tidak sah") from None
    return text


def _local(value: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The time in the region's zone; one without an offset is taken as local already."""
    return (value if value.tzinfo is not None else value.replace(tzinfo=zone)).astimezone(zone)


def in_zone(data: EventCreate, zone: ZoneInfo) -> EventCreate:
    """The body with its times in the region's zone, as the /kegiatan form is filled in."""
    ends_at = _local(data.ends_at, zone) if data.ends_at is not None else None
    return data.model_copy(update={"starts_at": _local(data.starts_at, zone), "ends_at": ends_at})


def _entry(data: EventCreate) -> EventEntry:
    """The body (times in the region's zone) as the /kegiatan form would have been filled in."""
    counts = {
        attendance_key(group, sex): str(getattr(getattr(data.attendance, group), sex))
        for group in AGE_GROUPS
        for sex in SEXES
    }
    counts |= {satisfaction_key(s): str(getattr(data.satisfaction, f"score_{s}")) for s in SCORES}
    return EventEntry(
        date=data.starts_at.date().isoformat(),
        start=format_hhmm(data.starts_at),
        end=format_hhmm(data.ends_at) if data.ends_at else "",
        stop=str(data.stop_id),
        event_type=data.event_type,
        librarians=", ".join(data.librarians),
        counts=counts,
        books_lent=str(data.books_lent),
        new_members=str(data.new_members),
        notes=data.notes,
        visit=str(data.visit_id or ""),
    )


def _api_field(form_key: str) -> str:
    """The API path of a form field: `anak_L` -> `attendance.anak.L`."""
    renamed = {"date": "starts_at", "start": "starts_at", "end": "ends_at", "stop": "stop_id"}
    if form_key in renamed:
        return renamed[form_key]
    group, _, sex = form_key.partition("_")
    if group in AGE_GROUPS and sex in SEXES:
        return f"attendance.{group}.{sex}"
    if group == "satisfaction" and sex:
        return f"satisfaction.{sex}"
    return form_key


def check_body(
    body: EventCreate,
    stop_exists: bool,
    visit_stops: dict[int, int],
    now: dt.datetime,
    zone: ZoneInfo,
) -> Checked[EventValues]:
    """The body under the form's rules, read in the region's `zone`; problems keyed by API field."""
    data = in_zone(body, zone)
    early: dict[str, str] = {}
    if not stop_exists:
        early["stop_id"] = f"titik layanan #{data.stop_id} tidak ada"
    if data.ends_at is not None and data.ends_at.date() != data.starts_at.date():
        early["ends_at"] = f"harus pada hari yang sama ({zone_abbreviation(zone)}) dengan starts_at"
    if data.visit_id is not None and visit_stops.get(data.visit_id) != data.stop_id:
        early["visit_id"] = f"bukan kunjungan rencana terbit di titik layanan #{data.stop_id}"
    stop_ids = {data.stop_id} if stop_exists else set()
    checked = check_event(_entry(data), stop_ids, now, zone, visit_stops)
    problems = {_api_field(key): message for key, message in checked.problems.items()}
    problems = early | {k: v for k, v in problems.items() if k not in early}
    return Checked(None, problems) if problems else checked


def _message(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    datetime_text = f"harus tanggal-waktu ISO 8601, mis. {ISO_EXAMPLE}"
    messages = {
        "missing": "wajib diisi",
        "extra_forbidden": "kolom tidak dikenal",
        "int_type": "harus bilangan bulat",
        "string_type": "harus berupa teks",
        "list_type": "harus berupa daftar",
        "model_type": "harus berupa objek JSON",
        "datetime_type": datetime_text,
        "datetime_parsing": datetime_text,
        "datetime_from_date_parsing": datetime_text,
        "greater_than_equal": f"minimal {ctx.get('ge')}",
        "less_than_equal": f"maksimal {ctx.get('le')}",
        "string_too_long": f"maksimal {ctx.get('max_length')} karakter",
        "too_short": f"minimal {ctx.get('min_length')} isian",
        "too_long": f"maksimal {ctx.get('max_length')} isian",
        "enum": f"harus salah satu dari: {', '.join(EVENT_TYPES)}",
    }
    if kind == "greater_than_equal" and ctx.get("ge") == 0:
        return "tidak boleh negatif"
    if kind == "value_error":
        return str(ctx.get("error") or error["msg"])
    return messages.get(kind, "nilai tidak valid")


def field_errors(error: ValidationError) -> dict[str, str]:
    """Each invalid field's path (e.g. `attendance.anak.L`) with its problem in Indonesian."""
    problems: dict[str, str] = {}
    for item in error.errors():
        path = ".".join(str(part) for part in item["loc"]) or "body"
        problems.setdefault(path, _message(item))
    return problems
