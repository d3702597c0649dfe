"""Progress reports and cancellation while OR-Tools searches."""

import time

from ortools.constraint_solver import pywrapcp

from planner.routing.problem import SolveParams


class Progress:
    """Reports progress (elapsed, best cost so far) and stops the search when asked to.

    Iterated local search also reports the perturbed solutions it explores, which may be worse
    than the best, so only improvements are passed on."""

    def __init__(self, routing: pywrapcp.RoutingModel, params: SolveParams, started: float) -> None:
        self.routing, self.params, self.started = routing, params, started
        self.best: int | None = None

    def __call__(self) -> None:
        cost = self.routing.CostVar().Max()
        if self.best is None or cost < self.best:
            self.best = cost
            if self.params.progress is not None:
                self.params.progress(time.monotonic() - self.started, cost)
        if self.params.should_stop is not None and self.params.should_stop():
            self.routing.CancelSearch()
