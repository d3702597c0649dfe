"""Routing days in parallel processes: each day problem is independent (days.solve_day), so
W worker processes route W days at once, each for W times the share one process would give it.

Workers are started with "spawn" (safe in a threaded web server or queue worker) as soon as a
solve begins, so their start-up overlaps the pattern choice.
"""

import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import replace

from planner.routing.problem import Problem, SolveParams
from planner.routing.solver.days import MIN_DAY_S, DayJob, DayResult, solve_day
from planner.routing.solver.single import route_one_day

POLL_S = 0.5


def _ready() -> bool:
    return True


def start_workers(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes, already starting up."""
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    for _ in range(workers):
        pool.submit(_ready)
    return pool


def _route(problem: Problem, job: DayJob, params: SolveParams, deadline: float) -> DayResult:
    """Route a day within its limit and never past the deadline (wall-clock seconds: the
    processes share no monotonic origin we rely on)."""
    limit = max(MIN_DAY_S, min(params.time_limit_s, deadline - time.time()))
    return solve_day(problem, job, replace(params, time_limit_s=limit), route_one_day)


def route_in_parallel(
    pool: ProcessPoolExecutor,
    problem: Problem,
    jobs: Sequence[tuple[DayJob, float]],
    params: SolveParams,
    on_result: Callable[[DayResult, DayJob], None],
    stopped: Callable[[], bool],
    budget_s: float,
) -> None:
    """Route each (job, time limit) in the pool, passing each result on as it arrives; a cancel
    stops waiting (days already being routed end at their own short limits)."""
    plain = replace(params, progress=None, should_stop=None)  # callbacks stay in this process
    deadline = time.time() + budget_s
    pending: dict[Future[DayResult], DayJob] = {
        pool.submit(_route, problem, job, replace(plain, time_limit_s=limit), deadline): job
        for job, limit in jobs
    }
    while pending:
        done, _ = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
        for future in done:
            on_result(future.result(), pending.pop(future))
        if stopped():
            for future in pending:
                future.cancel()
            return
