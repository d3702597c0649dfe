"""A survey file imported in the background: its progress and outcome, shared between processes."""

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, Text
from sqlmodel import Field, SQLModel

from planner.store.models.base import STATUS_TYPE, json_list, one_of, utcnow
from planner.store.vocabulary import JOB_STATUSES, JobStatus


class SurveyImportJob(SQLModel, table=True):
    """An uploaded survey export waiting for, going through or done with its import."""

    __table_args__ = (CheckConstraint(one_of("status", JOB_STATUSES), name="status"),)

    id: int | None = Field(default=None, primary_key=True)
    status: JobStatus = Field(default="queued", sa_type=STATUS_TYPE, index=True)
    filename: str = Field(max_length=255)
    # The upload's random name in the instance folder's uploads; "" once the file is deleted.
    stored_name: str = Field(default="", max_length=64)
    size_bytes: int = 0
    dry_run: bool = False
    # What to do with respondents that files without ids may share: ask, add or skip.
    overlap_choice: str = Field(default="ask", max_length=8)
    rows_done: int = 0
    rows_total: int | None = None
    # The outcome: the import's counts, or the problems that refused it (row, column, message).
    batch_id: int | None = Field(default=None, foreign_key="surveybatch.id")
    responses: int = 0
    new: int = 0
    duplicates: int = 0
    updated: int = 0
    overlap: int = 0
    synthetic: bool = False
    already_imported: bool = False
    needs_choice: bool = False
    problems: list[dict[str, Any]] = json_list()
    problem_total: int = 0
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
