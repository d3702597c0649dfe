"""From the database to a planning problem, and from a solved plan back to the database."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from planner.core import KelilingError, _, zone_of
from planner.demand import DemandParams, DemandResult, compute_demand
from planner.plans.pending import read_adjustments
from planner.routing import BreakRule as BreakSpec
from planner.routing import Depot, Pin, PreviousVisit, Problem, StopSpec, VehicleSpec, Window
from planner.store import Depot as DepotRow
from planner.store import Plan as PlanRow
from planner.store import Region, Route, Stop, Vehicle, Village, Visit, region_depot
from planner.travel import CachedProvider, EstimateProvider, Point, TravelProvider

# A visit left out costs as much as this many metres of driving, scaled by priority 0.5-1.5.
BASE_PENALTY_M = 100_000
MIN_PENALTY_SHARE = 0.5


@dataclass(frozen=True)
class PlanningContext:
    """What the database adds to a problem: names and villages for display and storage."""

    region: Region
    timezone: ZoneInfo
    stops: dict[int, Stop]
    villages: dict[int, Village]
    vehicles: dict[int, Vehicle]
    depot: DepotRow
    demand: DemandResult


def parse_hhmm(text: str) -> int:
    """'07:30' as seconds since midnight."""
    hours, minutes = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60


def _window(pair: list[str]) -> Window:
    return Window(parse_hhmm(pair[0]), parse_hhmm(pair[1]))


def vehicle_spec(vehicle: Vehicle) -> VehicleSpec:
    """A vehicle row as the solver sees it."""
    assert vehicle.id is not None
    breaks = tuple(
        BreakSpec(b["name"], tuple(b["weekdays"]), _window([b["start"], b["end"]]))
        for b in vehicle.breaks
    )
    return VehicleSpec(
        id=vehicle.id,
        name=vehicle.name,
        kind=vehicle.kind,
        shifts=tuple((day, _window(pair)) for day, pair in sorted(vehicle.shifts.items())),
        breaks=breaks,
        capacity_crates=vehicle.capacity_crates,
        max_stops_per_day=vehicle.max_stops_per_day,
    )


def _visits_per_stop(
    stops: list[Stop], demand: DemandResult, villages: dict[int, Village]
) -> dict[int, int]:
    """The village's recommended visits shared among its active stops (overrides win)."""
    per_village: dict[int, list[Stop]] = defaultdict(list)
    for stop in stops:
        per_village[stop.village_id].append(stop)
    visits: dict[int, int] = {}
    by_code = {v.code: v for v in demand.villages}
    for village_id, group in per_village.items():
        total = by_code[villages[village_id].code].visits_per_rotation
        automatic = [s for s in sorted(group, key=lambda s: s.id or 0) if s.visits_override is None]
        for position, stop in enumerate(automatic):
            assert stop.id is not None
            visits[stop.id] = total // len(automatic) + (
                1 if position < total % len(automatic) else 0
            )
        for stop in group:
            if stop.visits_override is not None and stop.id is not None:
                visits[stop.id] = stop.visits_override
    return visits


def _stop_spec(stop: Stop, village: Village, visits: int, demand: DemandResult) -> StopSpec:
    assert stop.id is not None
    village_demand = next(v for v in demand.villages if v.code == village.code)
    share = MIN_PENALTY_SHARE + village_demand.priority / 100
    windows = tuple(
        (day, tuple(_window(pair) for pair in pairs))
        for day, pairs in sorted(stop.time_windows.items())
        if pairs
    )
    return StopSpec(
        id=stop.id,
        name=stop.name,
        village_code=village.code,
        lat=stop.lat,
        lon=stop.lon,
        service_s=stop.service_minutes * 60,
        windows=windows,
        vehicle_kinds=frozenset(stop.vehicle_kinds),
        visits=visits,
        patterns=tuple(tuple(p) for p in stop.day_patterns),
        crates=stop.crates,
        penalty=max(1, round(BASE_PENALTY_M * share)),
        expected_attendance=village_demand.expected_attendance,
    )


def _apply_adjustments(visits: dict[int, int], adjustments: dict[str, Any]) -> dict[int, list[Pin]]:
    """Apply a coordinator's removed/added visits to `visits`; return the pins per stop."""
    pins: dict[int, list[Pin]] = defaultdict(list)
    for item in read_adjustments(adjustments):
        if item.kind == "removed":
            visits[item.stop_id] = max(0, visits.get(item.stop_id, 0) - 1)
        elif item.kind == "added":
            visits[item.stop_id] = visits.get(item.stop_id, 0) + 1
        else:
            pins[item.stop_id].append(Pin(item.date, item.vehicle_id))
    return pins


def default_provider(
    vehicles: list[Vehicle], region: Region, cache_dir: Path | None
) -> TravelProvider:
    """The straight-line estimate at each vehicle kind's speed, cached per region."""
    speeds = {v.kind: v.speed_kmh for v in vehicles}
    return CachedProvider(EstimateProvider(speeds_kmh=speeds), region.slug, cache_dir)


def _fleet(session: Session) -> tuple[Region, DepotRow, list[Vehicle]]:
    """The region, its depot and its active vehicles; KelilingError when one is missing."""
    region = session.exec(select(Region)).first()
    depot = region_depot(session, region.id) if region is not None else None
    if region is None or depot is None:
        msg = _("There is no region or depot in the database yet: run 'keliling init' first.")
        raise KelilingError(msg)
    vehicles = list(
        session.exec(select(Vehicle).where(col(Vehicle.active)).order_by(col(Vehicle.id)))
    )
    if not vehicles:
        raise KelilingError(_("There is no active vehicle yet: add a vehicle first."))
    return region, depot, vehicles


def _stop_specs(
    stops: list[Stop], villages: dict[int, Village], demand: DemandResult, base: PlanRow | None
) -> tuple[StopSpec, ...]:
    """Each active stop with its share of its village's visits and the draft's pins."""
    visits = _visits_per_stop(stops, demand, villages)
    pins = _apply_adjustments(visits, base.adjustments if base is not None else {})
    return tuple(
        replace(
            _stop_spec(s, villages[s.village_id], visits.get(s.id or 0, 0), demand),
            pins=tuple(pins.get(s.id or 0, ())),
        )
        for s in stops
    )


def build_problem(
    session: Session,
    start: dt.date,
    weeks: int,
    provider: TravelProvider | None = None,
    holidays: frozenset[dt.date] = frozenset(),
    cache_dir: Path | None = None,
    base_plan_id: int | None = None,
) -> tuple[Problem, PlanningContext]:
    """The planning problem for the database's region, vehicles, stops and demand.

    Re-planning keeps the published plan's days, or those of `base_plan_id` (a draft the
    coordinator adjusted: pinned, removed and added visits).
    """
    region, depot, vehicles = _fleet(session)
    stops = list(session.exec(select(Stop).where(col(Stop.active)).order_by(col(Stop.id))))
    villages = {v.id: v for v in session.exec(select(Village)) if v.id is not None}
    demand = compute_demand(session, DemandParams(weeks=weeks))
    base = session.get(PlanRow, base_plan_id) if base_plan_id is not None else None
    specs = _stop_specs(stops, villages, demand, base)
    provider = provider or default_provider(vehicles, region, cache_dir)
    points = [Point(depot.lat, depot.lon)] + [Point(s.lat, s.lon) for s in stops]
    travel = {kind: provider.matrix(points, kind) for kind in sorted({v.kind for v in vehicles})}
    problem = Problem(
        start=start,
        weeks=weeks,
        working_days=tuple(region.settings.get("working_days", ())),
        depot=Depot(depot.name, depot.lat, depot.lon),
        vehicles=tuple(vehicle_spec(v) for v in vehicles),
        stops=specs,
        travel=travel,
        holidays=holidays,
        previous=previous_visits(session, start, weeks, base),
    )
    context = PlanningContext(
        region=region,
        timezone=zone_of(region.timezone),
        stops={s.id: s for s in stops if s.id is not None},
        villages=villages,
        vehicles={v.id: v for v in vehicles if v.id is not None},
        depot=depot,
        demand=demand,
    )
    return problem, context


def previous_visits(
    session: Session, start: dt.date, weeks: int, base: PlanRow | None = None
) -> tuple[PreviousVisit, ...]:
    """A plan's visits (the published one by default) moved onto the new horizon: same
    weekday and week of the rotation."""
    published = base or session.exec(select(PlanRow).where(PlanRow.status == "published")).first()
    if published is None:
        return ()
    rows = session.exec(select(Visit, Route).join(Route).where(Route.plan_id == published.id)).all()
    horizon = 7 * weeks
    moved = []
    for visit, route in rows:
        offset = (route.service_date - published.start_date).days % (7 * published.weeks)
        week = (offset // 7) % weeks
        shift = (route.service_date.weekday() - start.weekday()) % 7
        day = week * 7 + shift
        if day < horizon:
            moved.append(
                PreviousVisit(
                    visit.stop_id, start + dt.timedelta(days=day), route.vehicle_id, visit.sequence
                )
            )
    return tuple(moved)
