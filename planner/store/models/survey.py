"""Imported community-survey files and their respondents."""

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from planner.store.models.base import json_dict, utcnow


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
    # Edited submissions whose earlier version this file replaced.
    updated_count: int = 0
    imported_at: datetime = Field(default_factory=utcnow)
    imported_by_id: int | None = Field(default=None, foreign_key="user.id")


class SurveyResponse(SQLModel, table=True):
    """One respondent's answers, normalised to the questionnaire's field names."""

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="surveybatch.id", index=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    # The submission's root id ("id:..."); for a row without ids its file and row ("f:...").
    # Rows imported before 0012 may hold "id:<instance id>" or "h:<answers digest>:<repeat>".
    response_key: str = Field(max_length=80, unique=True)
    # The version stored (Kobo _uuid, ODK meta-instanceID): an edit has a new one.
    instance_id: str | None = Field(default=None, max_length=80, index=True)
    # A hash of the village and answers: rows without ids that match earlier ones are flagged.
    answers_digest: str | None = Field(default=None, max_length=40, index=True)
    row_number: int | None = None
    answers: dict[str, Any] = json_dict()
    submitted_at: datetime | None = None
