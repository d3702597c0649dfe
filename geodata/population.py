"""Split a population total across areas in proportion to weights."""

from collections.abc import Sequence


def largest_remainder(weights: Sequence[int], total: int) -> tuple[int, ...]:
    """Apportion `total` by `weights` with the largest-remainder method; shares sum to `total`."""
    if total < 0:
        msg = f"total must be non-negative, got {total}"
        raise ValueError(msg)
    if any(weight < 0 for weight in weights):
        msg = "weights must be non-negative"
        raise ValueError(msg)
    weight_sum = sum(weights)
    if weight_sum == 0:
        msg = "weights must not all be zero"
        raise ValueError(msg)
    # Integer arithmetic keeps the result exact and independent of float rounding.
    floors = [weight * total // weight_sum for weight in weights]
    remainders = [weight * total % weight_sum for weight in weights]
    leftover = total - sum(floors)
    # Ties go to the earlier area, so the result is deterministic.
    by_remainder = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for index in by_remainder[:leftover]:
        floors[index] += 1
    return tuple(floors)
