"""The monthly report as plain data: visits planned vs done, events and what they recorded.

Which visits count as planned: for every day of the month, the visits of the one plan drivers
followed that day, i.e. among plans ever published (now published or archived) that have routes
on that day, the one published last before the day ended (in the region's zone). A plan
published only after the day is used for it when no earlier one covered it. Draft plans never
count. A visit is done when it has a *selesai* check-in and skipped when it has *dilewati* and
no *selesai*.
"""

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from planner.core import _

AGE_GROUPS = ("anak", "remaja", "dewasa", "lansia")
SEXES = ("L", "P")
SCORES = (1, 2, 3, 4, 5)
MIN_YEAR, MAX_YEAR = 2000, 2100
_MONTH = re.compile(r"(\d{4})-(\d{2})")
# Counts this app can give toward the national Indeks Pembangunan Literasi Masyarakat, with the
# wording used in the IPLM survey; the official form asks for much more (collections, staff...).
IPLM_COUNTS = (
    ("service_visits", "Layanan perpustakaan keliling (kunjungan terlaksana)"),
    ("villages_served", "Desa/kelurahan yang dilayani perpustakaan keliling"),
    ("literacy_events", "Kegiatan literasi yang diselenggarakan"),
    ("participants", "Partisipasi masyarakat dalam kegiatan literasi (orang)"),
    ("new_members", "Anggota baru perpustakaan"),
    ("books_lent", "Koleksi yang dipinjam (eksemplar)"),
)


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month (of local days)."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (MIN_YEAR <= self.year <= MAX_YEAR and 1 <= self.month <= 12):
            msg = _("not a valid month: {month}").format(month=f"{self.year:04d}-{self.month:02d}")
            raise ValueError(msg)

    @classmethod
    def parse(cls, text: str) -> "Month":
        """`2026-11` as a Month; ValueError for anything else."""
        found = _MONTH.fullmatch(text.strip())
        if found is None:
            msg = _("not a valid month: {month} (use YYYY-MM, e.g. 2026-11)").format(
                month=repr(text)
            )
            raise ValueError(msg)
        return cls(int(found[1]), int(found[2]))

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        """The month a day falls in."""
        return cls(day.year, day.month)

    @property
    def key(self) -> str:
        """`2026-11`."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> dt.date:
        """Its first day."""
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        """Its last day."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def next(self) -> "Month":
        """The month after (ValueError beyond MAX_YEAR)."""
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def previous(self) -> "Month":
        """The month before (ValueError before MIN_YEAR)."""
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def neighbours(self) -> tuple["Month | None", "Month | None"]:
        """The months before and after, None beyond the years a Month allows."""
        try:
            previous: Month | None = self.previous
        except ValueError:
            previous = None
        try:
            following: Month | None = self.next
        except ValueError:
            following = None
        return previous, following

    def bounds(self, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """Its start and the next month's start, midnight in the region's `zone`."""
        start = dt.datetime.combine(self.first, dt.time(0), tzinfo=zone)
        after = self.last + dt.timedelta(days=1)  # also past the last month a Month allows
        return start, dt.datetime.combine(after, dt.time(0), tzinfo=zone)


def count(value: Any) -> int:
    """A stored count as a non-negative int (anything unreadable counts as 0)."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return 0


@dataclass(frozen=True)
class Activity:
    """Events held and what they recorded; activities add up with `+`."""

    events: int = 0
    # People per (age group, sex) in AGE_GROUPS x SEXES order.
    attendance: tuple[int, ...] = (0,) * (len(AGE_GROUPS) * len(SEXES))
    books_lent: int = 0
    new_members: int = 0
    # Answers per satisfaction score 1..5.
    satisfaction: tuple[int, ...] = (0,) * len(SCORES)

    @classmethod
    def of_event(
        cls,
        attendance: Mapping[str, Any],
        books_lent: int,
        new_members: int,
        satisfaction: Mapping[str, Any],
    ) -> "Activity":
        """One event's numbers as stored (unknown groups and scores are ignored)."""
        people = []
        for group in AGE_GROUPS:
            cells = attendance.get(group)
            cells = cells if isinstance(cells, Mapping) else {}
            people += [count(cells.get(sex)) for sex in SEXES]
        answers = tuple(count(satisfaction.get(str(score))) for score in SCORES)
        return cls(1, tuple(people), count(books_lent), count(new_members), answers)

    def __add__(self, other: "Activity") -> "Activity":
        return Activity(
            self.events + other.events,
            tuple(a + b for a, b in zip(self.attendance, other.attendance, strict=True)),
            self.books_lent + other.books_lent,
            self.new_members + other.new_members,
            tuple(a + b for a, b in zip(self.satisfaction, other.satisfaction, strict=True)),
        )

    def people(self, group: str, sex: str) -> int:
        """Attendance of one age group and sex."""
        return self.attendance[AGE_GROUPS.index(group) * len(SEXES) + SEXES.index(sex)]

    def group_total(self, group: str) -> int:
        """Attendance of one age group, both sexes."""
        return sum(self.people(group, sex) for sex in SEXES)

    @property
    def participants(self) -> int:
        """Everyone who attended."""
        return sum(self.attendance)

    @property
    def answers(self) -> int:
        """Satisfaction answers given."""
        return sum(self.satisfaction)

    @property
    def satisfaction_mean(self) -> float | None:
        """Mean score 1-5, or None without answers."""
        if not self.answers:
            return None
        return sum(s * n for s, n in zip(SCORES, self.satisfaction, strict=True)) / self.answers


@dataclass(frozen=True)
class VisitCounts:
    """Visits planned, done (selesai) and skipped (dilewati)."""

    planned: int = 0
    done: int = 0
    skipped: int = 0

    def __add__(self, other: "VisitCounts") -> "VisitCounts":
        return VisitCounts(
            self.planned + other.planned, self.done + other.done, self.skipped + other.skipped
        )

    @property
    def done_share(self) -> float | None:
        """Done / planned, or None when nothing was planned."""
        return self.done / self.planned if self.planned else None


@dataclass(frozen=True)
class VillageRow:
    """One village's month."""

    code: str
    name: str
    kecamatan: str
    visits: VisitCounts
    activity: Activity


@dataclass(frozen=True)
class LibrarianRow:
    """Events a librarian took part in; `name` is empty for events that named nobody."""

    name: str
    activity: Activity


@dataclass(frozen=True)
class EventLine:
    """One event of the month, for the list."""

    event_id: int
    starts_at: dt.datetime
    village_code: str
    village: str
    stop: str
    event_type: str
    librarians: tuple[str, ...]
    activity: Activity
    notes: str


@dataclass(frozen=True)
class MonthlyReport:
    """Everything the monthly report shows."""

    month: Month
    villages: tuple[VillageRow, ...]
    librarians: tuple[LibrarianRow, ...]
    events: tuple[EventLine, ...]
    plan_ids: tuple[int, ...]

    @property
    def visits(self) -> VisitCounts:
        """City totals of visits."""
        return sum((v.visits for v in self.villages), VisitCounts())

    @property
    def activity(self) -> Activity:
        """City totals of events."""
        return sum((v.activity for v in self.villages), Activity())

    def events_by_type(self, types: Iterable[str]) -> list[tuple[str, int]]:
        """Events per type, in the order given."""
        return [(t, sum(e.event_type == t for e in self.events)) for t in types]

    def iplm(self) -> dict[str, int]:
        """The counts of IPLM_COUNTS by key."""
        activity = self.activity
        return {
            "service_visits": self.visits.done,
            "villages_served": sum(1 for v in self.villages if v.visits.done),
            "literacy_events": activity.events,
            "participants": activity.participants,
            "new_members": activity.new_members,
            "books_lent": activity.books_lent,
        }
