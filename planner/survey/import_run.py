"""Running one survey import job: claim it, import its file with a heartbeat, record how it
ended, and delete the file (kept only while the user is asked about overlapping answers)."""

import logging
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.core import ImportRejectedError, KelilingError
from planner.store import SurveyImportJob, claim_job, session_scope, utcnow
from planner.survey.import_jobs import (
    HEARTBEAT_EVERY_S,
    PROGRESS_SUFFIX,
    ImportBeat,
    call_import,
    delete_upload,
    record_result,
)

logger = logging.getLogger(__name__)


class _Lost(Exception):  # noqa: N818 - internal signal, never shown
    """The job row is no longer running (failed as stale): store nothing."""


def _store(engine: Engine, job_id: int, data: bytes, beat: ImportBeat) -> bool:
    """Import and record the outcome in one transaction; whether the file is still needed."""
    with session_scope(engine) as session:
        job = session.get(SurveyImportJob, job_id)
        assert job is not None
        result = call_import(session, data, job, beat.report)
        job = _locked(session, job_id)
        if job is None or job.status != "running":
            raise _Lost
        record_result(job, result)
        job.status, job.finished_at = "done", utcnow()
        session.add(job)
        return job.needs_choice


def _locked(session: Session, job_id: int) -> SurveyImportJob | None:
    """The job row as it is now, locked on PostgreSQL until the import commits."""
    query = select(SurveyImportJob).where(SurveyImportJob.id == job_id).with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).first()


def _finish(engine: Engine, job_id: int, **values: object) -> None:
    """Record a job that ended without storing anything (refused or failed)."""
    with session_scope(engine) as session:
        job = session.get(SurveyImportJob, job_id)
        if job is None or job.status != "running":
            return
        for name, value in values.items():
            setattr(job, name, value)
        job.finished_at = utcnow()
        session.add(job)


def _refused(engine: Engine, job_id: int, rejected: ImportRejectedError) -> None:
    problems = [{"row": p.row, "column": p.column, "message": p.message} for p in rejected.problems]
    _finish(engine, job_id, status="done", problems=problems, problem_total=rejected.total)


def run_import_job(
    engine: Engine, job_id: int, directory: Path, heartbeat_s: float = HEARTBEAT_EVERY_S
) -> None:
    """Import a queued job's file; the file is deleted afterwards unless a choice is asked."""
    if not claim_job(engine, SurveyImportJob, job_id):
        return
    with Session(engine) as session:
        job = session.get(SurveyImportJob, job_id)
        stored_name = job.stored_name if job is not None else ""
    keep = False
    try:
        data = (directory / stored_name).read_bytes()
        progress_file = directory / (stored_name + PROGRESS_SUFFIX)
        with ImportBeat(engine, job_id, heartbeat_s, progress_file) as beat:
            keep = _store(engine, job_id, data, beat)
    except _Lost:
        logger.warning("survey import %s was marked failed while it ran: nothing stored", job_id)
    except ImportRejectedError as rejected:
        _refused(engine, job_id, rejected)
    except (KelilingError, OSError) as error:
        _finish(engine, job_id, status="failed", message=str(error))
    except Exception as error:  # a background job must always say how it ended
        logger.exception("survey import %s failed", job_id)
        _finish(engine, job_id, status="failed", message=f"{type(error).__name__}: {error}")
    finally:
        _cleanup(engine, job_id, directory, stored_name, keep)


def _cleanup(engine: Engine, job_id: int, directory: Path, stored_name: str, keep: bool) -> None:
    """Delete the upload (and forget its name) unless the user is still to choose."""
    for leftover in (PROGRESS_SUFFIX, PROGRESS_SUFFIX + ".tmp"):
        (directory / (stored_name + leftover)).unlink(missing_ok=True)
    if keep:
        return
    delete_upload(directory, stored_name)
    with session_scope(engine) as session:
        job = session.get(SurveyImportJob, job_id)
        if job is not None and job.stored_name:
            job.stored_name = ""
            session.add(job)
