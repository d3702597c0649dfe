"""Priority (0-100) of a village as weighted components, and the visits it earns."""

from planner.core import N_, _
from planner.demand.attendance import VillageEvidence, distance_share
from planner.demand.inputs import DemandParams
from planner.demand.results import CitySummary, Factor
from planner.demand.results import format_number as num
from planner.demand.results import format_percent as pct
from planner.demand.tgm import INDEX_MAX

KIND = "priority"
PRIORITY_MAX = 100.0
# Access gap: straight-line distance dominates; reported travel time corrects for bad roads.
DISTANCE_ACCESS_WEIGHT = 0.7
TRAVEL_ACCESS_WEIGHT = 0.3
TRAVEL_FULL_MINUTES = 60.0
# Without any TGM answer in the city the literacy need is unknown: count it as middling.
NEUTRAL_LITERACY_NEED = 0.5
EXPECTED = N_("Expected attendance")


def access_gap(distance_km: float, travel_minutes: float | None, params: DemandParams) -> float:
    """Access component in [0, 1]: distance share, blended with travel time when reported."""
    by_distance = distance_share(distance_km, params)
    if travel_minutes is None:
        return by_distance
    by_time = min(travel_minutes / TRAVEL_FULL_MINUTES, 1.0)
    return DISTANCE_ACCESS_WEIGHT * by_distance + TRAVEL_ACCESS_WEIGHT * by_time


def priority_factors(
    evidence: VillageEvidence,
    city: CitySummary,
    expected_attendance: float,
    top_attendance: float,
    params: DemandParams,
) -> tuple[Factor, ...]:
    """The four weighted components; their contributions (points) sum to the priority."""
    return (
        _attendance(expected_attendance, top_attendance, params),
        _interest(evidence.interest_rate, params),
        _access(evidence, params),
        _literacy_need(evidence.tgm_mean, city.tgm_mean, params),
    )


def priority_from(factors: tuple[Factor, ...]) -> float:
    """Priority 0-100: the sum of the priority factors' contributions."""
    total = sum(f.contribution for f in factors if f.kind == KIND)
    return min(max(total, 0.0), PRIORITY_MAX)


def visits_per_rotation(priority: float, params: DemandParams) -> int:
    """Visits per week from the first tier the priority reaches, capped, times the weeks."""
    per_week = next(visits for threshold, visits in params.visit_tiers if priority >= threshold)
    return min(per_week, params.max_visits_per_week) * params.weeks


def _factor(name: str, label: str, value: float, params: DemandParams, note: str) -> Factor:
    weight = params.weight(name)
    points = PRIORITY_MAX * weight * value
    note = _("{note}; weight {weight} → {points} points").format(
        note=note, weight=num(weight, 2), points=num(points)
    )
    return Factor(name, label, value, weight, points, note, KIND)


def _attendance(expected: float, top: float, params: DemandParams) -> Factor:
    if top <= 0:
        return _factor("attendance", _(EXPECTED), 0.0, params, _("No estimate yet"))
    value = expected / top
    note = _("{people} people ÷ the city's highest {top} people = {value}").format(
        people=num(expected), top=num(top), value=num(value, 2)
    )
    return _factor("attendance", _(EXPECTED), value, params, note)


def _interest(rate: float, params: DemandParams) -> Factor:
    note = _("Interest after pulling toward the city rate: {rate}").format(rate=pct(rate))
    return _factor("interest", _("Interest rate"), rate, params, note)


def _access(evidence: VillageEvidence, params: DemandParams) -> Factor:
    distance_km = evidence.village.distance_km
    minutes = evidence.travel_minutes_mean
    value = access_gap(distance_km, minutes, params)
    by_distance = distance_share(distance_km, params)
    distance = f"{num(distance_km)} km ÷ {num(params.access_full_km)} km = {num(by_distance, 2)}"
    if minutes is None:
        note = _("Distance {distance} (max. 1)").format(distance=distance)
    else:
        by_time = min(minutes / TRAVEL_FULL_MINUTES, 1.0)
        note = _(
            "{distance_weight} × distance ({distance}) + {time_weight} × travel time ({minutes}"
            " min ÷ {full} min = {by_time}), each max. 1 → {value}"
        ).format(
            distance_weight=num(DISTANCE_ACCESS_WEIGHT),
            distance=distance,
            time_weight=num(TRAVEL_ACCESS_WEIGHT),
            minutes=num(minutes),
            full=num(TRAVEL_FULL_MINUTES, 0),
            by_time=num(by_time, 2),
            value=num(value, 2),
        )
    return _factor("access", _("Access gap"), value, params, note)


def _literacy_need(
    village_tgm: float | None, city_tgm: float | None, params: DemandParams
) -> Factor:
    label = _("Literacy need")
    tgm = village_tgm if village_tgm is not None else city_tgm
    if tgm is None:
        note = _("No TGM data yet; middle value {value}").format(
            value=num(NEUTRAL_LITERACY_NEED, 2)
        )
        return _factor("literacy_need", label, NEUTRAL_LITERACY_NEED, params, note)
    value = 1.0 - tgm / INDEX_MAX
    source = "" if village_tgm is not None else _(" (city TGM; village not surveyed yet)")
    note = f"1 − TGM {num(tgm)} ÷ {num(INDEX_MAX, 0)} = {num(value, 2)}{source}"
    return _factor("literacy_need", label, value, params, note)
