"""Reading routes out of a solved routing model into plain RoutePlans."""

from typing import Any

from planner.core import weekday_key
from planner.routing.problem import SECONDS_PER_DAY, PlannedBreak, PlannedVisit, RoutePlan


def _break_overlap(a_s: int, b_s: int, breaks: list[PlannedBreak]) -> int:
    return sum(max(0, min(b_s, br.end_s) - max(a_s, br.start_s)) for br in breaks)


def _slot_breaks(model: Any, slot: int) -> list[PlannedBreak]:
    vehicle, day = model.slots[slot]
    base = day * SECONDS_PER_DAY
    return [
        PlannedBreak(rule.name, base + rule.window.start_s, base + rule.window.end_s)
        for rule in vehicle.breaks_on(weekday_key(model.problem.date_of(day)))
    ]


def _route(model: Any, solution: Any, slot: int) -> RoutePlan | None:
    routing, time, problem = model.routing, model.time, model.problem
    vehicle, day = model.slots[slot]
    travel = problem.travel[vehicle.kind]
    index = routing.Start(slot)
    if routing.IsEnd(solution.Value(routing.NextVar(index))):
        return None
    breaks = _slot_breaks(model, slot)
    start_s = solution.Value(time.CumulVar(index))
    previous, departure, visits = 0, start_s, []
    index = solution.Value(routing.NextVar(index))
    while not routing.IsEnd(index):
        stop_index = model.node_stop[model.manager.IndexToNode(index)]
        stop = problem.stops[stop_index]
        service_start = solution.Value(time.CumulVar(index))
        travel_s = travel.duration_s[previous][stop_index + 1]
        arrival = departure + travel_s + _break_overlap(departure, service_start, breaks)
        visits.append(
            PlannedVisit(
                stop_id=stop.id,
                arrival_s=min(arrival, service_start),
                start_s=service_start,
                departure_s=service_start + stop.service_s,
                travel_s=travel_s,
                distance_m=travel.distance_m[previous][stop_index + 1],
            )
        )
        previous, departure = stop_index + 1, service_start + stop.service_s
        index = solution.Value(routing.NextVar(index))
    end_s = solution.Value(time.CumulVar(index))
    taken = tuple(b for b in breaks if b.start_s < end_s and start_s < b.end_s)
    return RoutePlan(
        vehicle_id=vehicle.id,
        day_index=day,
        start_s=start_s,
        end_s=end_s,
        visits=tuple(visits),
        return_travel_s=travel.duration_s[previous][0],
        return_distance_m=travel.distance_m[previous][0],
        breaks=taken,
    )


def extract_routes(model: Any, solution: Any) -> tuple[RoutePlan, ...]:
    """Every non-empty route of the solution, by day then vehicle."""
    routes = [_route(model, solution, slot) for slot in range(len(model.slots))]
    return tuple(r for r in routes if r is not None)
