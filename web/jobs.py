"""Where solve jobs run: a thread of this process, or RQ workers when REDIS_URL is set."""

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.job import Job, JobStatus
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from planner.plans import HEARTBEAT_EVERY_S, STALE_AFTER_S, fail_stale_jobs, run_job
from planner.store import SolveJob, make_engine, session_scope
from web.db import get_engine

QUEUE_NAME = "keliling-solve"
EXTENSION_KEY = "keliling.jobs"
JOB_TIMEOUT_MARGIN_S = 120
REDIS_CONNECT_TIMEOUT_S = 3
RECOVERY_EVERY_S = 30
# RQ states in which a queued job will still run (anything else, or no RQ job: enqueue again).
WILL_RUN = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):  # noqa: N818 - reads as the situation
    """The job could not be put on the queue (Redis cannot be reached)."""


def heartbeat_s(app: Flask) -> float:
    """How often a running job writes its heartbeat (KELILING_JOB_HEARTBEAT_S)."""
    return float(app.config.get("JOB_HEARTBEAT_S", HEARTBEAT_EVERY_S))


def stale_after_s(app: Flask) -> float:
    """How long a running job may stay silent before it is marked failed."""
    return float(app.config.get("JOB_STALE_AFTER_S", STALE_AFTER_S))


def rq_job_id(job_id: int) -> str:
    """The RQ job's id: one per solve job, so a job is never on the queue twice."""
    return f"keliling-solve-{job_id}"


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker process solves with: its own database and instance folder."""

    database_url: str
    instance_path: Path
    heartbeat_s: float = HEARTBEAT_EVERY_S


_worker_settings: WorkerSettings | None = None


def bind_worker(app: Flask) -> None:
    """Make this process's queued jobs use `app`'s configuration (`keliling worker` calls it)."""
    global _worker_settings  # one worker configuration per process
    _worker_settings = WorkerSettings(
        app.config["DATABASE_URL"], Path(app.instance_path), heartbeat_s(app)
    )


def worker_settings() -> WorkerSettings:
    """This worker process's settings (bound from the app when `keliling worker` did not)."""
    if _worker_settings is None:  # a worker started without `keliling worker`
        from web import create_app  # the app factory imports this module

        bind_worker(create_app(pages=False))
    assert _worker_settings is not None
    return _worker_settings


def run_queued_job(job_id: int) -> None:
    """The RQ task: solve a job in a worker process with its own engine.

    Only the job id travels through Redis: the worker reads the database address (with its
    password) and the instance folder (where an uploaded road extract lives) from its own
    configuration, so neither is stored in Redis nor written to the worker's log."""
    settings = worker_settings()
    engine = make_engine(settings.database_url)
    try:
        run_job(engine, job_id, settings.instance_path, settings.heartbeat_s)
    finally:
        engine.dispose()


class ThreadRunner:
    """One solve at a time in a thread of the web process (the default)."""

    def __init__(self, instance_path: str, heartbeat_s: float = HEARTBEAT_EVERY_S) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="solve")
        self.instance_path = Path(instance_path)
        self.heartbeat_s = heartbeat_s

    def submit(self, job_id: int, time_limit_s: float) -> None:
        """Run the job soon."""
        self.executor.submit(run_job, get_engine(), job_id, self.instance_path, self.heartbeat_s)

    def recover(self, session: Session, job: SolveJob) -> None:
        """Nothing to do: a thread runner's queued job is in this process's executor."""


class RedisRunner:
    """Jobs go to an RQ queue; `keliling worker` processes run them."""

    def __init__(self, redis_url: str) -> None:
        connection = Redis.from_url(redis_url, socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S)
        self.queue = Queue(QUEUE_NAME, connection=connection)

    def submit(self, job_id: int, time_limit_s: float) -> None:
        """Put the job on the queue; QueueUnavailable when Redis cannot be reached."""
        try:
            self.queue.enqueue(
                run_queued_job,
                job_id,
                job_id=rq_job_id(job_id),
                job_timeout=int(time_limit_s) + JOB_TIMEOUT_MARGIN_S,
            )
        except RedisError as error:
            raise QueueUnavailable(str(error)) from error

    def on_queue(self, job_id: int) -> bool:
        """Whether RQ still holds the job in a state in which it will run."""
        try:
            found = Job.fetch(rq_job_id(job_id), connection=self.queue.connection)
        except RedisError:
            raise
        except Exception:  # no such job (Redis restarted without it, or it was removed)
            return False
        return found.get_status(refresh=False) in WILL_RUN

    def recover(self, session: Session, job: SolveJob) -> None:
        """Put a queued job that Redis lost (a restart, an outage) back on the queue."""
        assert job.id is not None
        try:
            if not self.on_queue(job.id):
                self.submit(job.id, job.time_limit_s)
                logger.warning("solve job %s was missing from the queue: enqueued again", job.id)
        except (RedisError, QueueUnavailable):  # still down: the next read or sweep tries again
            logger.warning("solve job %s: queue not reachable", job.id)

    def recover_all(self, engine: Engine) -> None:
        """Enqueue again every queued job of the database that the queue lost."""
        with Session(engine) as session:
            for job in session.exec(select(SolveJob).where(col(SolveJob.status) == "queued")):
                self.recover(session, job)


def start_recovery(runner: RedisRunner, engine: Engine, stale_after: float) -> None:
    """In a worker: every RECOVERY_EVERY_S, fail stale running jobs and enqueue again the queued
    jobs that Redis lost (a restart without persistence), in a daemon thread."""

    def loop() -> None:
        while True:
            time.sleep(RECOVERY_EVERY_S)
            sweep(engine, stale_after)
            try:
                runner.recover_all(engine)
            except SQLAlchemyError:
                logger.warning("queued solve jobs not checked", exc_info=True)

    threading.Thread(target=loop, name="keliling-recovery", daemon=True).start()


def init_app(app: Flask) -> None:
    """Choose the runner from REDIS_URL; mark failed the jobs whose process stopped."""
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        app.extensions[EXTENSION_KEY] = RedisRunner(redis_url)
    else:
        app.extensions[EXTENSION_KEY] = ThreadRunner(app.instance_path, heartbeat_s(app))
    sweep(app.extensions["keliling.engine"], stale_after_s(app))


def sweep(engine: Engine, stale_after: float) -> None:
    """At start-up: running jobs of a process that stopped beating end failed (a database not
    yet set up, or unreachable, is left to the first request)."""
    database = engine.url.database or ":memory:"
    sqlite_file = engine.url.get_backend_name() == "sqlite" and database != ":memory:"
    if sqlite_file and not Path(database).exists():
        return  # opening it would create the file (a restore must find none there)
    try:
        if not inspect(engine).has_table("solvejob"):
            return  # a database not set up yet: `keliling init` creates the tables
        with session_scope(engine) as session:
            fail_stale_jobs(session, stale_after)
    except SQLAlchemyError as error:
        logger.info("stale solve jobs not checked at start-up: %s", str(error).splitlines()[0])


def submit(job_id: int, time_limit_s: float) -> None:
    """Start a solve job with the app's runner (QueueUnavailable when Redis is down)."""
    current_app.extensions[EXTENSION_KEY].submit(job_id, time_limit_s)


def check_jobs(session: Session, job: SolveJob | None = None) -> None:
    """When a job page or the plans index is read: fail stale running jobs and put a queued job
    that Redis lost back on the queue. Writes (and commits) only when something changed."""
    if fail_stale_jobs(session, stale_after_s(current_app)):
        session.commit()
    if job is not None and job.status == "queued":
        current_app.extensions[EXTENSION_KEY].recover(session, job)
