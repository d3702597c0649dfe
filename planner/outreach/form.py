"""The outreach-event form: texts as typed, checked into values to store, problems per field.

Messages are in Bahasa Indonesia and name the problem; problem keys are the form's field names
(`date`, `start`, `stop`, `anak_L`, `satisfaction_5`, ...).
"""

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from planner.core import _, current_language, format_hhmm, parse_hhmm
from planner.editing import Checked
from planner.store import EVENT_TYPES, OutreachEvent

AGE_GROUPS = ("anak", "remaja", "dewasa", "lansia")
SEXES = ("L", "P")
SCORES = ("1", "2", "3", "4", "5")
MAX_COUNT = 10_000
MAX_NOTES_LENGTH = 2000
MAX_NAME_LENGTH = 120
MAX_LIBRARIANS = 20
# Staff may log an event planned for tomorrow morning, but not next week by a typo.
FUTURE_SLACK = dt.timedelta(days=1)
T = TypeVar("T")


def attendance_key(group: str, sex: str) -> str:
    """The form field of one attendance cell: `anak_L`."""
    return f"{group}_{sex}"


def satisfaction_key(score: str) -> str:
    """The form field of one satisfaction score: `satisfaction_5`."""
    return f"satisfaction_{score}"


def attendance_cell(attendance: Mapping[str, Any], group: str, sex: str) -> int:
    """One cell of an attendance dict ({"anak": {"L": 3, "P": 4}, ...}); 0 when missing."""
    cells = attendance.get(group)
    value = cells.get(sex) if isinstance(cells, Mapping) else None
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


ATTENDANCE_KEYS = tuple(attendance_key(g, s) for g in AGE_GROUPS for s in SEXES)


@dataclass(frozen=True)
class EventEntry:
    """An event form as typed; `counts` holds the attendance and satisfaction fields by key."""

    date: str
    start: str
    end: str
    stop: str
    event_type: str
    librarians: str
    counts: Mapping[str, str] = field(default_factory=dict)
    books_lent: str = ""
    new_members: str = ""
    notes: str = ""
    visit: str = ""


@dataclass(frozen=True)
class EventValues:
    """A checked event form, ready to store."""

    stop_id: int
    visit_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    event_type: str
    librarians: list[str]
    attendance: dict[str, dict[str, int]]
    books_lent: int
    new_members: int
    satisfaction: dict[str, int]
    notes: str

    def apply_to(self, event: OutreachEvent) -> None:
        """Copy the values onto the event row."""
        for name, value in vars(self).items():
            setattr(event, name, value)


def parse_count(text: str) -> int:
    """A head count: empty is 0, otherwise a whole number from 0 to MAX_COUNT."""
    cleaned = text.strip()
    if not cleaned:
        return 0
    if not re.fullmatch(r"[+-]?\d+", cleaned):
        msg = _("'{text}' is not a whole number; enter 0 or more.").format(text=text.strip())
        raise ValueError(msg)
    value = int(cleaned)
    if value < 0:
        raise ValueError(_("It may not be negative; enter 0 when there were none."))
    if value > MAX_COUNT:
        most = (
            f"{MAX_COUNT:,}" if current_language() == "en" else f"{MAX_COUNT:,}".replace(",", ".")
        )
        msg = _("At most {count}.").format(count=most)
        raise ValueError(msg)
    return value


def parse_clock(text: str) -> dt.time:
    """'08:30' or '8.30' as a time of day."""
    return dt.time.fromisoformat(parse_hhmm(text))


FIRST_YEAR = 2000  # older dates are typing mistakes (and year 1 overflows a zoned time)


def parse_day(text: str) -> dt.date:
    """A date as YYYY-MM-DD (what a date input sends) or DD-MM-YYYY / DD/MM/YYYY."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(_("The date is required."))
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", cleaned)
    if match:
        cleaned = f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    try:
        day = dt.date.fromisoformat(cleaned)
    except ValueError:
        msg = _("'{text}' is not a valid date; write e.g. 2026-11-30.").format(text=text.strip())
        raise ValueError(msg) from None
    if day.year < FIRST_YEAR:
        msg = _("'{text}' is too long ago: events can be recorded from the year 2000 on.")
        raise ValueError(msg.format(text=text.strip()))
    return day


def parse_librarians(text: str) -> list[str]:
    """Names separated by commas, each once, in the order written."""
    names: list[str] = []
    for piece in text.split(","):
        name = " ".join(piece.split())
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    if not names:
        raise ValueError(_("Write the name of at least one librarian on duty."))
    if len(names) > MAX_LIBRARIANS:
        raise ValueError(_("At most {count} names.").format(count=MAX_LIBRARIANS))
    too_long = [n for n in names if len(n) > MAX_NAME_LENGTH]
    if too_long:
        raise ValueError(_("A name is at most {count} characters.").format(count=MAX_NAME_LENGTH))
    return names


class _Problems:
    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def parse(self, key: str, parser: Callable[[str], T], text: str) -> T | None:
        try:
            return parser(text)
        except ValueError as error:
            self.found.setdefault(key, str(error))
            return None


def _times(
    entry: EventEntry, now: dt.datetime, zone: ZoneInfo, p: _Problems
) -> tuple[dt.datetime | None, dt.datetime | None]:
    day = p.parse("date", parse_day, entry.date)
    start = p.parse("start", parse_clock, entry.start)
    end = p.parse("end", parse_clock, entry.end) if entry.end.strip() else None
    if day is None or start is None:
        return None, None
    starts_at = dt.datetime.combine(day, start, tzinfo=zone)
    ends_at = dt.datetime.combine(day, end, tzinfo=zone) if end is not None else None
    if ends_at is not None and ends_at <= starts_at:
        msg = _("The end time must be after the start time {start}.")
        p.found.setdefault("end", msg.format(start=format_hhmm(start)))
    if starts_at > now + FUTURE_SLACK:
        p.found.setdefault(
            "date",
            _("The date is too far ahead: record events that have happened or are going on."),
        )
    return starts_at, ends_at


def _counts(entry: EventEntry, p: _Problems) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    def count(key: str) -> int:
        value = p.parse(key, parse_count, entry.counts.get(key, ""))
        return value if value is not None else 0

    attendance = {g: {s: count(attendance_key(g, s)) for s in SEXES} for g in AGE_GROUPS}
    satisfaction = {score: count(satisfaction_key(score)) for score in SCORES}
    present = sum(sum(cells.values()) for cells in attendance.values())
    answers = sum(satisfaction.values())
    if answers > present and not any(k.startswith("satisfaction_") for k in p.found):
        p.found["satisfaction"] = _(
            "There are more satisfaction answers ({answers}) than people present ({present}): "
            "check the numbers again."
        ).format(answers=answers, present=present)
    return attendance, satisfaction


def check_event(
    entry: EventEntry,
    stop_ids: Collection[int],
    now: dt.datetime,
    zone: ZoneInfo,
    visit_stops: Mapping[int, int] | None = None,
) -> Checked[EventValues]:
    """Check an event form typed in the region's `zone`; `visit_stops` maps its visits -> stop."""
    p = _Problems()
    starts_at, ends_at = _times(entry, now, zone, p)
    stop_id = int(entry.stop) if entry.stop.strip().isdigit() else None
    if stop_id is None or stop_id not in stop_ids:
        p.found["stop"] = _("Choose the service point where the event took place.")
    if entry.event_type not in EVENT_TYPES:
        p.found["event_type"] = _("Choose one of the kinds of event: {kinds}.").format(
            kinds=", ".join(EVENT_TYPES)
        )
    librarians = p.parse("librarians", parse_librarians, entry.librarians)
    attendance, satisfaction = _counts(entry, p)
    books = p.parse("books_lent", parse_count, entry.books_lent)
    members = p.parse("new_members", parse_count, entry.new_members)
    # NUL cannot be stored in PostgreSQL text; nobody types it on purpose.
    notes = entry.notes.replace("\r\n", "\n").replace("\x00", "").strip()
    if len(notes) > MAX_NOTES_LENGTH:
        p.found["notes"] = _("Notes are at most {count} characters.").format(count=MAX_NOTES_LENGTH)
    if p.found or starts_at is None or stop_id is None:
        return Checked(None, p.found)
    visit_id = int(entry.visit) if entry.visit.strip().isdigit() else None
    if visit_id is not None and (visit_stops or {}).get(visit_id) != stop_id:
        visit_id = None  # the stop was changed: the event no longer belongs to that visit
    values = EventValues(
        stop_id, visit_id, starts_at, ends_at, entry.event_type, librarians or [],
        attendance, books or 0, members or 0, satisfaction, notes,
    )  # fmt: skip
    return Checked(values, {})


def _text(value: int) -> str:
    return str(value) if value else ""


def event_entry(event: OutreachEvent, zone: ZoneInfo) -> EventEntry:
    """The form as the stored event fills it (times in `zone`, zero counts left empty)."""
    start = event.starts_at.astimezone(zone)
    counts = {
        attendance_key(g, s): _text(attendance_cell(event.attendance, g, s))
        for g in AGE_GROUPS
        for s in SEXES
    }
    counts |= {satisfaction_key(k): _text(int(event.satisfaction.get(k, 0))) for k in SCORES}
    return EventEntry(
        date=start.date().isoformat(),
        start=format_hhmm(start),
        end=format_hhmm(event.ends_at.astimezone(zone)) if event.ends_at else "",
        stop=str(event.stop_id),
        event_type=event.event_type,
        librarians=", ".join(event.librarians),
        counts=counts,
        books_lent=_text(event.books_lent),
        new_members=_text(event.new_members),
        notes=event.notes,
        visit=str(event.visit_id or ""),
    )


def new_event_entry(
    now: dt.datetime,
    zone: ZoneInfo,
    librarian: str,
    stop_id: int | None = None,
    visit_id: int | None = None,
    planned: tuple[dt.datetime, dt.datetime] | None = None,
) -> EventEntry:
    """A blank form: now (or the visit's planned times) in `zone`, the user as librarian."""
    start, end = (t.astimezone(zone) for t in planned) if planned else (now.astimezone(zone), None)
    return EventEntry(
        date=start.date().isoformat(),
        start=format_hhmm(start),
        end=format_hhmm(end) if end else "",
        stop=str(stop_id or ""),
        event_type=EVENT_TYPES[0],
        librarians=librarian,
        visit=str(visit_id or ""),
    )
