"""Expected attendance per visit, explained as a waterfall of factors (people per visit)."""

from dataclasses import dataclass

from planner.core import _
from planner.demand.inputs import DemandParams, VillageInfo
from planner.demand.results import CitySummary, Factor
from planner.demand.results import format_number as num
from planner.demand.results import format_percent as pct
from planner.demand.stats import update_attendance

KIND = "attendance"


@dataclass(frozen=True)
class VillageEvidence:
    """What the survey and the visit log say about one village."""

    village: VillageInfo
    respondents: int
    interested: int
    raw_interest_rate: float | None
    interest_rate: float
    tgm_mean: float | None
    travel_minutes_mean: float | None
    observed: tuple[int, ...]


@dataclass(frozen=True)
class AttendanceEstimate:
    """Model and blended attendance per visit, with factors whose contributions sum to it."""

    model_attendance: float
    expected_attendance: float
    factors: tuple[Factor, ...]


def distance_share(distance_km: float, params: DemandParams) -> float:
    """How far along the access gap a village is: distance / access_full_km, at most 1."""
    return min(distance_km / params.access_full_km, 1.0)


def tgm_factor(village_tgm: float | None, city_tgm: float | None, params: DemandParams) -> float:
    """Village TGM relative to the city, clamped to tgm_factor_bounds (1.0 without data)."""
    if village_tgm is None or city_tgm is None or city_tgm <= 0:
        return 1.0
    low, high = params.tgm_factor_bounds
    return min(max(village_tgm / city_tgm, low), high)


def estimate_attendance(
    evidence: VillageEvidence, city: CitySummary, params: DemandParams
) -> AttendanceEstimate:
    """Population × reach × interest × access × TGM, capped, then blended with logged visits."""
    village = evidence.village
    cap = float(params.capacity_per_visit)
    base = village.population * params.visit_reach
    share = distance_share(village.distance_km, params)
    access = 1.0 + params.access_weight * share
    reading = tgm_factor(evidence.tgm_mean, city.tgm_mean, params)
    after_interest = base * evidence.interest_rate
    after_access = after_interest * access
    raw_model = after_access * reading
    model = min(raw_model, cap)
    blended = update_attendance(model, evidence.observed, params.observation_prior_visits)
    expected = min(blended, cap)
    factors = (
        _population_factor(village, params, base),
        _interest_factor(evidence, city, params, after_interest - base),
        _access_factor(village, params, share, access, after_access - after_interest),
        _tgm_factor(evidence, city, params, reading, raw_model - after_access),
        _capacity_factor(params, raw_model, model - raw_model),
        _observation_factor(evidence, params, model, blended, expected - model),
    )
    return AttendanceEstimate(model, expected, factors)


def _population_factor(village: VillageInfo, params: DemandParams, base: float) -> Factor:
    note = _(
        "{population} residents × {reach} reached per visit = {people} people if everyone"
        " were interested"
    ).format(
        population=num(village.population, 0), reach=pct(params.visit_reach, 1), people=num(base)
    )
    label = _("Population × reach per visit")
    return Factor("population", label, village.population, params.visit_reach, base, note, KIND)


def _interest_factor(
    evidence: VillageEvidence, city: CitySummary, params: DemandParams, delta: float
) -> Factor:
    rate = evidence.interest_rate
    if evidence.raw_interest_rate is None:
        note = _("No respondents in this village yet; using the city rate {rate}").format(
            rate=pct(rate)
        )
    else:
        note = _(
            "{interested} of {respondents} respondents interested (score ≥ {threshold}) ="
            " {raw}; pulled toward the city rate {city} with the weight of {kappa} answers"
            " → {rate}"
        ).format(
            interested=evidence.interested,
            respondents=evidence.respondents,
            threshold=params.interest_threshold,
            raw=pct(evidence.raw_interest_rate),
            city=pct(city.interest_rate),
            kappa=num(city.kappa_used),
            rate=pct(rate),
        )
    return Factor("interest_rate", _("Residents' interest"), rate, 1.0, delta, note, KIND)


def _access_factor(
    village: VillageInfo, params: DemandParams, share: float, access: float, delta: float
) -> Factor:
    note = _(
        "Distance {distance} km ÷ {full} km (max. 1) = {share}; factor 1 + {weight} × {share}"
        " = {factor}"
    ).format(
        distance=num(village.distance_km),
        full=num(params.access_full_km),
        share=num(share, 2),
        weight=num(params.access_weight, 2),
        factor=num(access, 2),
    )
    label = _("Distance from the library")
    return Factor("access_factor", label, share, params.access_weight, delta, note, KIND)


def _tgm_factor(
    evidence: VillageEvidence, city: CitySummary, params: DemandParams, factor: float, delta: float
) -> Factor:
    if evidence.tgm_mean is None or city.tgm_mean is None or city.tgm_mean <= 0:
        note = _("No village TGM data yet; factor 1")
    else:
        low, high = params.tgm_factor_bounds
        note = _(
            "Village TGM {village} ÷ city TGM {city} = {ratio}, bounded {low}–{high}"
            " → factor {factor}"
        ).format(
            village=num(evidence.tgm_mean),
            city=num(city.tgm_mean),
            ratio=num(evidence.tgm_mean / city.tgm_mean, 2),
            low=num(low, 2),
            high=num(high, 2),
            factor=num(factor, 2),
        )
    return Factor("tgm_factor", _("Reading habits (TGM)"), factor, 1.0, delta, note, KIND)


def _capacity_factor(params: DemandParams, raw_model: float, delta: float) -> Factor:
    cap = params.capacity_per_visit
    if delta < 0:
        note = _("Estimate of {people} people exceeds the capacity of {cap} people; cut").format(
            people=num(raw_model), cap=cap
        )
    else:
        note = _("Below the capacity of {cap} people per visit").format(cap=cap)
    return Factor("capacity", _("Capacity per visit"), cap, 1.0, delta, note, KIND)


def _observation_factor(
    evidence: VillageEvidence, params: DemandParams, model: float, blended: float, delta: float
) -> Factor:
    visits = len(evidence.observed)
    prior = params.observation_prior_visits
    mean = sum(evidence.observed) / visits if visits else 0.0
    if not visits:
        note = _("No visits logged yet; using the model's estimate")
    else:
        note = _(
            "Average {mean} people over {visits} logged visits; the model counts as {prior}"
            " visits: ({prior} × {model} + {total}) ÷ ({prior} + {visits}) = {blended}"
        ).format(
            mean=num(mean),
            visits=visits,
            prior=num(prior),
            model=num(model),
            total=sum(evidence.observed),
            blended=num(blended),
        )
        if blended > params.capacity_per_visit:
            note += _(", cut to the capacity of {cap}").format(cap=params.capacity_per_visit)
    return Factor("observations", _("Logged attendance"), mean, prior, delta, note, KIND)
