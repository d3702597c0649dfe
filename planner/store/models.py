"""Persistent data model (SQLModel tables); the Alembic chain in migrations/ mirrors it."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("admin", "koordinator", "sopir", "staf")
STOP_KINDS = ("sekolah", "balai desa", "masjid", "posyandu", "TBM", "lainnya")
VEHICLE_KINDS = ("van", "motor")
PLAN_STATUSES = ("draft", "published", "archived")
CHECKIN_STATUSES = ("tiba", "selesai", "dilewati")
EVENT_TYPES = ("layanan baca", "dongeng", "bedah buku", "literasi digital", "lomba", "lainnya")


def utcnow() -> datetime:
    """Current time, timezone-aware in UTC (sqlmodel's UTCDateTime refuses naive values)."""
    return datetime.now(UTC)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Region(SQLModel, table=True):
    """An administrative area (kab/kota) loaded from a region pack."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True)
    code: str = Field(max_length=16)
    name: str = Field(max_length=120)
    timezone: str = Field(default="Asia/Jakarta", max_length=64)
    settings: dict[str, Any] = _json()


class Village(SQLModel, table=True):
    """A desa or kelurahan with its polygon and population."""

    __table_args__ = (CheckConstraint(_one_of("kind", ("desa", "kelurahan")), name="kind"),)

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=120)
    kind: str = Field(max_length=16)
    kecamatan_code: str = Field(max_length=32)
    kecamatan: str = Field(max_length=120)
    population_2010: int
    population_estimate: int
    area_km2: float
    inside_lat: float
    inside_lon: float
    geometry: str = Field(sa_column=Column(Text, nullable=False))


class Depot(SQLModel, table=True):
    """Where vehicles start and end their day (the city library)."""

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    name: str = Field(max_length=200)
    lat: float
    lon: float
    approximate: bool = False


class Stop(SQLModel, table=True):
    """A service point (titik layanan) of a village where the bookmobile parks."""

    __table_args__ = (
        UniqueConstraint("village_id", "name", name="uq_stop_village_name"),
        CheckConstraint(_one_of("kind", STOP_KINDS), name="kind"),
        CheckConstraint("service_minutes > 0", name="service_minutes"),
    )

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    name: str = Field(max_length=200)
    kind: str = Field(default="lainnya", max_length=32)
    lat: float
    lon: float
    service_minutes: int = 45
    # {"mon": [["07:30", "12:00"], ...], ...}: allowed visit windows per weekday.
    time_windows: dict[str, Any] = _json()
    vehicle_kinds: list[str] = _json_list()
    approximate: bool = False
    active: bool = True
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Planning: visits per rotation (None = from the demand model), allowed weekday patterns
    # ([["mon", "thu"], ["tue", "fri"]]; empty = spread evenly) and book crates to drop off.
    visits_override: int | None = None
    day_patterns: list[list[str]] = _json_list()
    crates: int = 0


class Vehicle(SQLModel, table=True):
    """A bookmobile van or motorbike library with its shifts and breaks."""

    __table_args__ = (CheckConstraint(_one_of("kind", VEHICLE_KINDS), name="kind"),)

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    depot_id: int = Field(foreign_key="depot.id")
    name: str = Field(max_length=120, unique=True)
    kind: str = Field(max_length=16)
    # {"mon": ["07:30", "15:30"], ...}; a missing weekday means no shift.
    shifts: dict[str, Any] = _json()
    # [{"name": ..., "weekdays": [...], "start": "12:00", "end": "13:00"}, ...]
    breaks: list[dict[str, Any]] = _json_list()
    speed_kmh: float = 30.0
    capacity_crates: int | None = None
    max_stops_per_day: int | None = None
    active: bool = True


class User(SQLModel, table=True):
    """A login with one role."""

    __table_args__ = (CheckConstraint(_one_of("role", ROLES), name="role"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=16)
    full_name: str = Field(default="", max_length=120)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class SurveyBatch(SQLModel, table=True):
    """One imported survey file; its hash detects a re-import."""

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64, unique=True)
    source_format: str = Field(default="csv", max_length=16)
    synthetic: bool = False
    response_count: int = 0
    duplicates_skipped: int = 0
    imported_at: datetime = Field(default_factory=utcnow)
    imported_by_id: int | None = Field(default=None, foreign_key="user.id")


class SurveyResponse(SQLModel, table=True):
    """One respondent's answers, normalised to the questionnaire's field names."""

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="surveybatch.id", index=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    # The export's instance id, or a hash of the answers: the same respondent is stored once.
    response_key: str = Field(max_length=80, unique=True)
    row_number: int | None = None
    answers: dict[str, Any] = _json()
    submitted_at: datetime | None = None


class Plan(SQLModel, table=True):
    """A rotation of routes; at most one is published at a time."""

    __table_args__ = (CheckConstraint(_one_of("status", PLAN_STATUSES), name="status"),)

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    status: str = Field(default="draft", max_length=16, index=True)
    start_date: date
    weeks: int = 1
    travel_provider: str = Field(default="estimate", max_length=32)
    provider_label: str = Field(default="", max_length=255)
    solve_status: str = Field(default="ok", max_length=16)
    time_limit_s: float = 10.0
    objective: float | None = None
    metrics: dict[str, Any] = _json()
    unserved: list[dict[str, Any]] = _json_list()
    diagnostics: list[dict[str, Any]] = _json_list()
    # Coordinator's changes for the next re-plan: {"pins": [...], "removed": [...], "added": [...]}
    adjustments: dict[str, Any] = _json()
    based_on_id: int | None = Field(default=None, foreign_key="plan.id")
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    published_at: datetime | None = None


class Route(SQLModel, table=True):
    """One vehicle's day within a plan."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    vehicle_id: int = Field(foreign_key="vehicle.id")
    service_date: date
    start_at: datetime | None = None
    end_at: datetime | None = None
    distance_m: float = 0.0
    duration_s: int = 0
    breaks: list[dict[str, Any]] = _json_list()


class Visit(SQLModel, table=True):
    """A planned stop on a route, with its arrival and departure."""

    id: int | None = Field(default=None, primary_key=True)
    route_id: int = Field(foreign_key="route.id", index=True)
    stop_id: int = Field(foreign_key="stop.id", index=True)
    sequence: int
    planned_arrival: datetime
    planned_start: datetime | None = None
    planned_departure: datetime
    travel_s: int = 0
    distance_m: int = 0
    pinned: bool = False


class CheckIn(SQLModel, table=True):
    """A driver's report at a visit: arrived, finished or skipped (once each per visit)."""

    __table_args__ = (
        CheckConstraint(_one_of("status", CHECKIN_STATUSES), name="status"),
        UniqueConstraint("visit_id", "status", name="uq_checkin_visit_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    status: str = Field(max_length=16)
    recorded_at: datetime = Field(default_factory=utcnow)
    # When the driver tapped: earlier than recorded_at if sent after being offline.
    tapped_at: datetime | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    user_id: int | None = Field(default=None, foreign_key="user.id")


class OutreachEvent(SQLModel, table=True):
    """A reading session, storytelling or other activity held at a stop."""

    __table_args__ = (CheckConstraint(_one_of("event_type", EVENT_TYPES), name="event_type"),)

    id: int | None = Field(default=None, primary_key=True)
    stop_id: int = Field(foreign_key="stop.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    starts_at: datetime
    event_type: str = Field(max_length=32)
    librarians: list[str] = _json_list()
    # {"anak": {"L": 3, "P": 4}, "remaja": {...}, ...}
    attendance: dict[str, Any] = _json()
    books_lent: int = 0
    new_members: int = 0
    # {"1": 0, "2": 1, ..., "5": 7}: count of answers per satisfaction score.
    satisfaction: dict[str, Any] = _json()
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    ends_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")


class EventRevision(SQLModel, table=True):
    """An earlier state of an outreach event, kept each time it is edited."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="outreachevent.id", index=True)
    changed_at: datetime = Field(default_factory=utcnow)
    changed_by_id: int | None = Field(default=None, foreign_key="user.id")
    snapshot: dict[str, Any] = _json()


class ApiToken(SQLModel, table=True):
    """A personal token for the JSON API; only its SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(default="", max_length=120)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked: bool = False


JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled")


class SolveJob(SQLModel, table=True):
    """A planning run in the background; its progress is shared through the database."""

    __table_args__ = (CheckConstraint(_one_of("status", JOB_STATUSES), name="status"),)

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default="queued", max_length=16, index=True)
    start_date: date
    weeks: int = 1
    time_limit_s: float = 10.0
    based_on_id: int | None = Field(default=None, foreign_key="plan.id")
    elapsed_s: float = 0.0
    best_objective: int | None = None
    solutions: int = 0
    cancel_requested: bool = False
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    plan_id: int | None = Field(default=None, foreign_key="plan.id")
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
