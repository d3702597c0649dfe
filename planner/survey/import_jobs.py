"""Importing an uploaded survey file in the background: a job row shares its progress.

The upload waits in a folder (random name) until its job has run; its progress is written to
a small file next to it as well as to the row, because on SQLite the import holds the write
lock until it commits and the row cannot be written meanwhile. The job's outcome is written in
the import's own transaction, so a job marked failed (its process stopped beating) never has
stored answers, and stored answers always have a job that says so.
"""

import datetime as dt
import logging
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.store import (
    JobHeartbeat,
    SurveyImportJob,
    aware,
    current_region,
    last_beat,
    stale_jobs,
    utcnow,
)
from planner.survey.store import SurveyImportResult, import_survey

OverlapChoice = Literal["ask", "add", "skip"]
OVERLAP_CHOICES: tuple[OverlapChoice, ...] = ("ask", "add", "skip")
HEARTBEAT_EVERY_S = 5.0
PROGRESS_EVERY_S = 1.0
STALE_AFTER_S = 90.0
# A file whose overlap question nobody answered is deleted after this long.
UNANSWERED_KEPT_S = 7 * 24 * 3600
UPLOAD_SUFFIX = ".upload"
PROGRESS_SUFFIX = ".progress"
# Why an import failed without the file saying so: stored as these keys (English), which the
# web page shows in its language (an import that fails on its own stores only its error).
IMPORT_STOPPED = (
    "The import stopped (a restart or a crash); nothing was stored. Upload the file again."
)
IMPORT_QUEUE_UNAVAILABLE = (
    "The job queue is not available (Redis cannot be reached); the import was not started."
)
logger = logging.getLogger(__name__)


def upload_dir(instance_path: Path, *, create: bool = True) -> Path:
    """Where uploaded survey files wait for their import (created when missing)."""
    directory = instance_path / "uploads" / "survey"
    if create:
        directory.mkdir(parents=True, exist_ok=True)
    return directory


def save_upload(directory: Path, data: bytes) -> str:
    """Write an upload under a random name (readable by this user only); returns the name."""
    name = secrets.token_hex(16) + UPLOAD_SUFFIX
    path = directory / name
    path.touch(mode=0o600)
    path.write_bytes(data)
    return name


def delete_upload(directory: Path, stored_name: str) -> None:
    """Remove an upload and its progress file (nothing happens when they are gone)."""
    if stored_name:
        (directory / stored_name).unlink(missing_ok=True)
        (directory / (stored_name + PROGRESS_SUFFIX)).unlink(missing_ok=True)
        (directory / (stored_name + PROGRESS_SUFFIX + ".tmp")).unlink(missing_ok=True)


def create_import_job(
    session: Session,
    filename: str,
    stored_name: str,
    size_bytes: int,
    *,
    dry_run: bool = False,
    overlap: OverlapChoice = "ask",
    created_by_id: int | None = None,
) -> SurveyImportJob:
    """A queued import of an upload saved with save_upload; run it with run_import_job."""
    job = SurveyImportJob(
        filename=filename[:255],
        stored_name=stored_name,
        size_bytes=size_bytes,
        dry_run=dry_run,
        overlap_choice=overlap,
        created_by_id=created_by_id,
    )
    session.add(job)
    session.flush()
    return job


def read_progress(directory: Path, job: SurveyImportJob) -> tuple[int, int | None]:
    """Rows stored and the file's rows, from the progress file when it is newer than the row."""
    done, total = job.rows_done, job.rows_total
    try:
        text = (directory / (job.stored_name + PROGRESS_SUFFIX)).read_text()
        file_done, file_total = (int(part) for part in text.split())
    except (OSError, ValueError):
        return done, total
    return max(done, file_done), file_total or total


def _beat_of(directory: Path | None) -> Callable[[Any], Any]:
    def beat_of(job: SurveyImportJob) -> Any:
        beat = last_beat(job)
        if directory is None or not job.stored_name:
            return beat
        try:
            mtime = (directory / (job.stored_name + PROGRESS_SUFFIX)).stat().st_mtime
        except OSError:
            return beat
        from_file = aware(utcnow().fromtimestamp(mtime, tz=utcnow().tzinfo))
        return from_file if beat is None else max(beat, from_file)

    return beat_of


def fail_stale_imports(
    session: Session, directory: Path | None, stale_after_s: float = STALE_AFTER_S
) -> list[int]:
    """Mark failed the running imports whose process stopped beating, and delete their files."""
    failed = []
    for job in stale_jobs(session, SurveyImportJob, stale_after_s, _beat_of(directory)):
        job.status, job.message, job.finished_at = "failed", IMPORT_STOPPED, utcnow()
        if directory is not None:
            delete_upload(directory, job.stored_name)
        job.stored_name = ""
        session.add(job)
        failed.append(job.id)
    if failed:
        session.flush()
        logger.warning("survey imports %s stopped beating: marked failed", failed)
    return [job_id for job_id in failed if job_id is not None]


def forget_unanswered(session: Session, directory: Path, kept_s: float = UNANSWERED_KEPT_S) -> int:
    """Delete the files still waiting for an overlap choice after `kept_s`; how many."""
    bound = utcnow() - dt.timedelta(seconds=kept_s)
    waiting = session.exec(
        select(SurveyImportJob).where(
            col(SurveyImportJob.needs_choice), col(SurveyImportJob.stored_name) != ""
        )
    ).all()
    forgotten = [job for job in waiting if job.finished_at and aware(job.finished_at) < bound]
    for job in forgotten:
        delete_upload(directory, job.stored_name)
        job.stored_name = ""
        session.add(job)
    return len(forgotten)


def fail_unqueued_import(session: Session, job: SurveyImportJob, directory: Path) -> None:
    """An import that could not be put on the queue ends failed and its file is deleted."""
    delete_upload(directory, job.stored_name)
    job.status, job.message, job.finished_at = "failed", IMPORT_QUEUE_UNAVAILABLE, utcnow()
    job.stored_name = ""
    session.add(job)


def choose_overlap(
    session: Session, job_id: int, choice: OverlapChoice, created_by_id: int | None = None
) -> SurveyImportJob | None:
    """Import again, with the user's choice, a file whose overlap was asked about.

    The new job takes over the waiting file; None when there is nothing to choose (any more)."""
    asked = session.get(SurveyImportJob, job_id)
    if asked is None or not asked.needs_choice or not asked.stored_name or choice == "ask":
        return None
    job = create_import_job(
        session,
        asked.filename,
        asked.stored_name,
        asked.size_bytes,
        dry_run=asked.dry_run,
        overlap=choice,
        created_by_id=created_by_id,
    )
    asked.stored_name = ""
    session.add(asked)
    return job


def ask_overlap(
    session: Session,
    filename: str,
    stored_name: str,
    result: SurveyImportResult,
    created_by_id: int | None = None,
) -> SurveyImportJob:
    """A finished job that asks about overlapping respondents, for an import that ran at once
    (the file waits under `stored_name` for the choice)."""
    job = create_import_job(
        session, filename, stored_name, 0, dry_run=result.dry_run, created_by_id=created_by_id
    )
    record_result(job, result)
    job.status, job.started_at, job.finished_at = "done", job.created_at, utcnow()
    session.add(job)
    session.flush()
    return job


def record_result(job: SurveyImportJob, result: SurveyImportResult) -> None:
    """Write what the import did onto its job row."""
    job.batch_id, job.responses, job.new = result.batch_id, result.responses, result.new
    job.duplicates, job.synthetic = result.duplicates, result.synthetic
    job.already_imported = result.already_imported
    job.updated, job.overlap, job.needs_choice = result.updated, result.overlap, result.needs_choice
    job.rows_done = job.rows_total = result.responses


def result_of(job: SurveyImportJob) -> SurveyImportResult:
    """The import's result as the planner describes it, rebuilt from the job row."""
    return SurveyImportResult(
        job.batch_id,
        job.responses,
        job.new,
        job.duplicates,
        job.synthetic,
        job.dry_run,
        already_imported=job.already_imported,
        updated=job.updated,
        overlap=job.overlap,
        needs_choice=job.needs_choice,
    )


def call_import(
    session: Session,
    data: bytes,
    job: SurveyImportJob,
    progress: Callable[[int, int], None] | None = None,
) -> SurveyImportResult:
    """import_survey with the job's file name and choices."""
    overlap = job.overlap_choice if job.overlap_choice in OVERLAP_CHOICES else "ask"
    return import_survey(
        session,
        current_region(session),
        data,
        job.filename,
        dry_run=job.dry_run,
        imported_by_id=job.created_by_id,
        overlap=overlap,
        progress=progress,
    )


class ImportBeat(JobHeartbeat):
    """The import's heartbeat: its progress to a file always (at most every PROGRESS_EVERY_S as
    rows are stored), and to the row where the database lets it (not SQLite, whose write lock
    the import holds)."""

    def __init__(self, engine: Engine, job_id: int, every_s: float, progress_file: Path) -> None:
        super().__init__(engine, SurveyImportJob, job_id, every_s, lambda: None)
        self.progress_file, self.done, self.total = progress_file, 0, 0
        self.on_sqlite = engine.url.get_backend_name() == "sqlite"
        self.written_at = 0.0
        self.lock = threading.Lock()

    def report(self, done: int, total: int) -> None:
        """The import's callback: rows stored so far of the file's rows."""
        self.done, self.total = done, total
        if time.monotonic() - self.written_at >= PROGRESS_EVERY_S:
            self.write_file()

    def write_file(self) -> None:
        """Write the progress file (its time is the heartbeat other processes read)."""
        self.written_at = time.monotonic()
        # Written aside and moved in place: a reader never sees a half-written file.
        partial = self.progress_file.with_name(self.progress_file.name + ".tmp")
        with self.lock:  # the import's callback and the heartbeat thread both write it
            try:
                partial.write_text(f"{self.done} {self.total}")
                partial.replace(self.progress_file)
            except OSError:  # a full disk: the next write tries again; the import goes on
                logger.warning("survey import %s: progress not written", self.job_id)

    def values(self) -> dict[str, Any]:
        return {"rows_done": self.done, "rows_total": self.total or None}

    def beat(self) -> bool:
        self.write_file()
        return True if self.on_sqlite else super().beat()
