"""Plans, their routes and visits, drivers' check-ins and background solve jobs."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from planner.store.models.base import STATUS_TYPE, json_dict, json_list, one_of, utcnow
from planner.store.vocabulary import (
    CHECKIN_STATUSES,
    JOB_STATUSES,
    PLAN_STATUSES,
    CheckInStatus,
    JobStatus,
    PlanStatus,
)


class Plan(SQLModel, table=True):
    """A rotation of routes; at most one is published at a time."""

    __table_args__ = (CheckConstraint(one_of("status", PLAN_STATUSES), name="status"),)

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    status: PlanStatus = Field(default="draft", sa_type=STATUS_TYPE, index=True)
    start_date: date
    weeks: int = 1
    travel_provider: str = Field(default="estimate", max_length=32)
    provider_label: str = Field(default="", max_length=255)
    solve_status: str = Field(default="ok", max_length=16)
    time_limit_s: float = 10.0
    objective: float | None = None
    metrics: dict[str, Any] = json_dict()
    unserved: list[dict[str, Any]] = json_list()
    diagnostics: list[dict[str, Any]] = json_list()
    # Coordinator's changes for the next re-plan: {"pins": [...], "removed": [...], "added": [...]}
    adjustments: dict[str, Any] = json_dict()
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
    breaks: list[dict[str, Any]] = json_list()


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
        CheckConstraint(one_of("status", CHECKIN_STATUSES), name="status"),
        UniqueConstraint("visit_id", "status", name="uq_checkin_visit_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    status: CheckInStatus = Field(sa_type=STATUS_TYPE)
    recorded_at: datetime = Field(default_factory=utcnow)
    # When the driver tapped: earlier than recorded_at if sent after being offline.
    tapped_at: datetime | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    user_id: int | None = Field(default=None, foreign_key="user.id")


class SolveJob(SQLModel, table=True):
    """A planning run in the background; its progress is shared through the database."""

    __table_args__ = (CheckConstraint(one_of("status", JOB_STATUSES), name="status"),)

    id: int | None = Field(default=None, primary_key=True)
    status: JobStatus = Field(default="queued", sa_type=STATUS_TYPE, index=True)
    start_date: date
    weeks: int = 1
    time_limit_s: float = 10.0
    based_on_id: int | None = Field(default=None, foreign_key="plan.id")
    elapsed_s: float = 0.0
    best_objective: int | None = None
    # The best plan so far as a coordinator reads it (None until the search reports one).
    visits_planned: int | None = None
    visits_required: int | None = None
    distance_m: int | None = None
    solutions: int = 0
    cancel_requested: bool = False
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Set when the search placed no visit: the code of the most common reason (no plan stored).
    no_plan_reason: str | None = Field(default=None, max_length=32)
    plan_id: int | None = Field(default=None, foreign_key="plan.id")
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    # When the process solving it last said it is alive (a stale running job is marked failed).
    heartbeat_at: datetime | None = None
