"""Small-sample statistics of the demand model: Beta-binomial shrinkage and smoothed shares."""

import math
from collections.abc import Mapping, Sequence

from planner.demand.inputs import DEFAULT_PARAMS, DemandParams
from planner.demand.results import Share

# With no answers at all the city rate is unknown: assume an even split.
NEUTRAL_RATE = 0.5
# The prior always weighs at least as much as one answer, so a village without answers has a rate.
KAPPA_FLOOR = 1.0


def _check_counts(counts: Sequence[tuple[int, int]]) -> None:
    for successes, trials in counts:
        if not 0 <= successes <= trials:
            msg = f"need 0 <= interested <= respondents, got ({successes}, {trials})"
            raise ValueError(msg)


def pooled_rate(counts: Sequence[tuple[int, int]]) -> float:
    """The city rate: all interested over all respondents (0.5 without answers)."""
    trials = sum(n for _, n in counts)
    return sum(x for x, _ in counts) / trials if trials else NEUTRAL_RATE


def estimate_kappa(counts: Sequence[tuple[int, int]], rate: float) -> float | None:
    """Method-of-moments Beta prior strength from the spread of village rates, if estimable.

    Under a Beta-binomial, Var(x/n) = p(1-p)/n · (1 + (n-1)·rho) with rho = 1/(kappa+1);
    matching the n-weighted squared deviations to their expectation solves for rho.
    """
    answered = [(x, n) for x, n in counts if n > 0]
    spread = rate * (1.0 - rate)
    if len(answered) < 2 or spread <= 0:
        return None
    total = sum(n for _, n in answered)
    deviations = sum(n * (x / n - rate) ** 2 for x, n in answered)
    room = total - sum(n * n for _, n in answered) / total - (len(answered) - 1)
    if room <= 0:
        return None  # e.g. one answer per village: between and within spread are inseparable
    rho = (deviations / spread - (len(answered) - 1)) / room
    if rho <= 0:
        return None  # no more spread than sampling noise: villages look alike
    return max(1.0 / rho - 1.0, 0.0)


def kappa_bounds(rate: float, params: DemandParams = DEFAULT_PARAMS) -> tuple[float, float]:
    """Lowest and highest prior strength allowed for this city rate.

    The lower bound keeps a village with small_sample_n answers, all or none interested,
    within small_sample_max_shift of the city rate: n·max(p, 1-p) / (kappa + n) <= shift.
    """
    n = params.small_sample_n
    lowest = n * max(rate, 1.0 - rate) / params.small_sample_max_shift - n
    lowest = max(lowest, KAPPA_FLOOR)
    return lowest, max(params.kappa_cap, lowest)


def fit_beta_prior(
    counts: Sequence[tuple[int, int]], params: DemandParams = DEFAULT_PARAMS
) -> tuple[float, float, float | None, float]:
    """Empirical-Bayes Beta prior from (interested, respondents) per village.

    Returns (alpha, beta, kappa_estimate, kappa_used); kappa_used is the estimate (or the cap
    when it cannot be estimated) clamped to kappa_bounds.
    """
    _check_counts(counts)
    rate = pooled_rate(counts)
    estimate = estimate_kappa(counts, rate)
    lowest, highest = kappa_bounds(rate, params)
    wanted = params.kappa_cap if estimate is None else estimate
    kappa = min(max(wanted, lowest), highest)
    return rate * kappa, (1.0 - rate) * kappa, estimate, kappa


def shrink_rate(successes: int, trials: int, alpha: float, beta: float) -> float:
    """Posterior mean of a Beta(alpha, beta) prior after `successes` of `trials`."""
    _check_counts([(successes, trials)])
    if not (alpha >= 0 and beta >= 0 and alpha + beta + trials > 0):
        msg = f"need alpha, beta >= 0 and some weight, got {alpha!r}, {beta!r}, {trials}"
        raise ValueError(msg)
    return (alpha + successes) / (alpha + beta + trials)


def smoothed_shares(
    counts: Mapping[str, int],
    answers: int,
    city_shares: Mapping[str, float],
    strength: float,
    keys: Sequence[str],
) -> tuple[Share, ...]:
    """Shares pulled toward the city: (strength·city + count) / (strength + answers), sorted."""
    unknown = sorted(set(counts) - set(keys))
    if unknown:
        msg = f"unknown keys: {', '.join(unknown)}"
        raise ValueError(msg)
    if not (math.isfinite(strength) and strength >= 0) or answers < 0:
        msg = f"need strength >= 0 and answers >= 0, got {strength!r}, {answers}"
        raise ValueError(msg)
    if any(not 0 <= count <= answers for count in counts.values()):
        msg = f"every count must lie in 0-{answers}"
        raise ValueError(msg)
    weight = strength + answers
    shares = [
        Share(key, (strength * city_shares.get(key, 0.0) + counts.get(key, 0)) / weight)
        if weight > 0
        else Share(key, city_shares.get(key, 0.0))
        for key in keys
    ]
    return sort_shares(shares, keys)


def sort_shares(shares: Sequence[Share], keys: Sequence[str] = ()) -> tuple[Share, ...]:
    """Shares by descending share; ties in the order of `keys` (mon before tue), else by key."""
    order = {key: index for index, key in enumerate(keys)}
    return tuple(sorted(shares, key=lambda s: (-s.share, order.get(s.key, len(order)), s.key)))


def mention_counts(answers: Sequence[frozenset[str]]) -> tuple[dict[str, int], int]:
    """How often each key was ticked, and how many respondents ticked anything."""
    counts: dict[str, int] = {}
    for chosen in answers:
        for key in chosen:
            counts[key] = counts.get(key, 0) + 1
    return counts, sum(1 for chosen in answers if chosen)


def city_shares(answers: Sequence[frozenset[str]], keys: Sequence[str]) -> tuple[Share, ...]:
    """Share of answering respondents who ticked each key (uniform when nobody answered)."""
    counts, answered = mention_counts(answers)
    return city_shares_of(counts, answered, keys)


def city_shares_of(
    counts: Mapping[str, int], answered: int, keys: Sequence[str]
) -> tuple[Share, ...]:
    """city_shares from mention counts and the number of respondents who ticked anything."""
    if not answered:
        return tuple(Share(key, 1.0 / len(keys)) for key in keys)
    return sort_shares([Share(key, counts.get(key, 0) / answered) for key in keys], keys)


def plain_shares(values: Sequence[str | None], keys: Sequence[str]) -> tuple[Share, ...]:
    """Share of each key among the non-None answers; keys nobody gave are left out."""
    given = [value for value in values if value is not None]
    return plain_shares_of({key: given.count(key) for key in keys}, len(given), keys)


def plain_shares_of(
    counts: Mapping[str, int], answered: int, keys: Sequence[str]
) -> tuple[Share, ...]:
    """plain_shares from the count of each key and the number of non-None answers."""
    present = [key for key in keys if counts.get(key, 0) > 0]
    return sort_shares([Share(key, counts[key] / answered) for key in present], keys)


def update_attendance(model_expected: float, observed: Sequence[int], prior_visits: float) -> float:
    """Blend the model with logged visits; the model weighs like `prior_visits` observed visits."""
    if not (math.isfinite(model_expected) and model_expected >= 0):
        msg = f"model_expected must be a non-negative number, got {model_expected!r}"
        raise ValueError(msg)
    if not (math.isfinite(prior_visits) and prior_visits >= 0):
        msg = f"prior_visits must be a non-negative number, got {prior_visits!r}"
        raise ValueError(msg)
    if any(count < 0 for count in observed):
        msg = "observed attendance must be >= 0"
        raise ValueError(msg)
    if not observed:
        return model_expected
    return (prior_visits * model_expected + sum(observed)) / (prior_visits + len(observed))
