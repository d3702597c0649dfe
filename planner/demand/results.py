"""Results of the demand model: per-village demand with its explanation, and the city summary."""

import math
from dataclasses import dataclass
from typing import Any

from planner.core import current_language
from planner.demand.inputs import DemandParams

FACTOR_KINDS = ("attendance", "priority")
RATE_DIGITS = 3
ATTENDANCE_DIGITS = 1
SCORE_DIGITS = 1
DISTANCE_DIGITS = 2
MINUTES_DIGITS = 1
FACTOR_DIGITS = 4
CONTRIBUTION_DIGITS = 2
KAPPA_DIGITS = 2


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class Factor:
    """One explained contribution, to expected attendance (people) or to priority (points).

    Attendance factors form a waterfall: their contributions add up to expected_attendance.
    Priority factors have value in [0, 1]; their contributions (100·weight·value) add up to
    the priority.
    """

    name: str
    label: str
    value: float
    weight: float
    contribution: float
    note: str
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in FACTOR_KINDS:
            msg = f"factor kind must be one of {', '.join(FACTOR_KINDS)}, got {self.kind!r}"
            raise ValueError(msg)
        if not all(math.isfinite(x) for x in (self.value, self.weight, self.contribution)):
            msg = f"factor {self.name} has a non-finite number"
            raise ValueError(msg)

    def as_dict(self) -> dict[str, Any]:
        """Return the factor as JSON-ready data."""
        return {
            "kind": self.kind,
            "name": self.name,
            "label": self.label,
            "value": round(self.value, FACTOR_DIGITS),
            "weight": round(self.weight, FACTOR_DIGITS),
            "contribution": round(self.contribution, CONTRIBUTION_DIGITS),
            "note": self.note,
        }


@dataclass(frozen=True)
class Share:
    """The share (0-1) of one day, slot, topic, age group or gender."""

    key: str
    share: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.share) and 0.0 <= self.share <= 1.0 + 1e-9):
            msg = f"share of {self.key} must lie in [0, 1], got {self.share!r}"
            raise ValueError(msg)


@dataclass(frozen=True)
class WindowShare:
    """A preferred time slot with its clock window (HH:MM) and share of respondents."""

    slot: str
    start: str
    end: str
    share: float

    def as_dict(self) -> dict[str, Any]:
        """Return the window as JSON-ready data."""
        share = round(self.share, RATE_DIGITS)
        return {"slot": self.slot, "start": self.start, "end": self.end, "share": share}


def shares_dict(shares: tuple[Share, ...]) -> dict[str, float]:
    """Map key to rounded share, keeping the tuple's (descending) order."""
    return {s.key: round(s.share, RATE_DIGITS) for s in shares}


@dataclass(frozen=True)
class VillageDemand:
    """Demand of one village: expected attendance, priority, visits, windows, topic mix."""

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
    preferred_days: tuple[Share, ...]
    preferred_windows: tuple[WindowShare, ...]
    topics: tuple[Share, ...]
    factors: tuple[Factor, ...]
    age_groups: tuple[Share, ...]
    genders: tuple[Share, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return the village's demand as JSON-ready data (rates 3 decimals, people 1)."""
        return {
            "code": self.code,
            "name": self.name,
            "population": self.population,
            "respondents": self.respondents,
            "interested": self.interested,
            "raw_interest_rate": _round(self.raw_interest_rate, RATE_DIGITS),
            "interest_rate": round(self.interest_rate, RATE_DIGITS),
            "tgm_mean": _round(self.tgm_mean, SCORE_DIGITS),
            "tgm_band": self.tgm_band,
            "distance_km": round(self.distance_km, DISTANCE_DIGITS),
            "travel_minutes_mean": _round(self.travel_minutes_mean, MINUTES_DIGITS),
            "model_attendance": round(self.model_attendance, ATTENDANCE_DIGITS),
            "observed_visits": self.observed_visits,
            "observed_mean": _round(self.observed_mean, ATTENDANCE_DIGITS),
            "expected_attendance": round(self.expected_attendance, ATTENDANCE_DIGITS),
            "priority": round(self.priority, SCORE_DIGITS),
            "visits_per_rotation": self.visits_per_rotation,
            "preferred_days": shares_dict(self.preferred_days),
            "preferred_windows": [w.as_dict() for w in self.preferred_windows],
            "topics": shares_dict(self.topics),
            "factors": [f.as_dict() for f in self.factors],
            "age_groups": shares_dict(self.age_groups),
            "genders": shares_dict(self.genders),
        }


@dataclass(frozen=True)
class CitySummary:
    """City-wide survey figures and the fitted Beta prior every village is shrunk toward."""

    respondents: int
    interested: int
    interest_rate: float
    tgm_mean: float | None
    prior_alpha: float
    prior_beta: float
    kappa_estimate: float | None
    kappa_used: float
    kappa_bounds: tuple[float, float]
    day_shares: tuple[Share, ...]
    slot_shares: tuple[Share, ...]
    topic_shares: tuple[Share, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return the city summary as JSON-ready data."""
        return {
            "respondents": self.respondents,
            "interested": self.interested,
            "interest_rate": round(self.interest_rate, RATE_DIGITS),
            "tgm_mean": _round(self.tgm_mean, SCORE_DIGITS),
            "prior_alpha": round(self.prior_alpha, RATE_DIGITS),
            "prior_beta": round(self.prior_beta, RATE_DIGITS),
            "kappa_estimate": _round(self.kappa_estimate, KAPPA_DIGITS),
            "kappa_used": round(self.kappa_used, KAPPA_DIGITS),
            "kappa_bounds": [round(bound, KAPPA_DIGITS) for bound in self.kappa_bounds],
            "day_shares": shares_dict(self.day_shares),
            "slot_shares": shares_dict(self.slot_shares),
            "topic_shares": shares_dict(self.topic_shares),
        }


@dataclass(frozen=True)
class DemandResult:
    """The city summary and one VillageDemand per input village, in input order."""

    city: CitySummary
    villages: tuple[VillageDemand, ...]
    params: DemandParams

    def village(self, code: str) -> VillageDemand:
        """The demand of the village with this code (KeyError if absent)."""
        for demand in self.villages:
            if demand.code == code:
                return demand
        raise KeyError(code)

    def as_dict(self) -> dict[str, Any]:
        """Return the whole result as JSON-ready data."""
        return {
            "city": self.city.as_dict(),
            "villages": [v.as_dict() for v in self.villages],
            "params": self.params.as_dict(),
        }


def format_number(value: float, digits: int = 1) -> str:
    """Format for the reader: 20.000 and 0,62 in Indonesian, 20,000 and 0.62 in English."""
    text = f"{value:,.{digits}f}"
    if current_language() == "en":
        return text
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_percent(rate: float, digits: int = 1) -> str:
    """Format a 0-1 rate as a percentage for the reader: 0.625 -> 62,5% (62.5% in English)."""
    return f"{format_number(100.0 * rate, digits)}%"
