"""Where survey imports run: a thread of the web process, or the RQ workers that run solves
(the same queue, so `keliling worker` imports as well as plans)."""

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask, current_app
from redis.exceptions import RedisError
from rq.job import Job
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from planner.store import SurveyImportJob, make_engine, session_scope
from planner.survey import (
    fail_stale_imports,
    fail_unqueued_import,
    forget_unanswered,
    run_import_job,
    upload_dir,
)
from web import jobs
from web.db import get_engine

EXTENSION_KEY = "keliling.survey_jobs"
# An import of the largest file takes about a minute; RQ stops a job running far longer.
IMPORT_TIMEOUT_S = 1800
logger = logging.getLogger(__name__)


def rq_import_id(job_id: int) -> str:
    """The RQ job's id: one per import job, so an import is never on the queue twice."""
    return f"keliling-survey-import-{job_id}"


def run_queued_import(job_id: int) -> None:
    """The RQ task: import a job's file in a worker process with its own engine.

    Only the id travels through Redis; the file waits in the instance folder, which the
    worker shares with the web process (as it does for road extracts)."""
    settings = jobs.worker_settings()
    engine = make_engine(settings.database_url)
    try:
        run_import_job(engine, job_id, upload_dir(settings.instance_path), settings.heartbeat_s)
    finally:
        engine.dispose()


def uploads() -> Path:
    """The app's folder of uploaded survey files."""
    return upload_dir(Path(current_app.instance_path))


def _redis() -> jobs.RedisRunner | None:
    runner = current_app.extensions[jobs.EXTENSION_KEY]
    return runner if isinstance(runner, jobs.RedisRunner) else None


def submit(job_id: int) -> None:
    """Start an import with the app's runner (QueueUnavailable when Redis is down)."""
    redis = _redis()
    if redis is None:
        executor: ThreadPoolExecutor = current_app.extensions[EXTENSION_KEY]
        heartbeat = jobs.heartbeat_s(current_app)
        executor.submit(run_import_job, get_engine(), job_id, uploads(), heartbeat)
        return
    try:
        redis.queue.enqueue(
            run_queued_import, job_id, job_id=rq_import_id(job_id), job_timeout=IMPORT_TIMEOUT_S
        )
    except RedisError as error:
        raise jobs.QueueUnavailable(str(error)) from error


def start(session: Session, job: SurveyImportJob) -> None:
    """Commit the queued job and start it; with Redis down it ends failed, never stuck queued."""
    session.commit()
    assert job.id is not None
    try:
        submit(job.id)
    except jobs.QueueUnavailable:
        fail_unqueued_import(session, job, uploads())
        session.commit()


def _on_queue(redis: jobs.RedisRunner, job_id: int) -> bool:
    try:
        found = Job.fetch(rq_import_id(job_id), connection=redis.queue.connection)
    except RedisError:
        raise
    except Exception:  # no such job (Redis restarted without it, or it was removed)
        return False
    return found.get_status(refresh=False) in jobs.WILL_RUN


def check_imports(session: Session, job: SurveyImportJob | None = None) -> None:
    """When an import's page is read: fail stale running imports and put a queued import that
    Redis lost back on the queue. Writes (and commits) only when something changed."""
    stale = fail_stale_imports(session, uploads(), jobs.stale_after_s(current_app))
    if stale or forget_unanswered(session, uploads()):
        session.commit()
    redis = _redis()
    if job is None or job.id is None or job.status != "queued" or redis is None:
        return
    try:
        if not _on_queue(redis, job.id):
            submit(job.id)
            logger.warning("survey import %s was missing from the queue: enqueued again", job.id)
    except (RedisError, jobs.QueueUnavailable):  # still down: the next read tries again
        logger.warning("survey import %s: queue not reachable", job.id)


def init_app(app: Flask) -> None:
    """A thread for imports (used without REDIS_URL); imports of a stopped process end failed."""
    app.extensions[EXTENSION_KEY] = ThreadPoolExecutor(
        max_workers=1, thread_name_prefix="survey-import"
    )
    engine = app.extensions["keliling.engine"]
    database = engine.url.database or ":memory:"
    sqlite_file = engine.url.get_backend_name() == "sqlite" and database != ":memory:"
    if sqlite_file and not Path(database).exists():
        return  # opening it would create the file (a restore must find none there)
    directory = upload_dir(Path(app.instance_path), create=False)
    try:
        if not inspect(engine).has_table("surveyimportjob"):
            return  # a database not set up yet: `keliling init` creates the tables
        with session_scope(engine) as session:
            fail_stale_imports(session, directory, jobs.stale_after_s(app))
            forget_unanswered(session, directory)
    except SQLAlchemyError as error:
        logger.info("stale survey imports not checked at start-up: %s", str(error).splitlines()[0])
