"""Jobs that survive: a run whose process stopped beating ends failed with a reason (and can be
run again), a thread runner's orphan is failed at start-up, and a submit while Redis is down
says so instead of a 500."""

import datetime as dt
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from planner.plans import create_job
from planner.plans.jobs import _Heartbeat
from planner.store import Plan, SolveJob, session_scope, utcnow
from tests.conftest import AuthActions
from web.jobs import RedisRunner

DEAD_REDIS = "redis://127.0.0.1:1/0"
STOPPED_ID = "Proses perencanaan berhenti"
STOPPED_EN = "The planning process stopped"


@pytest.fixture
def planner_client(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    auth.login("koordinator")
    return client


def _job(
    app: Flask, status: str = "running", beat_ago_s: float | None = None, **fields: Any
) -> int:
    with session_scope(app.extensions["keliling.engine"]) as session:
        job = create_job(session, dt.date(2026, 11, 30), 1, 1.0)
        job.status = status  # type: ignore[assignment]
        if status == "running":
            job.started_at = utcnow() - dt.timedelta(seconds=600)
        if beat_ago_s is not None:
            job.heartbeat_at = utcnow() - dt.timedelta(seconds=beat_ago_s)
        for name, value in fields.items():
            setattr(job, name, value)
        session.add(job)
        session.flush()
        assert job.id is not None
        return job.id


def _row(app: Flask, job_id: int) -> SolveJob:
    with Session(app.extensions["keliling.engine"]) as session:
        job = session.get(SolveJob, job_id)
        assert job is not None
        return job


def _plans(app: Flask) -> list[tuple[int | None, str]]:
    with Session(app.extensions["keliling.engine"]) as session:
        return [(p.id, p.status) for p in session.exec(select(Plan).order_by(col(Plan.id)))]


def test_a_job_whose_heartbeat_stopped_reads_failed_with_a_reason(
    app: Flask, planner_client: FlaskClient
) -> None:
    plans = _plans(app)
    stale = _job(app, beat_ago_s=120)
    alive = _job(app, beat_ago_s=5)
    status = planner_client.get(f"/rencana/tugas/{stale}.json").json
    assert status is not None and status["status"] == "failed"
    assert STOPPED_ID in status["message"]
    assert planner_client.get(f"/rencana/tugas/{alive}.json").json["status"] == "running"  # type: ignore[index]
    page = planner_client.get(f"/rencana/tugas/{stale}").get_data(as_text=True)
    assert STOPPED_ID in page and "Jalankan ulang" in page
    planner_client.get("/bahasa/en")
    status = planner_client.get(f"/rencana/tugas/{stale}.json").json
    assert status is not None and STOPPED_EN in status["message"]
    assert _plans(app) == plans  # no plan touched


def test_the_plans_index_fails_stale_jobs_too(app: Flask, planner_client: FlaskClient) -> None:
    stale = _job(app, beat_ago_s=None)  # never beat: counts from its start 10 min ago
    assert planner_client.get("/rencana/").status_code == 200
    assert _row(app, stale).status == "failed"


def test_a_failed_job_runs_again_as_a_new_job(app: Flask, planner_client: FlaskClient) -> None:
    failed = _job(app, status="failed", message="x")
    response = planner_client.post(f"/rencana/tugas/{failed}/ulang")
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert new_id != failed
    new, old = _row(app, new_id), _row(app, failed)
    assert (new.start_date, new.weeks, new.time_limit_s) == (
        old.start_date,
        old.weeks,
        old.time_limit_s,
    )
    assert new.status in ("queued", "running", "done")
    running = _job(app, beat_ago_s=1)
    assert planner_client.post(f"/rencana/tugas/{running}/ulang").status_code != 302
    assert planner_client.get(f"/rencana/tugas/{running}.json").json["status"] == "running"  # type: ignore[index]


def test_a_job_left_running_by_a_dead_process_fails_at_start_up(app: Flask) -> None:
    from web import create_app

    orphan = _job(app, beat_ago_s=300)
    create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "SECRET_KEY": app.config["SECRET_KEY"],
        }
    ).extensions["keliling.engine"].dispose()
    job = _row(app, orphan)
    assert job.status == "failed" and job.finished_at is not None


def test_a_submit_while_redis_is_down_says_so(app: Flask, planner_client: FlaskClient) -> None:
    app.extensions["keliling.jobs"] = RedisRunner(DEAD_REDIS)
    response = planner_client.post(
        "/rencana/",
        data={"start": "2026-11-30", "weeks": "1", "time_limit": "1"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Antrean perencanaan sedang tidak tersedia" in page
    with Session(app.extensions["keliling.engine"]) as session:
        jobs = session.exec(select(SolveJob)).all()
    assert [job.status for job in jobs] == ["failed"]  # nothing stuck queued


def test_the_heartbeat_beats_without_improvements_and_notices_a_lost_job(app: Flask) -> None:
    engine = app.extensions["keliling.engine"]
    job_id = _job(app, beat_ago_s=60)
    lost: list[bool] = []
    with _Heartbeat(engine, job_id, 0.1, lambda: lost.append(True)):
        time.sleep(0.5)
        beat = _row(app, job_id).heartbeat_at
        assert beat is not None and beat.replace(tzinfo=dt.UTC) > utcnow() - dt.timedelta(seconds=2)
        with session_scope(engine) as session:
            job = session.get(SolveJob, job_id)
            assert job is not None
            job.status = "failed"
            session.add(job)
        time.sleep(0.5)
    assert lost == [True]
