"""Persistent data model (SQLModel tables); the Alembic chain in migrations/ mirrors it.

Importing this package registers every table on `SQLModel.metadata`.
"""

from planner.store.models.base import MAX_ROW_ID, utcnow
from planner.store.models.calendar import ClosedDay
from planner.store.models.demand import DemandAggregate
from planner.store.models.outreach import EventRevision, OutreachEvent
from planner.store.models.plans import CheckIn, Plan, Route, SolveJob, Visit
from planner.store.models.region import Depot, Region, Stop, Vehicle, Village
from planner.store.models.survey import SurveyBatch, SurveyResponse
from planner.store.models.survey_jobs import SurveyImportJob
from planner.store.models.users import ApiToken, User

__all__ = [
    "ApiToken",
    "CheckIn",
    "ClosedDay",
    "DemandAggregate",
    "Depot",
    "EventRevision",
    "MAX_ROW_ID",
    "OutreachEvent",
    "Plan",
    "Region",
    "Route",
    "SolveJob",
    "Stop",
    "SurveyBatch",
    "SurveyImportJob",
    "SurveyResponse",
    "User",
    "Vehicle",
    "Village",
    "Visit",
    "utcnow",
]
