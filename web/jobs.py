"""Where solve jobs run: a thread of this process, or RQ workers when REDIS_URL is set."""

from concurrent.futures import ThreadPoolExecutor
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


def run_job_from_url(database_url: str, job_id: int, instance_path: str | None = None) -> None:
    """The RQ task: solve a job in a worker process with its own engine.

    `instance_path` is the web app's instance folder, where an uploaded road extract lives: the
    worker builds the travel-time provider itself, from the region's setting in the database."""
    engine = make_engine(database_url)
    try:
        run_job(engine, job_id, Path(instance_path) if instance_path else None)
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

    def __init__(self, redis_url: str, database_url: str, instance_path: str | None = None) -> None:
        self.queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))
        self.database_url = database_url
        self.instance_path = instance_path

    def submit(self, job_id: int, time_limit_s: float) -> None:
        """Put the job on the queue."""
        self.queue.enqueue(
            run_job_from_url,
            self.database_url,
            job_id,
            self.instance_path,
            job_timeout=int(time_limit_s) + JOB_TIMEOUT_MARGIN_S,
        )


def init_app(app: Flask) -> None:
    """Choose the runner from REDIS_URL."""
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        app.extensions[EXTENSION_KEY] = RedisRunner(
            redis_url, app.config["DATABASE_URL"], app.instance_path
        )
    else:
        app.extensions[EXTENSION_KEY] = ThreadRunner(app.instance_path)


def submit(job_id: int, time_limit_s: float) -> None:
    """Start a solve job with the app's runner."""
    current_app.extensions[EXTENSION_KEY].submit(job_id, time_limit_s)
