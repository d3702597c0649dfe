"""The planning problem and its plan, as plain frozen dataclasses (`solve(problem) -> Plan`).

Times inside a problem and a plan are seconds since midnight (local time, in the region's zone)
of the horizon's first calendar day; a time of day is seconds since that day's midnight.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.core import weekday_key
from planner.travel import TravelMatrix

SECONDS_PER_DAY = 86_400
# The same tuple under its old name, while planner.routing's front door and bench/ import it
# from here (an `import ... as` alias would not count as exported under mypy --strict).
MAX_WEEKS = 4


@dataclass(frozen=True)
class Window:
    """A time-of-day interval [start_s, end_s)."""

    start_s: int
    end_s: int

    def __post_init__(self) -> None:
        if not 0 <= self.start_s < self.end_s <= SECONDS_PER_DAY:
            msg = f"window {self.start_s}-{self.end_s} must satisfy 0 <= start < end <= 86400"
            raise ValueError(msg)

    @property
    def duration_s(self) -> int:
        """Length of the window in seconds."""
        return self.end_s - self.start_s


@dataclass(frozen=True)
class BreakRule:
    """A fixed break (lunch, Friday prayer) on some weekdays."""

    name: str
    weekdays: tuple[str, ...]
    window: Window


@dataclass(frozen=True)
class VehicleSpec:
    """A vehicle with its shift per weekday and breaks; it starts and ends at the depot."""

    id: int
    name: str
    kind: str
    shifts: tuple[tuple[str, Window], ...]
    breaks: tuple[BreakRule, ...] = ()
    capacity_crates: int | None = None
    max_stops_per_day: int | None = None

    def shift_on(self, weekday: str) -> Window | None:
        """The shift on a weekday, or None when the vehicle does not work that day."""
        return dict(self.shifts).get(weekday)

    def breaks_on(self, weekday: str) -> tuple[BreakRule, ...]:
        """Breaks that apply on a weekday."""
        return tuple(b for b in self.breaks if weekday in b.weekdays)


@dataclass(frozen=True)
class Pin:
    """Keep one visit of a stop on this date and/or this vehicle."""

    date: dt.date | None = None
    vehicle_id: int | None = None


@dataclass(frozen=True)
class StopSpec:
    """A stop to visit `visits` times in the horizon, within its weekday windows."""

    id: int
    name: str
    village_code: str
    lat: float
    lon: float
    service_s: int
    windows: tuple[tuple[str, tuple[Window, ...]], ...]
    vehicle_kinds: frozenset[str]
    visits: int = 1
    patterns: tuple[tuple[str, ...], ...] = ()
    crates: int = 0
    penalty: int = 100_000
    expected_attendance: float = 0.0
    pins: tuple[Pin, ...] = ()

    def __post_init__(self) -> None:
        if self.service_s <= 0:
            msg = f"stop {self.name}: service time must be positive"
            raise ValueError(msg)
        if self.visits < 0:
            msg = f"stop {self.name}: visits must be >= 0"
            raise ValueError(msg)
        if self.penalty <= 0:
            msg = f"stop {self.name}: penalty must be positive"
            raise ValueError(msg)

    def windows_on(self, weekday: str) -> tuple[Window, ...]:
        """The stop's windows on a weekday (empty if it cannot be visited then)."""
        return dict(self.windows).get(weekday, ())


@dataclass(frozen=True)
class Depot:
    """Where every route starts and ends."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class PreviousVisit:
    """A visit of the published plan, to keep when re-planning."""

    stop_id: int
    date: dt.date
    vehicle_id: int
    position: int = 0


@dataclass(frozen=True)
class Problem:
    """Everything the solver needs. Matrix index 0 is the depot, i + 1 is stops[i]."""

    start: dt.date
    weeks: int
    working_days: tuple[str, ...]
    depot: Depot
    vehicles: tuple[VehicleSpec, ...]
    stops: tuple[StopSpec, ...]
    travel: Mapping[str, TravelMatrix]
    holidays: frozenset[dt.date] = frozenset()
    previous: tuple[PreviousVisit, ...] = ()
    # Every visit of a stop by vehicles of one kind, which the solver chooses among the stop's
    # vehicle_kinds (the van with the large collection all rotation long; one depot per
    # customer in the multi-depot periodic benchmarks).
    one_kind_per_stop: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.weeks <= MAX_WEEKS:
            msg = f"weeks must be 1-{MAX_WEEKS}, got {self.weeks}"
            raise ValueError(msg)
        size = len(self.stops) + 1
        for vehicle in self.vehicles:
            matrix = self.travel.get(vehicle.kind)
            if matrix is None or len(matrix.duration_s) != size:
                msg = f"no {size}x{size} travel matrix for vehicle kind {vehicle.kind}"
                raise ValueError(msg)
        if len({s.id for s in self.stops}) != len(self.stops):
            msg = "stop ids must be unique"
            raise ValueError(msg)

    @property
    def horizon_days(self) -> int:
        """Calendar days in the horizon."""
        return 7 * self.weeks

    def date_of(self, day_index: int) -> dt.date:
        """The calendar date of a day index."""
        return self.start + dt.timedelta(days=day_index)

    def working_day_indexes(self) -> tuple[int, ...]:
        """Day indexes that are working days and not holidays."""
        return tuple(
            d
            for d in range(self.horizon_days)
            if weekday_key(self.date_of(d)) in self.working_days
            and self.date_of(d) not in self.holidays
        )

    @property
    def provider(self) -> str:
        """The travel-time provider of the matrices."""
        return next(iter(self.travel.values())).provider

    @property
    def provider_label(self) -> str:
        """The provider's label, shown with every plan."""
        return next(iter(self.travel.values())).label


@dataclass(frozen=True)
class SolveProgress:
    """The best plan found so far, as a coordinator reads it: visits placed and kilometres."""

    elapsed_s: float
    time_limit_s: float
    visits_planned: int
    visits_required: int
    distance_m: int
    objective: int


ProgressCallback = Callable[[SolveProgress], None]


@dataclass(frozen=True)
class SolveParams:
    """Search settings: time limit, stability weight, progress reporting."""

    time_limit_s: float = 10.0
    stability_penalty: int = 5_000
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    # AUTO picks iterated or guided local search by the problem (solver._metaheuristic);
    # any OR-Tools LocalSearchMetaheuristic name, or ITERATED_LOCAL_SEARCH, forces one.
    metaheuristic: str = "AUTO"
    # AUTO routes small problems as one model and larger ones day by day (solver.choose_method);
    # "SINGLE" or "DAYS" forces one.
    method: str = "AUTO"
    # Day by day, route this many days at once in worker processes (1: in this process).
    workers: int = 1
    progress: ProgressCallback | None = field(default=None, compare=False)
    should_stop: Callable[[], bool] | None = field(default=None, compare=False)
    log_search: bool = False


@dataclass(frozen=True)
class PlannedVisit:
    """A visit in a route: arrival, service start and departure (seconds from horizon start)."""

    stop_id: int
    arrival_s: int
    start_s: int
    departure_s: int
    travel_s: int
    distance_m: int


@dataclass(frozen=True)
class PlannedBreak:
    """A break taken on a route."""

    name: str
    start_s: int
    end_s: int


@dataclass(frozen=True)
class RoutePlan:
    """One vehicle's day: leave the depot, visits in order, return."""

    vehicle_id: int
    day_index: int
    start_s: int
    end_s: int
    visits: tuple[PlannedVisit, ...]
    return_travel_s: int
    return_distance_m: int
    breaks: tuple[PlannedBreak, ...] = ()

    @property
    def distance_m(self) -> int:
        """Total distance driven, back to the depot."""
        return sum(v.distance_m for v in self.visits) + self.return_distance_m

    @property
    def driving_s(self) -> int:
        """Total driving time, back to the depot."""
        return sum(v.travel_s for v in self.visits) + self.return_travel_s


@dataclass(frozen=True)
class Unserved:
    """A required visit left out of the plan, and why.

    `reason` is the sentence in Bahasa Indonesia; `code` and `params` (plain JSON values: ISO
    dates, names, numbers) let a screen say it again in another language.
    """

    stop_id: int
    visits: int
    code: str
    reason: str
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in the input before solving, naming the stop (`params` as in Unserved)."""

    stop_id: int
    stop_name: str
    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Plan:
    """The solver's answer."""

    start: dt.date
    weeks: int
    provider: str
    provider_label: str
    status: str
    routes: tuple[RoutePlan, ...]
    unserved: tuple[Unserved, ...]
    diagnostics: tuple[Diagnostic, ...]
    objective: int
    solve_seconds: float

    @property
    def visits_planned(self) -> int:
        """Number of visits in all routes."""
        return sum(len(r.visits) for r in self.routes)
