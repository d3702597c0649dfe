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
    answers: dict[str, Any] = json_dict()
    submitted_at: datetime | None = None
