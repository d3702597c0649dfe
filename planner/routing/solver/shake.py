"""Ruin and recreate over day patterns: a group of neighbouring stops leaves every day it is
on and comes back, stop by stop in random order, on the pattern where most of its visits fit
at the fewest extra metres (repair.best_pattern) and, when each stop keeps one vehicle kind
(Problem.one_kind_per_stop), on the kind where they cost least. A group can move to other days
(or depots) together, which moving one stop at a time (improve.relocate) cannot. A result that
places as many visits as the round's best plan (each stop of the group at least as many as it
had) in at most a little more metres than it (a margin that shrinks to nothing over the round:
record-to-record acceptance) becomes the current plan; one better than any before is handed
on with the days it touched (periodic.py may re-route them), and the best plan is kept (the
ruin-and-recreate of Shaw 1998 and Christiaens & Vanden Berghe 2020, lifted from visits in a
route to stops in a rotation). The time is spent in rounds that each start from the plan
given: several short searches from one start (a multi-start), when a small problem's search
settles long before its time is up."""

import random
from collections.abc import Callable, Sequence

from planner.routing.diagnostics import StopOptions
from planner.routing.solver.kinds import one_kind_each
from planner.routing.solver.repair import Clock, DayPlan, best_pattern, published_days

GROUP_SHARE = 0.3  # of the movable stops, at most, taken out at once (within GROUP_SIZE)
GROUP_SIZE = (2, 12)
SEED = 1  # the same plan and the same time give the same search
# Record-to-record acceptance: a step's plan is kept while it drives at most this share more
# than the round's best plan, a share that falls to nothing over the round.
THRESHOLD = 0.005
# The time is spent in rounds of at most this many steps per movable stop, each starting again
# from the plan the ruin and recreate was given, with its own record and margin: a round
# settles in a local optimum well before a small problem's time is up, and rounds started
# afresh end in different ones (a round started from the best plan found so far mostly ends
# where it began). A large problem's time holds one round or less.
ROUND_STEPS_PER_STOP = 10


def movable_stops(plan: DayPlan, options: Sequence[StopOptions]) -> list[int]:
    """Stops whose days may change: not pinned, more than one pattern, not on a day of the
    published plan (residents keep their day)."""
    published = published_days(plan)
    return [
        o.stop_index
        for o in options
        if len(o.patterns) > 1
        and not plan.problem.stops[o.stop_index].pins
        and not published.get(o.stop_index)
    ]


def shake(
    plan: DayPlan,
    options: Sequence[StopOptions],
    clock: Clock,
    until_s: float,
    on_best: Callable[[set[int]], None],
    stopped: Callable[[], bool],
    choices: dict[int, list[str]] | None = None,
) -> int:
    """Ruin-and-recreate steps until `until_s` on `clock` (or `stopped`); `on_best` gets the
    days each new best plan touched. Leaves the best plan in `plan`; the number of steps
    that improved it."""
    movable = movable_stops(plan, options)
    if len(movable) < 2:
        return 0
    option_of = {o.stop_index: o for o in options}
    largest = min(GROUP_SIZE[1], max(GROUP_SIZE[0], round(GROUP_SHARE * len(movable))))
    # Neighbours by the first vehicle kind's metres: a group is about place, not vehicle.
    matrix = next(iter(plan.problem.travel.values())).distance_m
    nearest: dict[int, list[int]] = {}
    rng = random.Random(SEED)
    best = (plan.visits(), -plan.distance_m())
    best_routes, best_problem = dict(plan.routes), plan.problem
    record = best  # the round's best plan: its margin is counted from it
    improved = 0
    began = clock.elapsed()
    round_steps, steps = ROUND_STEPS_PER_STOP * len(movable), 0
    start_routes, start_problem = dict(plan.routes), plan.problem
    while clock.elapsed() < until_s and clock.left() > clock.safety_s and not stopped():
        if steps >= round_steps:  # a new round from the start
            plan.routes, plan.problem = dict(start_routes), start_problem
            record = (plan.visits(), -plan.distance_m())
            steps, began = 0, clock.elapsed()
        steps += 1
        kept, kept_problem = dict(plan.routes), plan.problem
        seed = rng.choice(movable)
        if seed not in nearest:
            nearest[seed] = sorted(
                movable, key=lambda i: matrix[seed + 1][i + 1] + matrix[i + 1][seed + 1]
            )
        group = nearest[seed][: rng.randint(GROUP_SIZE[0], largest)]
        had = plan.served()
        touched = _ruin(plan, group, had)
        left = plan.served()
        if any(i in left for i in group):  # a route that could not be re-timed without it
            plan.routes = kept
            continue
        rng.shuffle(group)
        short = False
        for stop_index in group:
            days = _recreate(plan, option_of[stop_index], (choices or {}).get(stop_index))
            touched |= days
            # Each stop comes back with at least the visits it had (one a day): one stop's
            # visits never make room for another's (the same count in fewer metres, but a
            # stop off its pattern).
            short = short or len(days) < len(had.get(stop_index, ()))
        if short:
            plan.routes, plan.problem = kept, kept_problem
            continue
        spent = max((clock.elapsed() - began) / max(until_s - began, 1e-9), steps / round_steps)
        cooled = max(0.0, 1 - spent)
        allowed = -record[1] * (1 + THRESHOLD * cooled)
        if plan.visits() < record[0] or plan.distance_m() > allowed:
            plan.routes, plan.problem = kept, kept_problem
            continue
        record = max(record, (plan.visits(), -plan.distance_m()))
        if (plan.visits(), -plan.distance_m()) > best:
            on_best(touched)
            best, best_routes = (plan.visits(), -plan.distance_m()), dict(plan.routes)
            best_problem = plan.problem
            improved += 1
    plan.routes, plan.problem = best_routes, best_problem
    return improved


def _recreate(plan: DayPlan, option: StopOptions, kinds: list[str] | None) -> set[int]:
    """Put a stop back on its best pattern (with `kinds`, on the best of those kinds, all its
    visits on one); the days it went to."""
    base, i = plan.problem, option.stop_index
    best = None
    candidates: list[str | None] = list(kinds) if kinds else [None]
    for kind in candidates:
        if kind is not None:
            plan.problem = one_kind_each(base, {i: kind})
        found = best_pattern(plan, option, set())
        if found is not None:
            placed, metres = len(found[1]), sum(x.extra_m for x in found[1].values())
            if best is None or (placed, -metres) > (best[0], -best[1]):
                best = (placed, metres, plan.problem, found[1])
    if best is None:
        plan.problem = base
        return set()
    plan.problem = best[2]
    plan.add(x.route for x in best[3].values())
    return set(best[3])


def _ruin(plan: DayPlan, group: Sequence[int], served: dict[int, set[int]]) -> set[int]:
    """Take every visit of the group's stops (on the days of `served`, the plan's) out of
    the plan; the days touched."""
    touched: set[int] = set()
    for stop_index in group:
        for day in served.get(stop_index, set()):
            plan.remove(stop_index, day)
            touched.add(day)
    return touched
