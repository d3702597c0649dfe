"""Making room on a full day (a one-step ejection chain): when a stop's visit fits on none of
its pattern's days, another stop's visit leaves that day for another day of one of its own
patterns, and the first stop takes the room it left. Capacity-tight rotations (every vehicle
loaded to 80-100 % of its shift or crates) need this: insertion alone cannot place the last
visits there, and leaving a required visit out is worse than any detour."""

from collections.abc import Mapping, Sequence

from planner.routing.diagnostics import StopOptions
from planner.routing.problem import RoutePlan
from planner.routing.solver.repair import Clock, DayPlan, insert_on, pins_hold, published_days

Snapshot = dict[tuple[int, int], RoutePlan]


def _other_patterns(option: StopOptions, served: set[int], day: int) -> list[set[int]]:
    """Patterns a stop with every visit placed may move to that leave `day` free."""
    return [
        set(p)
        for p in option.patterns
        if day not in p and len(p) == len(served) and set(p) != served
    ]


def _move_off(plan: DayPlan, other: int, served: set[int], pattern: set[int]) -> bool:
    """Move a stop from its days to another pattern's, inserting where it is new."""
    for day in served - pattern:
        plan.remove(other, day)
    for day in sorted(pattern - served):
        found = insert_on(plan, other, day)
        if found is None:
            return False
        plan.add([found.route])
    return True


def _room_for(
    plan: DayPlan,
    stop_index: int,
    day: int,
    options: Mapping[int, StopOptions],
    clock: Clock,
) -> set[int] | None:
    """Place a stop's visit on a day by moving one other stop off it to another of its
    patterns; the days touched."""
    problem = plan.problem
    kinds = problem.stops[stop_index].vehicle_kinds
    served, published = plan.served(), published_days(plan)
    on_day = [
        i
        for i, days in served.items()
        if day in days
        and i in options
        and not problem.stops[i].pins
        and not days & published.get(i, set())
        and problem.stops[i].vehicle_kinds & kinds
    ]
    for other in on_day:
        for pattern in _other_patterns(options[other], served[other], day):
            if clock.left() < clock.safety_s:
                return None
            before: Snapshot = dict(plan.routes)
            plan.remove(other, day)
            here = insert_on(plan, stop_index, day)
            if here is not None:
                plan.add([here.route])
                if _move_off(plan, other, served[other] - {day}, pattern - {day}):
                    return {day} | served[other] | pattern
            plan.routes = before
    return None


def _place_pattern(
    plan: DayPlan,
    option: StopOptions,
    pattern: Sequence[int],
    options: Mapping[int, StopOptions],
    clock: Clock,
) -> set[int] | None:
    """Every missing visit of a stop on its pattern's days, making room where needed."""
    touched: set[int] = set()
    served = plan.served().get(option.stop_index, set())
    for day in served - set(pattern):
        plan.remove(option.stop_index, day)
        touched.add(day)
    for day in sorted(set(pattern) - served):
        found = insert_on(plan, option.stop_index, day)
        if found is not None:
            plan.add([found.route])
            touched.add(day)
            continue
        moved = _room_for(plan, option.stop_index, day, options, clock)
        if moved is None:
            return None
        touched |= moved
    return touched


def make_room(
    plan: DayPlan, options: Sequence[StopOptions], clock: Clock, max_tries: int = 4
) -> set[int]:
    """For each stop still missing visits (highest demand first), the first of its patterns
    whose days can all take a visit once one other visit moves; the days touched."""
    problem = plan.problem
    by_index = {o.stop_index: o for o in options}
    touched: set[int] = set()
    for option in sorted(options, key=lambda o: -problem.stops[o.stop_index].penalty):
        stop = problem.stops[option.stop_index]
        served = plan.served().get(option.stop_index, set())
        if len(served) >= stop.visits or stop.pins:
            continue
        # Patterns closest to the days it has already, so few visits move.
        patterns = sorted(
            (p for p in option.patterns if pins_hold(problem, stop.pins, p)),
            key=lambda p: -len(served & set(p)),
        )
        for pattern in patterns[:max_tries]:
            if clock.left() < clock.safety_s:
                return touched
            before: Snapshot = dict(plan.routes)
            done = _place_pattern(plan, option, pattern, by_index, clock)
            if done is not None:
                touched |= done
                break
            plan.routes = before
    return touched
