"""The API's public shapes (the `...Public` models); openapi.py turns them into JSON Schema."""

from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    """What went wrong, in Bahasa Indonesia; `fields` maps a field path to its problem."""

    status: int
    message: str
    fields: dict[str, str] | None = None


class ErrorBody(BaseModel):
    """Every error answer: {"error": {...}}."""

    error: ErrorDetail


class VillagePublic(BaseModel):
    """A desa or kelurahan."""

    code: str = Field(examples=["32.79.01.2003"])
    name: str
    kind: str
    kecamatan_code: str
    kecamatan: str
    population_2010: int
    population_estimate: int
    area_km2: float
    inside_lat: float
    inside_lon: float


class VillageDetail(VillagePublic):
    """A village with its boundary (a GeoJSON geometry) and the ids of its stops."""

    geometry: dict[str, Any]
    stop_ids: list[int]


class StopPublic(BaseModel):
    """A service point (titik layanan)."""

    id: int
    name: str
    village_code: str
    village: str
    kind: str
    lat: float
    lon: float
    service_minutes: int
    approximate: bool
    active: bool
    vehicle_kinds: list[str]
    time_windows: dict[str, list[list[str]]]
    notes: str
    visits_override: int | None
    day_patterns: list[list[str]]
    crates: int


class PlanSummary(BaseModel):
    """A plan without its routes."""

    id: int
    status: str
    start: str = Field(json_schema_extra={"format": "date"})
    weeks: int
    provider: str
    provider_label: str
    solve_status: str
    metrics: dict[str, Any]
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    published_at: str | None = Field(json_schema_extra={"format": "date-time"})


class DepotPublic(BaseModel):
    """Where a route starts and ends."""

    name: str
    lat: float
    lon: float


class VisitPublic(BaseModel):
    """A planned stop on a route (times in the region's local time, with their offset)."""

    visit_id: int
    stop_id: int
    stop_name: str
    village_code: str
    village: str
    lat: float
    lon: float
    arrival: str | None
    start: str | None
    departure: str | None
    distance_m: int
    travel_s: int
    topics: list[str]
    notes: str


class RoutePublic(BaseModel):
    """One vehicle's day."""

    route_id: int
    vehicle: str
    vehicle_id: int
    vehicle_kind: str
    date: str = Field(json_schema_extra={"format": "date"})
    start: str | None
    end: str | None
    distance_m: int
    depot: DepotPublic | None
    breaks: list[dict[str, Any]]
    visits: list[VisitPublic]


class PlanDetail(BaseModel):
    """A plan with its routes, unserved visits and diagnostics (as `keliling plan` prints it)."""

    id: int
    status: str
    start: str = Field(json_schema_extra={"format": "date"})
    weeks: int
    provider: str
    provider_label: str
    solve_status: str
    metrics: dict[str, Any]
    routes: list[RoutePublic]
    unserved: list[dict[str, Any]]
    diagnostics: list[dict[str, Any]]


class CheckInPublic(BaseModel):
    """A driver's report at a visit."""

    id: int
    visit_id: int
    route_id: int
    plan_id: int
    stop_id: int
    stop_name: str
    vehicle: str
    service_date: str = Field(json_schema_extra={"format": "date"})
    status: str
    recorded_at: str = Field(json_schema_extra={"format": "date-time"})
    tapped_at: str | None = Field(json_schema_extra={"format": "date-time"})
    note: str


class FactorPublic(BaseModel):
    """One explained contribution to attendance or priority."""

    kind: str
    name: str
    label: str
    value: float
    weight: float
    contribution: float
    note: str


class WindowPublic(BaseModel):
    """A preferred time slot and its share of respondents."""

    slot: str
    start: str
    end: str
    share: float


class VillageDemandPublic(BaseModel):
    """Demand of one village, with the factors that explain it."""

    code: str
    name: str
    population: int
    respondents: int
    interested: int
    raw_interest_rate: float | None
    interest_rate: float
    tgm_mean: float | None
    tgm_band: str | None
    distance_km: float
    travel_minutes_mean: float | None
    model_attendance: float
    observed_visits: int
    observed_mean: float | None
    expected_attendance: float
    priority: float
    visits_per_rotation: int
    preferred_days: dict[str, float]
    preferred_windows: list[WindowPublic]
    topics: dict[str, float]
    factors: list[FactorPublic]
    age_groups: dict[str, float]
    genders: dict[str, float]


class CityDemandPublic(BaseModel):
    """City-wide survey figures and the prior every village is shrunk toward."""

    respondents: int
    interested: int
    interest_rate: float
    tgm_mean: float | None
    prior_alpha: float
    prior_beta: float
    kappa_estimate: float | None
    kappa_used: float
    kappa_bounds: list[float]
    day_shares: dict[str, float]
    slot_shares: dict[str, float]
    topic_shares: dict[str, float]


class DemandPublic(BaseModel):
    """The demand model's result (as the demand page and `keliling demand` show it)."""

    city: CityDemandPublic
    villages: list[VillageDemandPublic]
    params: dict[str, Any]


class EventPublic(BaseModel):
    """An outreach event held at a stop (times in the region's local time, with their offset)."""

    id: int
    stop_id: int
    stop_name: str
    village_code: str
    village: str
    visit_id: int | None
    event_type: str
    starts_at: str = Field(json_schema_extra={"format": "date-time"})
    ends_at: str | None = Field(json_schema_extra={"format": "date-time"})
    librarians: list[str]
    attendance: dict[str, dict[str, int]]
    attendance_total: int
    books_lent: int
    new_members: int
    satisfaction: dict[str, int]
    notes: str
    created_by: str | None = Field(description="Full name (else username) of who logged it")
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    updated_at: str | None = Field(json_schema_extra={"format": "date-time"})
