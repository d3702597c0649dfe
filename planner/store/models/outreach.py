"""Outreach events held at stops, and their edit history."""

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, Text
from sqlmodel import Field, SQLModel

from planner.store.models.base import json_dict, json_list, one_of, utcnow
from planner.store.vocabulary import EVENT_TYPES

IDEMPOTENCY_KEY_LENGTH = 64


class OutreachEvent(SQLModel, table=True):
    """A reading session, storytelling or other activity held at a stop."""

    __table_args__ = (CheckConstraint(one_of("event_type", EVENT_TYPES), name="event_type"),)

    id: int | None = Field(default=None, primary_key=True)
    stop_id: int = Field(foreign_key="stop.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    starts_at: datetime
    event_type: str = Field(max_length=32)
    librarians: list[str] = json_list()
    # {"anak": {"L": 3, "P": 4}, "remaja": {...}, ...}
    attendance: dict[str, Any] = json_dict()
    books_lent: int = 0
    new_members: int = 0
    # {"1": 0, "2": 1, ..., "5": 7}: count of answers per satisfaction score.
    satisfaction: dict[str, Any] = json_dict()
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    ends_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    # One key per rendering of the event form (or an API client's Idempotency-Key): the same
    # form sent twice (Back then Save, a double tap) stores one event.
    idempotency_key: str | None = Field(
        default=None, max_length=IDEMPOTENCY_KEY_LENGTH, unique=True
    )


class EventRevision(SQLModel, table=True):
    """An earlier state of an outreach event, kept each time it is edited."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="outreachevent.id", index=True)
    changed_at: datetime = Field(default_factory=utcnow)
    changed_by_id: int | None = Field(default=None, foreign_key="user.id")
    snapshot: dict[str, Any] = json_dict()
