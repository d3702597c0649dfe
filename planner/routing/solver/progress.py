"""Progress reports and cancellation while OR-Tools searches."""

import time

from planner.routing.problem import SolveParams, SolveProgress
from planner.routing.solver.model import Model


def planned_and_distance(m: Model) -> tuple[int, int]:
    """Visits placed and metres driven in the solution the search is at now."""
    routing, nodes = m.routing, m.node_stop
    visits = distance = 0
    for slot, (vehicle, _) in enumerate(m.slots):
        matrix = m.problem.travel[vehicle.kind].distance_m
        index = routing.Start(slot)
        previous = 0
        while not routing.IsEnd(index):
            index = routing.NextVar(index).Value()
            node = nodes[m.manager.IndexToNode(index)] + 1 if not routing.IsEnd(index) else 0
            distance += matrix[previous][node]
            visits += node > 0
            previous = node
    return visits, distance


class Progress:
    """Reports progress (elapsed, visits placed and km of the best plan so far) and stops the
    search when asked to.

    Iterated local search also reports the perturbed solutions it explores, which may be worse
    than the best, so only improvements are passed on."""

    def __init__(self, model: Model, params: SolveParams, started: float) -> None:
        self.model, self.params, self.started = model, params, started
        self.required = sum(len(c) for c in model.copies.values())
        self.best: int | None = None

    def __call__(self) -> None:
        cost = self.model.routing.CostVar().Max()
        if self.best is None or cost < self.best:
            self.best = cost
            if self.params.progress is not None:
                visits, distance = planned_and_distance(self.model)
                self.params.progress(
                    SolveProgress(
                        elapsed_s=time.monotonic() - self.started,
                        time_limit_s=self.params.time_limit_s,
                        visits_planned=visits,
                        visits_required=self.required,
                        distance_m=distance,
                        objective=cost,
                    )
                )
        if self.params.should_stop is not None and self.params.should_stop():
            self.model.routing.CancelSearch()
