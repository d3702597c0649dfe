"""Per-village demand tallies: the survey answers and logged visits reduced for the demand model."""

from datetime import datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from planner.store.models.base import json_dict, utcnow
from planner.store.models.survey import SurveyResponse

SOURCE_LENGTH = 120


class DemandAggregate(SQLModel, table=True):
    """One village's demand tally (planner.demand), refreshed whenever its answers or visits change.

    `answers_source` and `events_source` say what the tally was made from (how many answers and
    visits, the newest ids, the latest edit); a reader whose database says otherwise recomputes.
    """

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", unique=True)
    # The tally format and TGM scale it was made with.
    basis: str = Field(max_length=64)
    answers_source: str = Field(max_length=SOURCE_LENGTH)
    events_source: str = Field(max_length=SOURCE_LENGTH)
    tally: dict[str, Any] = json_dict()
    # {question: {"answered": n, "counts": {choice value: n}}} for the village's answer charts.
    breakdown: dict[str, Any] = json_dict()
    refreshed_at: datetime = Field(default_factory=utcnow)


# What a reader checks a tally against (answers per village, the newest id and batch) read from
# the index alone, not from 100,000 rows of answers.
ANSWER_SOURCE_INDEX = Index(
    "ix_surveyresponse_village_id_batch_id",
    SurveyResponse.__table__.c.village_id,  # type: ignore[attr-defined]
    SurveyResponse.__table__.c.batch_id,  # type: ignore[attr-defined]
)
