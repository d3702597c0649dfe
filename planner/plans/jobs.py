"""Planning in the background: a job row shares progress between processes.

A job stores its plan as a draft only when it finishes, in one transaction, so a failed or
cancelled solve leaves every existing plan (the published one above all) untouched.
"""

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from planner.core import KelilingError
from planner.plans.build import build_problem
from planner.plans.store import store_plan
from planner.routing import SolveParams, SolveProgress, solve
from planner.store import JobStatus, SolveJob, get_or_raise, session_scope, utcnow
from planner.travel import TravelProvider

PROGRESS_EVERY_S = 0.5
OPEN_JOB_STATUSES: tuple[JobStatus, ...] = ("queued", "running")
CANCELLED = "Dibatalkan; rencana yang sudah ada tidak berubah."
FAILED = "Gagal menyusun rencana; rencana yang sudah ada tidak berubah"
logger = logging.getLogger(__name__)


def create_job(
    session: Session,
    start: dt.date,
    weeks: int,
    time_limit_s: float,
    based_on_id: int | None = None,
    created_by_id: int | None = None,
) -> SolveJob:
    """A queued job; run it with run_job (in a thread or an RQ worker)."""
    job = SolveJob(
        start_date=start,
        weeks=weeks,
        time_limit_s=time_limit_s,
        based_on_id=based_on_id,
        created_by_id=created_by_id,
    )
    session.add(job)
    session.flush()
    return job


def cancel_job(session: Session, job_id: int) -> SolveJob:
    """Ask a queued or running job to stop."""
    job = get_or_raise(session, SolveJob, job_id, "Tugas")
    if job.status in OPEN_JOB_STATUSES:
        # A running solve notices within half a second of its next solution (an iterated local
        # search only at its time limit) and then stores nothing; the job reads as cancelled now.
        job.cancel_requested = True
        job.status, job.message, job.finished_at = "cancelled", CANCELLED, utcnow()
        session.add(job)
    return job


class _Progress:
    """Writes elapsed time and the best cost to the job row, and reads whether a cancel was
    asked for, each at most twice a second."""

    def __init__(self, engine: Engine, job_id: int) -> None:
        self.engine, self.job_id = engine, job_id
        self.last_report = self.last_check = 0.0
        self.solutions = 0
        self.cancel = False

    def report(self, progress: SolveProgress) -> None:
        self.solutions += 1
        now = time.monotonic()
        if now - self.last_report < PROGRESS_EVERY_S:
            return
        self.last_report = self.last_check = now
        with session_scope(self.engine) as session:
            job = session.get(SolveJob, self.job_id)
            if job is None:
                return
            job.elapsed_s, job.best_objective = progress.elapsed_s, progress.objective
            job.solutions = self.solutions
            self.cancel = job.cancel_requested
            session.add(job)

    def should_stop(self) -> bool:
        if not self.cancel and time.monotonic() - self.last_check >= PROGRESS_EVERY_S:
            self.read_cancel()
        return self.cancel

    def read_cancel(self) -> bool:
        """Whether a cancel was asked for (or the job is gone), read from the job row now."""
        self.last_check = time.monotonic()
        with Session(self.engine) as session:
            job = session.get(SolveJob, self.job_id)
            self.cancel = job is None or job.cancel_requested
        return self.cancel


def _finish(
    engine: Engine,
    job_id: int,
    status: JobStatus,
    message: str,
    plan: tuple[int | None, float, int] | None = None,
) -> None:
    """Record how the job ended; `plan` is (plan id, solve seconds, objective)."""
    with session_scope(engine) as session:
        job = session.get(SolveJob, job_id)
        if job is None:
            return
        job.status, job.message, job.finished_at = status, message, utcnow()
        if plan is not None:
            job.plan_id, job.elapsed_s, job.best_objective = plan
        session.add(job)


def _start(engine: Engine, job_id: int) -> SolveJob | None:
    with session_scope(engine) as session:
        job = session.get(SolveJob, job_id)
        if job is None or job.status != "queued":
            return None
        job.status, job.started_at = "running", utcnow()
        session.add(job)
        return job


@dataclass(frozen=True)
class PlanRequest:
    """What to plan: the period, the time limit and where the travel times come from."""

    start: dt.date
    weeks: int
    time_limit_s: float
    provider: TravelProvider | None = None
    holidays: frozenset[dt.date] = frozenset()
    cache_dir: Path | None = None
    base_plan_id: int | None = None
    created_by_id: int | None = None


@dataclass(frozen=True)
class StoredPlan:
    """A plan that was solved and stored as a draft."""

    plan_id: int
    solve_seconds: float
    objective: int


def plan_and_store(
    engine: Engine,
    request: PlanRequest,
    progress: Callable[[SolveProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    keep: Callable[[], bool] = lambda: True,
) -> StoredPlan | None:
    """Build the problem, solve it and store the plan as a draft (None when `keep()` says no).

    Read, solve and store run in separate transactions: no lock is held while solving.
    """
    with session_scope(engine) as session:
        problem, context = build_problem(
            session,
            request.start,
            request.weeks,
            request.provider,
            request.holidays,
            request.cache_dir,
            request.base_plan_id,
        )
    params = SolveParams(time_limit_s=request.time_limit_s)
    if progress is not None and should_stop is not None:
        params = replace(params, progress=progress, should_stop=should_stop)
    plan = solve(problem, params)
    if not keep():
        return None
    with session_scope(engine) as session:
        row = store_plan(
            session, problem, plan, context, request.time_limit_s, request.created_by_id
        )
        row.based_on_id = request.base_plan_id
        session.add(row)
        session.flush()
        assert row.id is not None
        return StoredPlan(row.id, plan.solve_seconds, plan.objective)


def run_job(engine: Engine, job_id: int) -> None:
    """Solve a queued job and store its plan as a draft; record why if it fails."""
    job = _start(engine, job_id)
    if job is None:
        return
    progress = _Progress(engine, job_id)
    request = PlanRequest(
        job.start_date,
        job.weeks,
        job.time_limit_s,
        base_plan_id=job.based_on_id,
        created_by_id=job.created_by_id,
    )
    try:
        stored = plan_and_store(
            engine,
            request,
            progress.report,
            progress.should_stop,
            keep=lambda: not (progress.cancel or progress.read_cancel()),
        )
        if stored is None:
            raise _Cancelled
        outcome = (stored.plan_id, stored.solve_seconds, stored.objective)
    except _Cancelled:
        _finish(engine, job_id, "cancelled", CANCELLED)
        return
    except KelilingError as error:
        _finish(engine, job_id, "failed", f"{FAILED}: {error}")
        return
    except Exception as error:  # a background job must always say how it ended
        logger.exception("solve job %s failed", job_id)
        _finish(engine, job_id, "failed", f"{FAILED}: {type(error).__name__}: {error}")
        return
    _finish(engine, job_id, "done", "Selesai.", outcome)


class _Cancelled(Exception):  # noqa: N818 - internal signal, never shown
    pass
