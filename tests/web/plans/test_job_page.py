"""The planning run's page: a bar that follows the clock, the best plan so far in visits and
km (never the solver's cost), and one sentence when no visit could be planned."""

import datetime as dt
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from planner.plans import create_job
from planner.store import Plan, SolveJob, session_scope, utcnow
from tests.conftest import AuthActions
from tests.factories import open_only_in_the_evening

JOB_WAIT_S = 60
COST = 987_654_321


@pytest.fixture
def planner_client(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    auth.login("koordinator")
    return client


def _wait(client: FlaskClient, job_url: str) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_WAIT_S
    while time.monotonic() < deadline:
        job = client.get(job_url + ".json").json
        assert job is not None
        if job["status"] not in ("queued", "running"):
            return job
        time.sleep(0.3)
    raise AssertionError("the solve did not finish")


def _running_job(app: Flask, **fields: Any) -> int:
    """A job that started 3 s ago, with its last improvement reported at 1 s."""
    with session_scope(app.extensions["keliling.engine"]) as session:
        job = create_job(session, dt.date(2026, 11, 30), 1, 10.0)
        job.status, job.started_at = "running", utcnow() - dt.timedelta(seconds=3)
        job.elapsed_s, job.best_objective = 1.0, COST
        for name, value in fields.items():
            setattr(job, name, value)
        session.add(job)
        session.flush()
        assert job.id is not None
        return job.id


def test_progress_follows_the_clock_and_reads_in_visits_and_km(
    app: Flask, planner_client: FlaskClient
) -> None:
    job_id = _running_job(app, visits_planned=40, visits_required=50, distance_m=123_456)
    status = planner_client.get(f"/rencana/tugas/{job_id}.json").json
    assert status is not None
    assert 3 <= status["elapsed_s"] < 10  # the clock, not the last improvement (1 s)
    assert status["elapsed_text"] == f"{status['elapsed_s']:.1f}".replace(".", ",")
    assert 0.3 <= status["progress"] < 1
    assert (status["visits_planned"], status["visits_required"]) == (40, 50)
    assert status["distance_km"] == 123.5
    assert status["best_plan"] == "40 / 50 kunjungan terjadwal · 123,5 km"
    assert str(COST) not in str(status)
    page = planner_client.get(f"/rencana/tugas/{job_id}").get_data(as_text=True)
    assert "rencana terbaik sejauh ini" in page
    assert '<span data-field="best">40 / 50 kunjungan terjadwal · 123,5 km</span>' in page
    assert str(COST) not in page and "biaya" not in page
    assert "<script>" not in page  # the poller is a file (CSP), not inline
    planner_client.get("/bahasa/en")
    english = planner_client.get(f"/rencana/tugas/{job_id}").get_data(as_text=True)
    assert "best plan so far" in english and "40 / 50 visits scheduled · 123.5 km" in english


def test_before_the_first_plan_the_best_plan_is_a_dash(
    app: Flask, planner_client: FlaskClient
) -> None:
    job_id = _running_job(app)
    status = planner_client.get(f"/rencana/tugas/{job_id}.json").json
    assert status is not None and status["best_plan"] is None and status["progress"] > 0
    page = planner_client.get(f"/rencana/tugas/{job_id}").get_data(as_text=True)
    assert '<span data-field="best">–</span>' in page


def test_a_finished_run_reports_its_plan_in_visits_and_km(
    app: Flask, planner_client: FlaskClient
) -> None:
    response = planner_client.post(
        "/rencana/", data={"start": "2026-11-30", "weeks": "1", "time_limit": "1"}
    )
    job = _wait(planner_client, response.headers["Location"])
    assert job["status"] == "done" and job["no_plan"] is False
    with Session(app.extensions["keliling.engine"]) as session:
        plan = session.exec(select(Plan)).one()
    assert job["visits_planned"] == plan.metrics["visits_planned"] > 0
    assert job["visits_required"] == plan.metrics["visits_required"]
    assert job["distance_km"] == plan.metrics["total_distance_km"]
    assert job["best_plan"].endswith(" km") and "kunjungan terjadwal" in job["best_plan"]
    # The run's number is named as a run, the plan's as a plan (they differ once runs fail).
    page = planner_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Menyusun rencana baru</h1>" in page
    assert f"Proses #{job['id']}: nomor proses penyusunan ini, bukan nomor rencana" in page
    assert f">Buka Rencana #{plan.id}</a>" in page
    assert "<dt>Waktu terpakai</dt>" in page and "dari 1 dtk" in page


def test_a_run_that_places_no_visit_says_so_and_stores_nothing(
    app: Flask, planner_client: FlaskClient
) -> None:
    with session_scope(app.extensions["keliling.engine"]) as session:
        open_only_in_the_evening(session)
    response = planner_client.post(
        "/rencana/", data={"start": "2026-11-30", "weeks": "1", "time_limit": "1"}
    )
    job_url = response.headers["Location"]
    job = _wait(planner_client, job_url)
    assert job["status"] == "failed" and job["no_plan"] is True and job["plan_url"] is None
    sentence = job["message"]
    assert sentence.startswith("Tidak ada rencana: tidak satu pun dari ")
    assert "(alasan terbanyak, untuk " in sentence and ". " not in sentence
    page = planner_client.get(job_url).get_data(as_text=True)
    assert f'<p id="job-message" class="flash error">{sentence}</p>' in page
    assert 'data-field="best"' not in page and "Buka rencana" not in page
    with Session(app.extensions["keliling.engine"]) as session:
        assert session.exec(select(Plan)).first() is None
        row = session.exec(select(SolveJob)).one()
    planner_client.get("/bahasa/en")
    english = planner_client.get(job_url).get_data(as_text=True)
    assert (
        f"No plan: not one of the {row.visits_required} visits could be scheduled (most common "
        "reason: the stops cannot be reached and served within any shift)."
    ) in english
