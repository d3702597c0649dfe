"""A survey import job on SQLite and PostgreSQL: it stores and records its outcome in one
transaction, deletes its file, and a job whose process stopped beating ends failed."""

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from planner.store import Region, SurveyImportJob, SurveyResponse, session_scope, utcnow
from planner.survey import (
    IMPORT_STOPPED,
    create_import_job,
    fail_stale_imports,
    forget_unanswered,
    run_import_job,
    save_upload,
)
from planner.survey.import_jobs import call_import
from tests.factories import survey_csv


def _job(engine: Engine, directory: Path, data: bytes, **fields: Any) -> int:
    with session_scope(engine) as session:
        job = create_import_job(session, "survei.csv", save_upload(directory, data), len(data))
        for name, value in fields.items():
            setattr(job, name, value)
        session.add(job)
        session.flush()
        assert job.id is not None
        return job.id


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    directory = tmp_path / "uploads"
    directory.mkdir()
    return directory


def _stored(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(SurveyResponse)).one()


def test_a_job_imports_records_and_deletes_its_file(
    engine: Engine, region: Region, uploads: Path
) -> None:
    job_id = _job(engine, uploads, survey_csv().encode())
    run_import_job(engine, job_id, uploads, heartbeat_s=0.05)
    with Session(engine) as session:
        job = session.get(SurveyImportJob, job_id)
        assert job is not None and job.status == "done" and job.new == 3
        assert job.rows_done == job.rows_total == 3 and job.stored_name == ""
    assert _stored(engine) == 3 and list(uploads.iterdir()) == []
    run_import_job(engine, job_id, uploads)  # a job runs once
    assert _stored(engine) == 3


def test_a_job_failed_while_it_ran_stores_nothing(
    engine: Engine, region: Region, uploads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.url.get_backend_name() == "sqlite":
        pytest.skip("on SQLite the import holds the write lock: nothing else can mark it failed")

    def marked_failed_meanwhile(session: Session, *args: Any, **kwargs: Any) -> Any:
        result = call_import(session, *args, **kwargs)
        imported.append(result.new)
        with session_scope(engine) as other:
            job = other.get(SurveyImportJob, job_id)
            assert job is not None
            job.status = "failed"
            other.add(job)
        return result

    imported: list[int] = []
    monkeypatch.setattr("planner.survey.import_run.call_import", marked_failed_meanwhile)
    job_id = _job(engine, uploads, survey_csv().encode())
    run_import_job(engine, job_id, uploads)
    assert imported == [3] and _stored(engine) == 0
    with Session(engine) as session:
        job = session.get(SurveyImportJob, job_id)
        assert job is not None and job.status == "failed" and job.new == 0


def test_a_silent_job_ends_failed_unless_its_progress_file_beats(
    engine: Engine, region: Region, uploads: Path
) -> None:
    long_ago = utcnow() - dt.timedelta(minutes=10)
    beating = _job(engine, uploads, b"x", status="running", started_at=long_ago)
    silent = _job(engine, uploads, b"y", status="running", started_at=long_ago)
    with Session(engine) as session:
        beating_job = session.get(SurveyImportJob, beating)
        assert beating_job is not None
        (uploads / (beating_job.stored_name + ".progress")).write_text("5 10")
    with session_scope(engine) as session:
        assert fail_stale_imports(session, uploads, stale_after_s=60) == [silent]
    with Session(engine) as session:
        job = session.get(SurveyImportJob, silent)
        assert job is not None and job.status == "failed" and job.message == IMPORT_STOPPED
    assert len(os.listdir(uploads)) == 2  # the beating job's file and its progress


def test_a_file_nobody_chose_for_is_deleted_after_a_week(
    engine: Engine, region: Region, uploads: Path
) -> None:
    eight_days_ago = utcnow() - dt.timedelta(days=8)
    old = _job(engine, uploads, b"a", status="done", needs_choice=True, finished_at=eight_days_ago)
    recent = _job(engine, uploads, b"b", status="done", needs_choice=True, finished_at=utcnow())
    with session_scope(engine) as session:
        assert forget_unanswered(session, uploads) == 1
    with Session(engine) as session:
        old_job, recent_job = (
            session.get(SurveyImportJob, old),
            session.get(SurveyImportJob, recent),
        )
        assert old_job is not None and old_job.stored_name == ""
        assert recent_job is not None and (uploads / recent_job.stored_name).exists()
    assert len(os.listdir(uploads)) == 1
