"""Improving a day-by-day plan by moving stops between day patterns (pattern relocation, as in
Cordeau, Gendreau & Laporte 1997): a stop leaves the days of its pattern for those of another
when inserting it there costs fewer metres than its visits save where they are. Only the days
touched are re-routed afterwards."""

from collections.abc import Sequence

from planner.routing.diagnostics import StopOptions
from planner.routing.solver.repair import Clock, DayPlan, insert_on, published_days
from planner.routing.timing import Insertion

MIN_GAIN_M = 1


def _saving(plan: DayPlan, stop_index: int, day: int) -> int:
    """Metres saved by taking a stop's visit out of its route on a day."""
    for vehicle_id, d in plan.routes:
        if d != day:
            continue
        sequence = plan.sequence(vehicle_id, d)
        if stop_index in sequence:
            nodes = [0, *(i + 1 for i in sequence), 0]
            k = sequence.index(stop_index) + 1
            matrix = plan.problem.travel[plan.vehicles[vehicle_id].kind].distance_m
            return (
                matrix[nodes[k - 1]][nodes[k]]
                + matrix[nodes[k]][nodes[k + 1]]
                - matrix[nodes[k - 1]][nodes[k + 1]]
            )
    return 0


def _move(
    plan: DayPlan, option: StopOptions, served: set[int]
) -> tuple[set[int], dict[int, Insertion]] | None:
    """The best other pattern for a stop, if it saves metres and keeps every visit."""
    savings = {d: _saving(plan, option.stop_index, d) for d in served}
    best: tuple[int, set[int], dict[int, Insertion]] | None = None
    # Patterns share days: each day's cheapest insertion is looked for once.
    insertions: dict[int, Insertion | None] = {}
    for pattern in option.patterns:
        days = set(pattern)
        if days == served or len(days) < len(served):
            continue
        gone = served - days
        cost = -sum(savings[d] for d in gone)
        inserted: dict[int, Insertion] = {}
        for day in sorted(days - served):
            if day not in insertions:
                insertions[day] = insert_on(plan, option.stop_index, day)
            found = insertions[day]
            if found is None:
                break
            inserted[day] = found
            cost += found.extra_m
            if best is not None and cost >= best[0]:
                break
        else:
            if cost <= -MIN_GAIN_M and (best is None or cost < best[0]):
                best = (cost, gone, inserted)
    return None if best is None else (best[1], best[2])


def relocate(plan: DayPlan, options: Sequence[StopOptions], clock: Clock) -> set[int]:
    """Move stops to cheaper day patterns until none saves metres or time runs out; the days
    touched. A visit on a day of the published plan stays there: residents keep their day."""
    touched: set[int] = set()
    published = published_days(plan)
    improved = True
    movable = [o for o in options if not plan.problem.stops[o.stop_index].pins]
    while improved:
        improved = False
        served = plan.served()
        for option in movable:
            if clock.left() < clock.safety_s:
                return touched
            days = served.get(option.stop_index, set())
            if len(days) < plan.problem.stops[option.stop_index].visits:
                continue
            if days & published.get(option.stop_index, set()):
                continue
            found = _move(plan, option, days)
            if found is None:
                continue
            gone, inserted = found
            for day in gone:
                plan.remove(option.stop_index, day)
            plan.add(i.route for i in inserted.values())
            served[option.stop_index] = (days - gone) | set(inserted)
            touched |= gone | set(inserted)
            improved = True
    return touched
