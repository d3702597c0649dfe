"""The plan's JSON form, made from its typed view: what `keliling plan` writes, the API returns
and the exports read. Keys are the view's field names; times are ISO 8601 with the region's
UTC offset, dates ISO dates."""

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from planner.plans.view import PlanView, VisitView, load_plan

# View fields that only link values inside Python and are not part of the JSON form.
INTERNAL_FIELDS = frozenset({"plan_id"})


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _jsonable(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.name not in INTERNAL_FIELDS
        }
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def visit_to_json(visit: VisitView) -> dict[str, Any]:
    """A visit in the plan's JSON form."""
    data: dict[str, Any] = _jsonable(visit)
    return data


def plan_to_json(plan: PlanView) -> dict[str, Any]:
    """The plan's JSON form."""
    data: dict[str, Any] = _jsonable(plan)
    return data


def plan_json(session: Session, plan_id: int) -> dict[str, Any]:
    """The stored plan in its JSON form (times with the region's UTC offset)."""
    return plan_to_json(load_plan(session, plan_id))
