"""Where solve jobs run: a thread of this process, or RQ workers when REDIS_URL is set."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from redis import Redis
from rq import Queue

from planner.plans import run_job
from planner.store import make_engine
from web.db import get_engine

QUEUE_NAME = "keliling-solve"
EXTENSION_KEY = "keliling.jobs"
JOB_TIMEOUT_MARGIN_S = 120


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker process solves with: its own database and instance folder."""

    database_url: str
    instance_path: Path


_worker_settings: WorkerSettings | None = None


def bind_worker(app: Flask) -> None:
    """Make this process's queued jobs use `app`'s configuration (`keliling worker` calls it)."""
    global _worker_settings  # one worker configuration per process
    _worker_settings = WorkerSettings(app.config["DATABASE_URL"], Path(app.instance_path))


def run_queued_job(job_id: int) -> None:
    """The RQ task: solve a job in a worker process with its own engine.

    Only the job id travels through Redis: the worker reads the database address (with its
    password) and the instance folder (where an uploaded road extract lives) from its own
    configuration, so neither is stored in Redis nor written to the worker's log."""
    settings = _worker_settings
    if settings is None:  # a worker started without `keliling worker`
        from web import create_app  # the app factory imports this module

        bind_worker(create_app())
        settings = _worker_settings
    assert settings is not None
    engine = make_engine(settings.database_url)
    try:
        run_job(engine, job_id, settings.instance_path)
    finally:
        engine.dispose()


class ThreadRunner:
    """One solve at a time in a thread of the web process (the default)."""

    def __init__(self, instance_path: str) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="solve")
        self.instance_path = Path(instance_path)

    def submit(self, job_id: int, time_limit_s: float) -> None:
        """Run the job soon."""
        self.executor.submit(run_job, get_engine(), job_id, self.instance_path)


class RedisRunner:
    """Jobs go to an RQ queue; `keliling worker` processes run them."""

    def __init__(self, redis_url: str) -> None:
        self.queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))

    def submit(self, job_id: int, time_limit_s: float) -> None:
        """Put the job on the queue."""
        self.queue.enqueue(
            run_queued_job,
            job_id,
            job_timeout=int(time_limit_s) + JOB_TIMEOUT_MARGIN_S,
        )


def init_app(app: Flask) -> None:
    """Choose the runner from REDIS_URL."""
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        app.extensions[EXTENSION_KEY] = RedisRunner(redis_url)
    else:
        app.extensions[EXTENSION_KEY] = ThreadRunner(app.instance_path)


def submit(job_id: int, time_limit_s: float) -> None:
    """Start a solve job with the app's runner."""
    current_app.extensions[EXTENSION_KEY].submit(job_id, time_limit_s)
