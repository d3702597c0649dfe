"""Survey-derived demand per village: an explainable model over plain data (public API).

Pipeline: TGM per respondent → interest rate shrunk toward the city (empirical-Bayes Beta
prior) → expected attendance per visit (population, reach, interest, access gap, reading
habits, capacity, logged visits) → priority 0-100 → visits per rotation, preferred time
windows and the topic mix for the book crates. Every number comes with Factors that explain it.
The pieces live in this package's modules; import them from planner.demand.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from planner.core import WEEKDAYS
from planner.demand.attendance import (
    AttendanceEstimate,
    VillageEvidence,
    estimate_attendance,
)
from planner.demand.inputs import (
    AGE_GROUPS,
    DEFAULT_PARAMS,
    GENDERS,
    SLOT_WINDOWS,
    SLOTS,
    TOPICS,
    DemandParams,
    Observation,
    Respondent,
    VillageInfo,
)
from planner.demand.priority import priority_factors, priority_from, visits_per_rotation
from planner.demand.results import (
    CitySummary,
    DemandResult,
    Share,
    VillageDemand,
    WindowShare,
)
from planner.demand.stats import (
    city_shares,
    fit_beta_prior,
    kappa_bounds,
    mention_counts,
    plain_shares,
    pooled_rate,
    shrink_rate,
    smoothed_shares,
    sort_shares,
)
from planner.demand.tgm import tgm_band, tgm_score


def estimate_demand(
    villages: Sequence[VillageInfo],
    respondents: Sequence[Respondent],
    observations: Sequence[Observation] = (),
    params: DemandParams = DEFAULT_PARAMS,
) -> DemandResult:
    """Expected attendance, priority, visits, time windows and topic mix for every village."""
    answers = _answers_by_village(villages, respondents)
    observed = _observed_by_village(villages, observations)
    scores = {code: tuple(_tgm(r, params) for r in group) for code, group in answers.items()}
    city = _city_summary(respondents, answers, scores, params)
    evidence = [
        _evidence(v, answers[v.code], scores[v.code], observed[v.code], city, params)
        for v in villages
    ]
    estimates = [estimate_attendance(e, city, params) for e in evidence]
    top = max((a.expected_attendance for a in estimates), default=0.0)
    demands = tuple(
        _village_demand(e, a, answers[e.village.code], top, city, params)
        for e, a in zip(evidence, estimates, strict=True)
    )
    return DemandResult(city, demands, params)


def _answers_by_village(
    villages: Sequence[VillageInfo], respondents: Sequence[Respondent]
) -> dict[str, list[Respondent]]:
    answers: dict[str, list[Respondent]] = {}
    for village in villages:
        if village.code in answers:
            msg = f"village {village.code} is listed twice"
            raise ValueError(msg)
        answers[village.code] = []
    for respondent in respondents:
        if respondent.village_code not in answers:
            msg = f"respondent from unknown village {respondent.village_code!r}"
            raise ValueError(msg)
        answers[respondent.village_code].append(respondent)
    return answers


def _observed_by_village(
    villages: Sequence[VillageInfo], observations: Sequence[Observation]
) -> dict[str, tuple[int, ...]]:
    observed: dict[str, list[int]] = {village.code: [] for village in villages}
    for observation in observations:
        if observation.village_code not in observed:
            msg = f"observation from unknown village {observation.village_code!r}"
            raise ValueError(msg)
        observed[observation.village_code].append(observation.attendance)
    return {code: tuple(counts) for code, counts in observed.items()}


def _tgm(respondent: Respondent, params: DemandParams) -> float:
    r = respondent
    return tgm_score(r.fm, r.dm, r.jb, r.fai, r.dai, params.tgm)


def _interested(group: Sequence[Respondent], params: DemandParams) -> int:
    return sum(1 for r in group if r.interest >= params.interest_threshold)


def _city_summary(
    respondents: Sequence[Respondent],
    answers: dict[str, list[Respondent]],
    scores: dict[str, tuple[float, ...]],
    params: DemandParams,
) -> CitySummary:
    counts = [(_interested(group, params), len(group)) for group in answers.values()]
    alpha, beta, estimate, kappa = fit_beta_prior(counts, params)
    rate = pooled_rate(counts)
    every_score = [score for group in scores.values() for score in group]
    return CitySummary(
        respondents=len(respondents),
        interested=sum(x for x, _ in counts),
        interest_rate=rate,
        tgm_mean=fmean(every_score) if every_score else None,
        prior_alpha=alpha,
        prior_beta=beta,
        kappa_estimate=estimate,
        kappa_used=kappa,
        kappa_bounds=kappa_bounds(rate, params),
        day_shares=city_shares([r.days for r in respondents], WEEKDAYS),
        slot_shares=city_shares([r.slots for r in respondents], SLOTS),
        topic_shares=city_shares([r.topics for r in respondents], TOPICS),
    )


def _evidence(
    village: VillageInfo,
    group: Sequence[Respondent],
    scores: tuple[float, ...],
    observed: tuple[int, ...],
    city: CitySummary,
    params: DemandParams,
) -> VillageEvidence:
    interested = _interested(group, params)
    travel = [r.travel_minutes for r in group if r.travel_minutes is not None]
    return VillageEvidence(
        village=village,
        respondents=len(group),
        interested=interested,
        raw_interest_rate=interested / len(group) if group else None,
        interest_rate=shrink_rate(interested, len(group), city.prior_alpha, city.prior_beta),
        tgm_mean=fmean(scores) if scores else None,
        travel_minutes_mean=fmean(travel) if travel else None,
        observed=observed,
    )


@dataclass(frozen=True)
class VillageProfile:
    """What a village's respondents prefer and who they are, as shares."""

    preferred_days: tuple[Share, ...]
    preferred_windows: tuple[WindowShare, ...]
    topics: tuple[Share, ...]
    age_groups: tuple[Share, ...]
    genders: tuple[Share, ...]


def _village_demand(
    evidence: VillageEvidence,
    estimate: AttendanceEstimate,
    group: Sequence[Respondent],
    top: float,
    city: CitySummary,
    params: DemandParams,
) -> VillageDemand:
    profile = VillageProfile(
        preferred_days=_smoothed([r.days for r in group], city.day_shares, WEEKDAYS, params),
        preferred_windows=_preferred_windows(group, city, params),
        topics=_topic_mix(group, city, params),
        age_groups=plain_shares([r.age_group for r in group], AGE_GROUPS),
        genders=plain_shares([r.gender for r in group], GENDERS),
    )
    return village_demand(evidence, estimate, profile, top, city, params)


def village_demand(
    evidence: VillageEvidence,
    estimate: AttendanceEstimate,
    profile: VillageProfile,
    top: float,
    city: CitySummary,
    params: DemandParams,
) -> VillageDemand:
    """One village's demand from its evidence, attendance estimate and answer profile."""
    village = evidence.village
    ranked = priority_factors(evidence, city, estimate.expected_attendance, top, params)
    priority = priority_from(ranked)
    observed = evidence.observed
    return VillageDemand(
        code=village.code,
        name=village.name,
        population=village.population,
        respondents=evidence.respondents,
        interested=evidence.interested,
        raw_interest_rate=evidence.raw_interest_rate,
        interest_rate=evidence.interest_rate,
        tgm_mean=evidence.tgm_mean,
        tgm_band=None if evidence.tgm_mean is None else tgm_band(evidence.tgm_mean, params.tgm),
        distance_km=village.distance_km,
        travel_minutes_mean=evidence.travel_minutes_mean,
        model_attendance=estimate.model_attendance,
        observed_visits=len(observed),
        observed_mean=fmean(observed) if observed else None,
        expected_attendance=estimate.expected_attendance,
        priority=priority,
        visits_per_rotation=visits_per_rotation(priority, params),
        preferred_days=profile.preferred_days,
        preferred_windows=profile.preferred_windows,
        topics=profile.topics,
        factors=estimate.factors + ranked,
        age_groups=profile.age_groups,
        genders=profile.genders,
    )


def _smoothed(
    answers: Sequence[frozenset[str]],
    city: tuple[Share, ...],
    keys: Sequence[str],
    params: DemandParams,
) -> tuple[Share, ...]:
    counts, answered = mention_counts(answers)
    return smoothed(counts, answered, city, keys, params)


def smoothed(
    counts: Mapping[str, int],
    answered: int,
    city: tuple[Share, ...],
    keys: Sequence[str],
    params: DemandParams,
) -> tuple[Share, ...]:
    """A village's shares of `keys` pulled toward the city's shares."""
    city_map = {s.key: s.share for s in city}
    return smoothed_shares(counts, answered, city_map, params.share_prior_strength, keys)


def _preferred_windows(
    group: Sequence[Respondent], city: CitySummary, params: DemandParams
) -> tuple[WindowShare, ...]:
    counts, answered = mention_counts([r.slots for r in group])
    return preferred_windows(counts, answered, city, params)


def preferred_windows(
    counts: Mapping[str, int], answered: int, city: CitySummary, params: DemandParams
) -> tuple[WindowShare, ...]:
    """Time windows from slot mentions, smoothed toward the city; weak ones drop out."""
    # Slots are ranked by share; weak slots drop out but the best one always stays.
    ranked = smoothed(counts, answered, city.slot_shares, SLOTS, params)
    kept = [s for s in ranked if s.share >= params.window_min_share] or list(ranked[:1])
    return tuple(WindowShare(s.key, *SLOT_WINDOWS[s.key], s.share) for s in kept)


def _topic_mix(
    group: Sequence[Respondent], city: CitySummary, params: DemandParams
) -> tuple[Share, ...]:
    counts, answered = mention_counts([r.topics for r in group])
    return topic_mix(counts, answered, city, params)


def topic_mix(
    counts: Mapping[str, int], answered: int, city: CitySummary, params: DemandParams
) -> tuple[Share, ...]:
    """The topic mix for the book crates from topic mentions, smoothed toward the city."""
    # A respondent may tick several topics, so smoothed shares are "share of people who want
    # this topic". The crates are a mix, so the shares are rescaled to sum to 1.
    wanted = smoothed(counts, answered, city.topic_shares, TOPICS, params)
    total = sum(s.share for s in wanted)
    if total <= 0:
        return tuple(Share(key, 1.0 / len(TOPICS)) for key in TOPICS)
    return sort_shares([Share(s.key, s.share / total) for s in wanted], TOPICS)
