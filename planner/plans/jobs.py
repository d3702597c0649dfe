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
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from planner.calendar import planning_holidays
from planner.core import N_, KelilingError, _
from planner.plans.build import build_problem
from planner.plans.no_plan import NoPlanFoundError, check_not_empty
from planner.plans.pending import applied
from planner.plans.store import store_plan
from planner.plans.travel import matrix_cache_dir, region_provider
from planner.routing import SolveParams, SolveProgress, solve
from planner.store import (
    JobHeartbeat,
    JobStatus,
    Plan,
    SolveJob,
    claim_job,
    get_or_raise,
    session_scope,
    stale_jobs,
    utcnow,
)
from planner.travel import TravelProvider

PROGRESS_EVERY_S = 0.5
OPEN_JOB_STATUSES: tuple[JobStatus, ...] = ("queued", "running")
# How a run ended (msgids: stored as `_(CANCELLED)`, in the planner's language).
CANCELLED = N_("Cancelled; the existing plans are unchanged.")
FAILED = N_("Planning failed; the existing plans are unchanged")
DONE = N_("Done.")
# Why a job failed without its solve saying so (also the web page's msgids, matched exactly).
WORKER_STOPPED = N_(
    "The planning process stopped (a restart or a crash); the existing plans are unchanged. "
    "Run it again."
)
QUEUE_UNAVAILABLE = N_(
    "The job queue is not available (Redis cannot be reached); the run was not started."
)
# A running job writes a heartbeat this often; one silent for STALE_AFTER_S is marked failed.
HEARTBEAT_EVERY_S = 10.0
STALE_AFTER_S = 90.0
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
    job = get_or_raise(session, SolveJob, job_id, _("Job"))
    if job.status in OPEN_JOB_STATUSES:
        # A running solve notices within half a second of its next solution (an iterated local
        # search only at its time limit) and then stores nothing; the job reads as cancelled now.
        job.cancel_requested = True
        job.status, job.message, job.finished_at = "cancelled", _(CANCELLED), utcnow()
        session.add(job)
    return job


class _Progress:
    """Writes the best plan so far (elapsed time, visits placed of required, metres) to the job
    row, and reads whether a cancel was asked for, each at most twice a second.

    A report that comes sooner waits for the next report or stop check after the pause, so the
    row never keeps an older plan than the search has found for long."""

    def __init__(self, engine: Engine, job_id: int) -> None:
        self.engine, self.job_id = engine, job_id
        self.last_report = self.last_check = 0.0
        self.solutions = 0
        self.pending: SolveProgress | None = None
        self.cancel = False

    def report(self, progress: SolveProgress) -> None:
        self.solutions += 1
        self.pending = progress
        self._write_if_due()

    def _write_if_due(self) -> None:
        now = time.monotonic()
        if self.pending is None or now - self.last_report < PROGRESS_EVERY_S:
            return
        progress, self.pending = self.pending, None
        self.last_report = self.last_check = now
        with session_scope(self.engine) as session:
            job = session.get(SolveJob, self.job_id)
            if job is None:
                return
            job.elapsed_s, job.best_objective = progress.elapsed_s, progress.objective
            job.visits_planned = progress.visits_planned
            job.visits_required = progress.visits_required
            job.distance_m = progress.distance_m
            job.solutions = self.solutions
            self.cancel = job.cancel_requested
            session.add(job)

    def should_stop(self) -> bool:
        self._write_if_due()
        if not self.cancel and time.monotonic() - self.last_check >= PROGRESS_EVERY_S:
            self.read_cancel()
        return self.cancel

    def lost(self) -> None:
        """The job row is no longer running (failed as stale, or cancelled): stop."""
        self.cancel = True

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
    record: Callable[[SolveJob], None] | None = None,
) -> None:
    """Record how the job ended; `record` writes what the run found onto the row.

    A job already ended elsewhere (cancelled, or failed as stale) keeps that ending unless the
    run stored a plan: then it says done, with the plan."""
    with session_scope(engine) as session:
        job = session.get(SolveJob, job_id)
        if job is None or (status != "done" and job.status not in OPEN_JOB_STATUSES):
            return
        job.status, job.message, job.finished_at = status, message, utcnow()
        if record is not None:
            record(job)
        session.add(job)


def _start(engine: Engine, job_id: int) -> SolveJob | None:
    """Claim a queued job (one conditional update, so two workers never both run it)."""
    if not claim_job(engine, SolveJob, job_id):
        return None
    with Session(engine, expire_on_commit=False) as session:
        return session.get(SolveJob, job_id)


def fail_unqueued_job(session: Session, job: SolveJob) -> None:
    """A job that could not be put on the queue ends failed (never left "queued")."""
    job.status, job.message, job.finished_at = "failed", _(QUEUE_UNAVAILABLE), utcnow()
    session.add(job)


def fail_stale_jobs(session: Session, stale_after_s: float = STALE_AFTER_S) -> list[int]:
    """Mark failed the running jobs whose process stopped beating (killed, reloaded, crashed).

    A job without a heartbeat counts from when it started. Only the job row changes: no plan
    (the published one above all) is touched. Returns the ids marked failed."""
    failed = []
    for job in stale_jobs(session, SolveJob, stale_after_s):
        job.status, job.message, job.finished_at = "failed", _(WORKER_STOPPED), utcnow()
        session.add(job)
        failed.append(job.id)
    if failed:
        session.flush()
        logger.warning("solve jobs %s stopped beating: marked failed", failed)
    return [job_id for job_id in failed if job_id is not None]


class _Heartbeat(JobHeartbeat):
    """A thread that writes the solve job's heartbeat while it runs, improvements or not.

    When the row is no longer running (marked failed as stale, or cancelled) it asks the solve
    to stop through `on_lost`."""

    def __init__(
        self, engine: Engine, job_id: int, every_s: float, on_lost: Callable[[], None]
    ) -> None:
        super().__init__(engine, SolveJob, job_id, every_s, on_lost)


@dataclass(frozen=True)
class PlanRequest:
    """What to plan: the period, the time limit and where the travel times come from.

    `holidays` are days off on top of those planning always skips (national holidays, cuti
    bersama and the library's closed days, see planner.calendar)."""

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
    visits_planned: int = 0
    visits_required: int = 0
    distance_m: int = 0

    def record(self, job: SolveJob) -> None:
        """Write the stored plan onto its job row."""
        job.plan_id, job.elapsed_s = self.plan_id, self.solve_seconds
        job.best_objective = self.objective
        job.visits_planned, job.visits_required = self.visits_planned, self.visits_required
        job.distance_m = self.distance_m


def _record_no_plan(error: NoPlanFoundError) -> Callable[[SolveJob], None]:
    def record(job: SolveJob) -> None:
        job.visits_planned, job.visits_required = 0, error.visits_required
        job.distance_m, job.no_plan_reason = 0, error.common.code

    return record


def plan_and_store(
    engine: Engine,
    request: PlanRequest,
    progress: Callable[[SolveProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    keep: Callable[[], bool] = lambda: True,
) -> StoredPlan | None:
    """Build the problem, solve it and store the plan as a draft (None when `keep()` says no).

    Raises NoPlanFoundError, storing nothing, when the search placed no visit although visits were
    required. Read, solve and store run in separate transactions: no lock is held while solving
    (nor while the travel times are computed: the read takes no write lock).
    """
    with session_scope(engine, write=False) as session:
        problem, context = build_problem(
            session,
            request.start,
            request.weeks,
            request.provider,
            planning_holidays(session, request.start, request.weeks, request.holidays),
            request.cache_dir,
            request.base_plan_id,
        )
        used = _pending_of(session, request.base_plan_id)
    params = SolveParams(time_limit_s=request.time_limit_s)
    if progress is not None and should_stop is not None:
        params = replace(params, progress=progress, should_stop=should_stop)
    plan = solve(problem, params)
    if not keep():
        return None
    check_not_empty(problem, plan)
    with session_scope(engine) as session:
        row = store_plan(
            session, problem, plan, context, request.time_limit_s, request.created_by_id
        )
        row.based_on_id = request.base_plan_id
        session.add(row)
        session.flush()
        assert row.id is not None
        _mark_applied(session, request.base_plan_id, used, row.id)
        return StoredPlan(
            row.id,
            plan.solve_seconds,
            plan.objective,
            plan.visits_planned,
            sum(stop.visits for stop in problem.stops),
            sum(route.distance_m for route in plan.routes),
        )


def _pending_of(session: Session, plan_id: int | None) -> dict[str, Any]:
    """The adjustments a re-plan from this plan reads (none for a new plan)."""
    base = session.get(Plan, plan_id) if plan_id is not None else None
    return dict(base.adjustments) if base is not None else {}


def _mark_applied(session: Session, plan_id: int | None, used: dict[str, Any], new_id: int) -> None:
    """The base plan's adjustments that the new plan applied are no longer pending."""
    base = session.get(Plan, plan_id) if plan_id is not None else None
    if base is not None and used:
        base.adjustments = applied(base.adjustments, used, new_id)
        session.add(base)


def _job_request(engine: Engine, job: SolveJob, instance_path: Path | None) -> PlanRequest:
    """What the job plans, with the region's travel-time source built here, in the process that
    solves (a provider is never pickled into a queue)."""
    with session_scope(engine, write=False) as session:
        provider = region_provider(session, instance_path)
    return PlanRequest(
        job.start_date,
        job.weeks,
        job.time_limit_s,
        provider,
        cache_dir=matrix_cache_dir(instance_path) if instance_path is not None else None,
        base_plan_id=job.based_on_id,
        created_by_id=job.created_by_id,
    )


def run_job(
    engine: Engine,
    job_id: int,
    instance_path: Path | None = None,
    heartbeat_s: float = HEARTBEAT_EVERY_S,
) -> None:
    """Solve a queued job and store its plan as a draft; record why if it fails.

    Travel times come from the region's setting; an extract is found in `instance_path`. While
    it runs, the job's heartbeat is written every `heartbeat_s` seconds."""
    job = _start(engine, job_id)
    if job is None:
        return
    progress = _Progress(engine, job_id)
    with _Heartbeat(engine, job_id, heartbeat_s, progress.lost):
        _run_started(engine, job, job_id, progress, instance_path)


def _run_started(
    engine: Engine, job: SolveJob, job_id: int, progress: "_Progress", instance_path: Path | None
) -> None:
    try:
        stored = plan_and_store(
            engine,
            _job_request(engine, job, instance_path),
            progress.report,
            progress.should_stop,
            keep=lambda: not (progress.cancel or progress.read_cancel()),
        )
        if stored is None:
            raise _Cancelled
    except _Cancelled:
        _finish(engine, job_id, "cancelled", _(CANCELLED))
        return
    except NoPlanFoundError as error:  # one sentence, no "failed to plan" prefix
        _finish(engine, job_id, "failed", str(error), _record_no_plan(error))
        return
    except KelilingError as error:
        _finish(engine, job_id, "failed", f"{_(FAILED)}: {error}")
        return
    except Exception as error:  # a background job must always say how it ended
        logger.exception("solve job %s failed", job_id)
        _finish(engine, job_id, "failed", f"{_(FAILED)}: {type(error).__name__}: {error}")
        return
    _finish(engine, job_id, "done", _(DONE), stored.record)


class _Cancelled(Exception):  # noqa: N818 - internal signal, never shown
    pass
