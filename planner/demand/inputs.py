"""Plain inputs of the demand model: survey answers, villages, logged visits and parameters."""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Any

from planner.core import WEEKDAYS
from planner.demand.tgm import DEFAULT_TGM_SCALE, TgmScale

SLOT_WINDOWS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {"pagi": ("07:30", "11:00"), "siang": ("11:00", "14:00"), "sore": ("14:00", "17:00")}
)
SLOTS = tuple(SLOT_WINDOWS)
TOPICS = (
    "anak",
    "agama",
    "pertanian",
    "kesehatan",
    "usaha",
    "pelajaran",
    "fiksi",
    "teknologi",
    "sejarah",
    "keterampilan",
)
AGE_GROUPS = ("anak", "remaja", "dewasa", "lansia")
GENDERS = ("L", "P")
INTEREST_MIN = 1
INTEREST_MAX = 5
MAX_ROTATION_WEEKS = 4
PRIORITY_COMPONENTS = ("attendance", "interest", "access", "literacy_need")
WEIGHT_SUM_TOLERANCE = 1e-6


def _check_non_negative(name: str, value: float) -> None:
    if not (math.isfinite(value) and value >= 0):
        msg = f"{name} must be a non-negative number, got {value!r}"
        raise ValueError(msg)


def _check_subset(name: str, values: Iterable[str], allowed: Iterable[str]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        msg = f"unknown {name}: {', '.join(unknown)}"
        raise ValueError(msg)


@dataclass(frozen=True)
class Respondent:
    """One survey answer: village, interest (1-5 Likert), TGM habits, preferences, profile."""

    village_code: str
    interest: int
    fm: float
    dm: float
    jb: float
    fai: float
    dai: float
    days: frozenset[str] = frozenset()
    slots: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    travel_minutes: float | None = None
    age_group: str | None = None
    gender: str | None = None

    def __post_init__(self) -> None:
        if not self.village_code.strip():
            msg = "respondent without a village code"
            raise ValueError(msg)
        if self.interest not in range(INTEREST_MIN, INTEREST_MAX + 1):
            msg = f"interest must be {INTEREST_MIN}-{INTEREST_MAX}, got {self.interest!r}"
            raise ValueError(msg)
        for name in ("fm", "dm", "jb", "fai", "dai"):
            _check_non_negative(name, getattr(self, name))
        if self.travel_minutes is not None:
            _check_non_negative("travel_minutes", self.travel_minutes)
        _check_subset("days", self.days, WEEKDAYS)
        _check_subset("slots", self.slots, SLOTS)
        _check_subset("topics", self.topics, TOPICS)
        _check_subset("age_group", [self.age_group] if self.age_group else [], AGE_GROUPS)
        _check_subset("gender", [self.gender] if self.gender else [], GENDERS)


@dataclass(frozen=True)
class VillageInfo:
    """A village as the model needs it; distance_km is straight-line from the fixed library."""

    code: str
    name: str
    population: int
    distance_km: float

    def __post_init__(self) -> None:
        if not self.code.strip():
            msg = "village without a code"
            raise ValueError(msg)
        if self.population < 0:
            msg = f"{self.code}: population must be >= 0, got {self.population}"
            raise ValueError(msg)
        _check_non_negative(f"{self.code}: distance_km", self.distance_km)


@dataclass(frozen=True)
class Observation:
    """The attendance logged at one visit to a village."""

    village_code: str
    attendance: int

    def __post_init__(self) -> None:
        if self.attendance < 0:
            msg = f"{self.village_code}: attendance must be >= 0, got {self.attendance}"
            raise ValueError(msg)


@dataclass(frozen=True)
class DemandParams:
    """Knobs of the demand model; the defaults suit a city of about 25 villages."""

    weeks: int = 1
    interest_threshold: int = 4
    small_sample_n: int = 3
    small_sample_max_shift: float = 0.10
    kappa_cap: float = 25.0
    visit_reach: float = 0.004
    access_weight: float = 0.5
    access_full_km: float = 10.0
    tgm_factor_bounds: tuple[float, float] = (0.8, 1.2)
    capacity_per_visit: int = 80
    observation_prior_visits: float = 3.0
    priority_weights: tuple[tuple[str, float], ...] = (
        ("attendance", 0.45),
        ("interest", 0.20),
        ("access", 0.20),
        ("literacy_need", 0.15),
    )
    visit_tiers: tuple[tuple[float, int], ...] = ((60.0, 3), (35.0, 2), (0.0, 1))
    max_visits_per_week: int = 3
    share_prior_strength: float = 10.0
    window_min_share: float = 0.25
    tgm: TgmScale = DEFAULT_TGM_SCALE

    def __post_init__(self) -> None:
        self._check_counts()
        self._check_amounts()
        self._check_priority_weights()
        self._check_visit_tiers()

    def _check_counts(self) -> None:
        if not 1 <= self.weeks <= MAX_ROTATION_WEEKS:
            msg = f"weeks must be 1-{MAX_ROTATION_WEEKS}, got {self.weeks}"
            raise ValueError(msg)
        if not INTEREST_MIN <= self.interest_threshold <= INTEREST_MAX:
            msg = f"interest_threshold must be {INTEREST_MIN}-{INTEREST_MAX}"
            raise ValueError(msg)
        if self.small_sample_n < 0:
            msg = f"small_sample_n must be >= 0, got {self.small_sample_n}"
            raise ValueError(msg)
        if self.capacity_per_visit < 1 or self.max_visits_per_week < 1:
            msg = "capacity_per_visit and max_visits_per_week must be >= 1"
            raise ValueError(msg)

    def _check_amounts(self) -> None:
        for name in ("access_weight", "observation_prior_visits", "share_prior_strength"):
            _check_non_negative(name, getattr(self, name))
        for name in ("small_sample_max_shift", "kappa_cap", "visit_reach", "access_full_km"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                msg = f"{name} must be positive, got {value!r}"
                raise ValueError(msg)
        if not 0 < self.small_sample_max_shift <= 1 or not 0 < self.visit_reach <= 1:
            msg = "small_sample_max_shift and visit_reach must lie in (0, 1]"
            raise ValueError(msg)
        if not 0 <= self.window_min_share <= 1:
            msg = f"window_min_share must lie in [0, 1], got {self.window_min_share}"
            raise ValueError(msg)
        low, high = self.tgm_factor_bounds
        if not 0 < low <= 1 <= high:
            msg = f"tgm_factor_bounds must satisfy 0 < low <= 1 <= high, got {low}, {high}"
            raise ValueError(msg)

    def _check_priority_weights(self) -> None:
        names = [name for name, _ in self.priority_weights]
        if sorted(names) != sorted(PRIORITY_COMPONENTS):
            msg = f"priority_weights must name each of {', '.join(PRIORITY_COMPONENTS)} once"
            raise ValueError(msg)
        weights = [weight for _, weight in self.priority_weights]
        for name, weight in self.priority_weights:
            _check_non_negative(f"priority weight {name}", weight)
        # Weights summing to 1 keep the priority on a 0-100 scale.
        if not math.isclose(sum(weights), 1.0, abs_tol=WEIGHT_SUM_TOLERANCE):
            msg = f"priority_weights must sum to 1, got {sum(weights):g}"
            raise ValueError(msg)

    def _check_visit_tiers(self) -> None:
        thresholds = [threshold for threshold, _ in self.visit_tiers]
        if not thresholds or any(b >= a for a, b in zip(thresholds, thresholds[1:], strict=False)):
            msg = f"visit_tiers need strictly decreasing thresholds, got {thresholds}"
            raise ValueError(msg)
        if thresholds[-1] > 0:
            msg = f"the last visit tier must start at 0, got {thresholds[-1]}"
            raise ValueError(msg)
        if any(visits < 0 for _, visits in self.visit_tiers):
            msg = "visits per week in visit_tiers must be >= 0"
            raise ValueError(msg)

    def weight(self, component: str) -> float:
        """The priority weight of one component (attendance, interest, access, literacy_need)."""
        return dict(self.priority_weights)[component]

    def as_dict(self) -> dict[str, Any]:
        """Return the parameters as JSON-ready data."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["tgm_factor_bounds"] = list(self.tgm_factor_bounds)
        data["priority_weights"] = dict(self.priority_weights)
        data["visit_tiers"] = [[threshold, visits] for threshold, visits in self.visit_tiers]
        data["tgm"] = self.tgm.as_dict()
        return data


DEFAULT_PARAMS = DemandParams()
