"""The OpenAPI 3.1 document of /api/v1, built from the public models and small helpers."""

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from planner.demand import MAX_ROTATION_WEEKS
from planner.store import EVENT_TYPES
from web.api.core import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT
from web.api.event_input import EventCreate
from web.api.schemas import (
    CheckInPublic,
    DemandPublic,
    ErrorBody,
    EventPublic,
    PlanDetail,
    PlanSummary,
    RoutePublic,
    StopPublic,
    VillageDetail,
    VillagePublic,
)
from web.auth import OFFICE_ROLES, PLANNING_ROLES

PREFIX = "/api/v1"
REF = "#/components/schemas/{model}"
OUTPUTS: tuple[type[BaseModel], ...] = (
    ErrorBody,
    VillagePublic,
    VillageDetail,
    StopPublic,
    DemandPublic,
    PlanSummary,
    PlanDetail,
    RoutePublic,
    CheckInPublic,
    EventPublic,
)
PAGED = (
    "VillagePublic",
    "StopPublic",
    "PlanSummary",
    "RoutePublic",
    "CheckInPublic",
    "EventPublic",
)
ERRORS = {
    "400": ("BadRequest", "A query parameter, the address or the JSON is not valid."),
    "401": ("Unauthorized", "No token or session, or the token is unknown or revoked."),
    "403": ("Forbidden", "The caller's role may not use this endpoint."),
    "404": ("NotFound", "No record with this id or code."),
    "413": ("TooLarge", "The request body is too large."),
    "409": ("Conflict", "The Idempotency-Key was sent before with another event."),
    "415": ("UnsupportedMediaType", "The body is not sent as application/json."),
    "422": ("Unprocessable", "The body is JSON but its fields are not valid (see error.fields)."),
}
READ_ERRORS = ("400", "401", "403")
WRITE_ERRORS = ("400", "401", "403", "413", "415", "422")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description}


def _path(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    place = {"name": name, "in": "path", "required": True}
    return {**place, "schema": schema, "description": description}


ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
PAGING = [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/offset"}]


def _operation(
    op_id: str,
    summary: str,
    result: dict[str, Any],
    roles: tuple[str, ...],
    params: list[dict[str, Any]] | None = None,
    errors: tuple[str, ...] = READ_ERRORS,
    status: str = "200",
) -> dict[str, Any]:
    responses = {status: _json(result, "Created" if status == "201" else "OK")}
    for code in errors:
        responses[code] = {"$ref": f"#/components/responses/{ERRORS[code][0]}"}
    return {
        "operationId": op_id,
        "summary": summary,
        "description": f"Roles: {', '.join(roles)}.",
        "parameters": params or [],
        "responses": responses,
    }


def _listing(op_id: str, summary: str, item: str, roles: tuple[str, ...]) -> dict[str, Any]:
    return _operation(op_id, summary, _ref(f"{item}Page"), roles, PAGING)


def _event_filters() -> list[dict[str, Any]]:
    return [
        _query("from", {"type": "string", "format": "date"}, "First day (local date), YYYY-MM-DD"),
        _query("to", {"type": "string", "format": "date"}, "Last day (local date), YYYY-MM-DD"),
        _query("village", {"type": "string"}, "Village code"),
        _query("type", {"type": "string", "enum": list(EVENT_TYPES)}, "Event type"),
    ]


def _create_event() -> dict[str, Any]:
    create = _operation(
        "createEvent", "Log an outreach event", _ref("EventPublic"), OFFICE_ROLES,
        errors=(*WRITE_ERRORS, "409"), status="201",
    )  # fmt: skip
    create["requestBody"] = {
        "required": True,
        "content": {"application/json": {"schema": _ref("EventCreate")}},
    }
    create["responses"]["201"]["headers"] = {
        "Location": {"description": "The new event's address", "schema": {"type": "string"}}
    }
    create["parameters"] = [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "description": "Any 8-64 letters, digits, '-' or '_'; a retry with the same key "
            "answers 200 with the event stored the first time instead of storing it again",
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
        }
    ]
    create["responses"]["200"] = {
        "description": "Sent before with this Idempotency-Key: the event stored then",
        "content": {"application/json": {"schema": _ref("EventPublic")}},
    }
    return create


def _paths() -> dict[str, Any]:
    office, planning = OFFICE_ROLES, PLANNING_ROLES
    with_404 = (*READ_ERRORS, "404")
    code = _path("code", {"type": "string"}, "Village code") | {"example": "32.79.01.2003"}
    plan_id = _path("plan_id", ID, "Plan id")
    event_filters = _event_filters()
    weeks = {"type": "integer", "minimum": 1, "maximum": MAX_ROTATION_WEEKS, "default": 1}
    create = _create_event()
    docs = _operation("getOpenApi", "This document", {"type": "object"}, ("anyone",), errors=())
    docs["security"] = []
    village = _operation("getVillage", "One village with its boundary", _ref("VillageDetail"),
                         office, [code], with_404)  # fmt: skip
    stop = _operation("getStop", "One stop", _ref("StopPublic"), office,
                      [_path("stop_id", ID, "Stop id")], with_404)  # fmt: skip
    demand = _operation("getDemand", "Demand per village", _ref("DemandPublic"), office,
                        [_query("weeks", weeks, "Rotation length in weeks")])  # fmt: skip
    plan = _operation("getPlan", "A plan with its routes", _ref("PlanDetail"), planning,
                      [plan_id], with_404)  # fmt: skip
    routes = _operation("listRoutes", "A plan's routes", _ref("RoutePublicPage"), planning,
                        [plan_id, *PAGING], with_404)  # fmt: skip
    checkins = _operation("listCheckins", "Check-ins of a plan, newest first",
                          _ref("CheckInPublicPage"), planning,
                          [_query("plan", ID, "Plan id (default: the published plan)"), *PAGING],
                          with_404)  # fmt: skip
    events = _operation("listEvents", "Outreach events, newest first", _ref("EventPublicPage"),
                        office, [*event_filters, *PAGING])  # fmt: skip
    event = _operation("getEvent", "One outreach event", _ref("EventPublic"), office,
                       [_path("event_id", ID, "Event id")], with_404)  # fmt: skip
    return {
        "/villages": {"get": _listing("listVillages", "Villages by code", "VillagePublic", office)},
        "/villages/{code}": {"get": village},
        "/stops": {"get": _listing("listStops", "Stops by village and name", "StopPublic", office)},
        "/stops/{stop_id}": {"get": stop},
        "/demand": {"get": demand},
        "/plans": {"get": _listing("listPlans", "Plans, newest first", "PlanSummary", planning)},
        "/plans/{plan_id}": {"get": plan},
        "/plans/{plan_id}/routes": {"get": routes},
        "/checkins": {"get": checkins},
        "/events": {"get": events, "post": create},
        "/events/{event_id}": {"get": event},
        "/openapi.json": {"get": docs},
    }


def _schemas() -> dict[str, Any]:
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (m, "serialization") for m in OUTPUTS
    ] + [(EventCreate, "validation")]
    _, top = models_json_schema(models, ref_template=REF)
    schemas: dict[str, Any] = top["$defs"]
    for name in PAGED:
        schemas[f"{name}Page"] = {
            "type": "object",
            "required": ["items", "total"],
            "properties": {
                "items": {"type": "array", "items": _ref(name)},
                "total": {"type": "integer", "minimum": 0},
            },
        }
    return schemas


def _components() -> dict[str, Any]:
    responses = {
        name: _json(_ref("ErrorBody"), description) for name, description in ERRORS.values()
    }
    responses["Unauthorized"]["headers"] = {
        "WWW-Authenticate": {"description": "Bearer challenge", "schema": {"type": "string"}}
    }
    limit = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}
    offset = {"type": "integer", "minimum": 0, "maximum": MAX_ID, "default": 0}
    return {
        "schemas": _schemas(),
        "responses": responses,
        "parameters": {
            "limit": _query("limit", limit, "Items per page"),
            "offset": _query("offset", offset, "Items to skip"),
        },
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "from `keliling token`",
            },
            "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session"},
        },
    }


def _tagged(path: str, item: dict[str, Any]) -> dict[str, Any]:
    """Group operations by their first path segment (villages, stops, events, ...)."""
    tag = path.split("/")[1].removesuffix(".json")
    return {method: {**operation, "tags": [tag]} for method, operation in item.items()}


@cache
def openapi_document() -> dict[str, Any]:
    """The whole document (built once; it depends on code only)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Keliling API",
            "version": "1",
            "description": (
                "Data of the mobile-library planner. Send 'Authorization: Bearer <token>' "
                "(from 'keliling token create') or use a logged-in session; session POSTs need "
                "the X-CSRFToken header. Lists take limit (at most 200) and offset and answer "
                '{"items": [...], "total": n}. Errors answer {"error": {"status", "message"}} '
                "in Bahasa Indonesia."
            ),
        },
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        "paths": {PREFIX + path: _tagged(path, item) for path, item in _paths().items()},
        "components": _components(),
    }
