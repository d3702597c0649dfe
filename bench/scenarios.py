"""Kota Banjar-shaped planning problems from a seed, for `bench/scale.py`.

Everything regional comes from the project's region pack (`geodata.load_region()`): village
polygons, depot, working days, shift, breaks. Stops are drawn at random points inside each
village's polygon (rejection sampling within its bounds); the first stop of a village may be
the pack's own default stop at its inside point, as `keliling demo` installs it. Travel times
come from the project's straight-line estimate (`planner.travel.EstimateProvider`), one matrix
per vehicle kind, as `planner.plans.build_problem` builds them by default.
"""

import datetime as dt
import itertools
import random
from dataclasses import dataclass, replace

import shapely

from geodata import RegionPack
from planner.routing import (
    BreakRule,
    Depot,
    Problem,
    StopSpec,
    VehicleSpec,
    Window,
    min_gap_days,
)
from planner.travel import EstimateProvider, Point

START = dt.date(2025, 3, 3)  # a Monday, as bench/banjar.py
WEEKDAYS_MON_FRI = ("mon", "tue", "wed", "thu", "fri")
# Vehicle kinds as the demo fleet has them (planner/store/regions.py DEFAULT_VEHICLES):
# kind -> crates. Speeds are the estimate provider's defaults (van 30, motor 35 km/h).
FLEET_CAPACITY = {"van": 12, "motor": 2}
SERVICE_MINUTES = (30, 35, 40, 45)
MAX_TRIES = 10_000


def _w(start: str, end: str) -> Window:
    def seconds(text: str) -> int:
        hours, minutes = text.split(":")
        return int(hours) * 3600 + int(minutes) * 60

    return Window(seconds(start), seconds(end))


# Stop kinds (planner.store STOP_KINDS) with the weekday windows such places really have, and
# their share of the generated stops. "lainnya" gets the whole shift on every working day.
KIND_WINDOWS: dict[str, dict[str, Window]] = {
    "sekolah": dict.fromkeys(WEEKDAYS_MON_FRI, _w("07:30", "11:30")),
    "posyandu": dict.fromkeys(("tue", "thu"), _w("08:00", "11:00")),
    "masjid": dict.fromkeys((*WEEKDAYS_MON_FRI, "sat"), _w("13:00", "15:30")),
    "balai desa": dict.fromkeys(WEEKDAYS_MON_FRI[:4], _w("08:00", "14:00"))
    | {"fri": _w("08:00", "11:00")},
    "TBM": dict.fromkeys((*WEEKDAYS_MON_FRI, "sat"), _w("09:00", "15:00")),
}
KIND_SHARES = {
    "sekolah": 35, "posyandu": 15, "masjid": 20, "balai desa": 10, "TBM": 15, "lainnya": 5,
}  # fmt: skip
# Visits in four weeks, and the share of each frequency in the "mixed" option.
FREQUENCIES = {"monthly": 1, "2/month": 2, "weekly": 4, "2/week": 8, "3/week": 12}
MIXED_SHARES = {"monthly": 15, "2/month": 25, "weekly": 40, "2/week": 15, "3/week": 5}


@dataclass(frozen=True)
class ScenarioSpec:
    """What to generate: stops per village, fleet, rotation length, visit frequency."""

    stops_per_village: int
    vans: int
    motorbikes: int
    weeks: int
    frequency: str  # a FREQUENCIES key or "mixed"
    seed: int
    demo_stops: bool = True


def fits(frequency: str, weeks: int) -> bool:
    """Whether a frequency gives a whole number of visits in the rotation."""
    return FREQUENCIES[frequency] * weeks % 4 == 0


def max_per_week(weekdays: list[str]) -> int:
    """Most visits a week on these weekdays that keep the solver's spacing between visits."""
    index = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
    days = sorted(index[d] for d in weekdays)
    for count in range(min(3, len(days)), 1, -1):
        gap = min_gap_days(count, 7)
        for combo in itertools.combinations(days, count):
            gaps = [b - a for a, b in zip(combo, [*combo[1:], combo[0] + 7], strict=True)]
            if min(gaps) >= gap:
                return count
    return 1


def _visits(spec: ScenarioSpec, draw: float, weekdays: list[str]) -> int:
    """Visits in the rotation for one stop; `draw` in [0, 1) picks from the mixed shares."""
    frequency = spec.frequency
    if frequency == "mixed":
        shares = {f: s for f, s in MIXED_SHARES.items() if fits(f, spec.weeks)}
        frequency = _pick(shares, draw)
    per_week_cap = max_per_week(weekdays) * 4
    return min(FREQUENCIES[frequency], per_week_cap) * spec.weeks // 4


def _pick(shares: dict[str, int], draw: float) -> str:
    total, running = sum(shares.values()), 0.0
    for name, share in shares.items():
        running += share / total
        if draw < running:
            return name
    return name


def _windows(pack: RegionPack, kind: str) -> dict[str, Window]:
    shift = Window(_seconds(pack.shift.start), _seconds(pack.shift.end))
    found = KIND_WINDOWS.get(kind, dict.fromkeys(pack.working_days, shift))
    return {d: w for d, w in found.items() if d in pack.working_days}


def _seconds(value: dt.time) -> int:
    return value.hour * 3600 + value.minute * 60


def _inside(polygon: shapely.Geometry, rng: random.Random) -> tuple[float, float]:
    """A uniform random (lat, lon) inside the polygon, by rejection within its bounds."""
    west, south, east, north = polygon.bounds
    for _ in range(MAX_TRIES):
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if polygon.contains(shapely.Point(lon, lat)):
            return lat, lon
    msg = "no random point found inside a village polygon"
    raise RuntimeError(msg)


@dataclass(frozen=True)
class Drawn:
    """A stop as drawn from the seed, before the scenario's frequency turns it into visits."""

    name: str
    village_code: str
    kind: str
    lat: float
    lon: float
    minutes: int
    draw: float  # uniform in [0, 1), picks the stop's frequency in the mixed option


def _stop(spec: ScenarioSpec, pack: RegionPack, sid: int, drawn: Drawn) -> StopSpec:
    windows = _windows(pack, drawn.kind)
    return StopSpec(
        id=sid,
        name=drawn.name,
        village_code=drawn.village_code,
        lat=drawn.lat,
        lon=drawn.lon,
        service_s=drawn.minutes * 60,
        windows=tuple((d, (w,)) for d, w in sorted(windows.items())),
        vehicle_kinds=frozenset(FLEET_CAPACITY),
        visits=_visits(spec, drawn.draw, list(windows)),
    )


def draw_stops(spec: ScenarioSpec, pack: RegionPack) -> list[Drawn]:
    """Stops village by village; the same seed and stops per village place the same stops
    whatever the fleet, weeks and frequency."""
    rng, found = random.Random(spec.seed), []
    defaults = dict(zip(pack.villages, pack.default_stops(), strict=True))
    for village in pack.villages:
        polygon = shapely.from_geojson(village.geometry_geojson)
        shapely.prepare(polygon)
        for n in range(spec.stops_per_village):
            draw = rng.random()
            if n == 0 and spec.demo_stops:
                d = defaults[village]
                found.append(Drawn(d.name, d.village_code, d.kind, d.lat, d.lon,
                                   d.service_minutes, draw))  # fmt: skip
                continue
            kind = rng.choices(list(KIND_SHARES), weights=list(KIND_SHARES.values()))[0]
            lat, lon = _inside(polygon, rng)
            name = f"{kind} {village.name} {n + 1}"
            found.append(
                Drawn(name, village.code, kind, lat, lon, rng.choice(SERVICE_MINUTES), draw)
            )
    return found


def _fleet(spec: ScenarioSpec, pack: RegionPack) -> tuple[VehicleSpec, ...]:
    shift = Window(_seconds(pack.shift.start), _seconds(pack.shift.end))
    breaks = tuple(
        BreakRule(b.name, b.weekdays, Window(_seconds(b.start), _seconds(b.end)))
        for b in pack.breaks
    )
    kinds = ["van"] * spec.vans + ["motor"] * spec.motorbikes
    return tuple(
        VehicleSpec(
            id=i + 1,
            name=f"{kind} {i + 1}",
            kind=kind,
            shifts=tuple((d, shift) for d in pack.working_days),
            breaks=breaks,
            capacity_crates=FLEET_CAPACITY[kind],
        )
        for i, kind in enumerate(kinds)
    )


@dataclass(frozen=True)
class Scenario:
    """A generated problem and the kind of each stop (by stop id)."""

    problem: Problem
    kinds: dict[int, str]

    def kind_counts(self) -> dict[str, int]:
        """How many stops of each kind."""
        return {k: list(self.kinds.values()).count(k) for k in sorted(set(self.kinds.values()))}


def build_scenario(spec: ScenarioSpec, pack: RegionPack) -> Scenario:
    """The generated problem: stops, fleet, the pack's depot and days, estimate matrices."""
    drawn = draw_stops(spec, pack)
    stops = tuple(_stop(spec, pack, i + 1, d) for i, d in enumerate(drawn))
    vehicles = _fleet(spec, pack)
    provider = EstimateProvider()
    points = [Point(pack.depot.lat, pack.depot.lon)] + [Point(s.lat, s.lon) for s in stops]
    travel = {kind: provider.matrix(points, kind) for kind in sorted({v.kind for v in vehicles})}
    problem = Problem(
        start=START,
        weeks=spec.weeks,
        working_days=pack.working_days,
        depot=Depot(pack.depot.name, pack.depot.lat, pack.depot.lon),
        vehicles=vehicles,
        stops=stops,
        travel=travel,
    )
    return Scenario(problem, {i + 1: d.kind for i, d in enumerate(drawn)})


def one_week(problem: Problem) -> Problem:
    """The same stops and fleet over one week, each stop's visits divided by the weeks."""
    stops = tuple(replace(s, visits=s.visits // problem.weeks) for s in problem.stops)
    return replace(problem, weeks=1, stops=stops)
