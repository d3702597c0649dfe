"""The demand model over per-village tallies: the same numbers as over every answer, faster.

`estimate_from_tallies` gives a result equal to `estimate_demand` over the respondents and
visits the tallies were made from, as long as they were made with `params.tgm`.
"""

from collections.abc import Mapping, Sequence
from fractions import Fraction

from planner.core import WEEKDAYS
from planner.demand.attendance import VillageEvidence, estimate_attendance
from planner.demand.inputs import (
    AGE_GROUPS,
    DEFAULT_PARAMS,
    GENDERS,
    SLOTS,
    TOPICS,
    DemandParams,
    VillageInfo,
)
from planner.demand.model import (
    VillageProfile,
    preferred_windows,
    smoothed,
    topic_mix,
    village_demand,
)
from planner.demand.results import CitySummary, DemandResult
from planner.demand.stats import (
    city_shares_of,
    fit_beta_prior,
    kappa_bounds,
    plain_shares_of,
    pooled_rate,
    shrink_rate,
)
from planner.demand.tally import VillageTally, exact_mean, total

EMPTY_TALLY = VillageTally()


def estimate_from_tallies(
    villages: Sequence[VillageInfo],
    tallies: Mapping[str, VillageTally],
    params: DemandParams = DEFAULT_PARAMS,
) -> DemandResult:
    """Expected attendance, priority, visits, windows and topics from each village's tally."""
    unknown = sorted(set(tallies) - {v.code for v in villages})
    if unknown or len({v.code for v in villages}) != len(villages):
        msg = f"tallies and villages disagree (unknown or repeated: {', '.join(unknown)})"
        raise ValueError(msg)
    groups = [tallies.get(v.code, EMPTY_TALLY) for v in villages]
    city = city_summary(groups, params)
    evidence = [_evidence(v, t, city, params) for v, t in zip(villages, groups, strict=True)]
    estimates = [estimate_attendance(e, city, params) for e in evidence]
    top = max((a.expected_attendance for a in estimates), default=0.0)
    demands = tuple(
        village_demand(e, a, _profile(t, city, params), top, city, params)
        for e, a, t in zip(evidence, estimates, groups, strict=True)
    )
    return DemandResult(city, demands, params)


def city_summary(groups: Sequence[VillageTally], params: DemandParams) -> CitySummary:
    """The city's figures and Beta prior from every village's tally (in village order)."""
    counts = [(t.interested(params.interest_threshold), t.respondents) for t in groups]
    alpha, beta, estimate, kappa = fit_beta_prior(counts, params)
    rate = pooled_rate(counts)
    respondents = sum(t.respondents for t in groups)
    days = total(t.days for t in groups)
    slots = total(t.slots for t in groups)
    topics = total(t.topics for t in groups)
    return CitySummary(
        respondents=respondents,
        interested=sum(x for x, _ in counts),
        interest_rate=rate,
        tgm_mean=exact_mean(sum((t.tgm_sum for t in groups), Fraction(0)), respondents),
        prior_alpha=alpha,
        prior_beta=beta,
        kappa_estimate=estimate,
        kappa_used=kappa,
        kappa_bounds=kappa_bounds(rate, params),
        day_shares=city_shares_of(days.counts, days.answered, WEEKDAYS),
        slot_shares=city_shares_of(slots.counts, slots.answered, SLOTS),
        topic_shares=city_shares_of(topics.counts, topics.answered, TOPICS),
    )


def _evidence(
    village: VillageInfo, tally: VillageTally, city: CitySummary, params: DemandParams
) -> VillageEvidence:
    interested = tally.interested(params.interest_threshold)
    n = tally.respondents
    return VillageEvidence(
        village=village,
        respondents=n,
        interested=interested,
        raw_interest_rate=interested / n if n else None,
        interest_rate=shrink_rate(interested, n, city.prior_alpha, city.prior_beta),
        tgm_mean=exact_mean(tally.tgm_sum, n),
        travel_minutes_mean=exact_mean(tally.travel_sum, tally.travel_answers),
        observed=tally.observed,
    )


def _profile(tally: VillageTally, city: CitySummary, params: DemandParams) -> VillageProfile:
    t = tally
    return VillageProfile(
        preferred_days=smoothed(t.days.counts, t.days.answered, city.day_shares, WEEKDAYS, params),
        preferred_windows=preferred_windows(t.slots.counts, t.slots.answered, city, params),
        topics=topic_mix(t.topics.counts, t.topics.answered, city, params),
        age_groups=plain_shares_of(t.age_groups.counts, t.age_groups.answered, AGE_GROUPS),
        genders=plain_shares_of(t.genders.counts, t.genders.answered, GENDERS),
    )
