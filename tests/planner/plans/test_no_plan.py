"""An empty plan is no plan: one sentence, nothing stored; progress in visits and km."""

import datetime as dt
import time

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.plans import NoPlanFoundError, PlanRequest, create_job, plan_and_store, run_job
from planner.plans.jobs import PROGRESS_EVERY_S, _Progress
from planner.plans.no_plan import most_common_reason
from planner.routing import SolveProgress, Unserved
from planner.store import Plan, Region, SolveJob, session_scope
from tests.factories import open_only_in_the_evening

MONDAY = dt.date(2026, 11, 30)
SENTENCE_START = "Tidak ada rencana: tidak satu pun dari "


def _job(engine: Engine) -> int:
    with session_scope(engine) as session:
        job = create_job(session, MONDAY, 1, 1.0)
        assert job.id is not None
        return job.id


def _get(engine: Engine, job_id: int) -> SolveJob:
    with Session(engine) as session:
        job = session.get(SolveJob, job_id)
        assert job is not None
        return job


def test_a_job_that_places_no_visit_fails_in_one_sentence_and_stores_nothing(
    engine: Engine, region: Region
) -> None:
    with session_scope(engine) as session:
        open_only_in_the_evening(session)
    job_id = _job(engine)
    run_job(engine, job_id)
    job = _get(engine, job_id)
    assert job.status == "failed" and job.plan_id is None
    assert job.message.startswith(SENTENCE_START)
    assert "kunjungan bisa dijadwalkan (alasan terbanyak" in job.message
    assert "tidak terjangkau dalam shift mana pun" in job.message
    assert ". " not in job.message and job.message.endswith(").")  # one sentence
    assert "Gagal menyusun rencana" not in job.message
    assert job.no_plan_reason == "unreachable"
    assert job.visits_planned == 0 and job.visits_required and job.visits_required > 0
    assert f"dari {job.visits_required} kunjungan" in job.message
    with Session(engine) as session:
        assert session.exec(select(Plan)).first() is None


def test_plan_and_store_raises_the_sentence_and_stores_no_draft(
    engine: Engine, region: Region
) -> None:
    with session_scope(engine) as session:
        open_only_in_the_evening(session)
    with pytest.raises(NoPlanFoundError, match=f"^{SENTENCE_START}") as raised:
        plan_and_store(engine, PlanRequest(MONDAY, 1, 1.0))
    assert raised.value.common.code == "unreachable"
    assert raised.value.common.stops == 25  # the demo region's one stop per village
    with Session(engine) as session:
        assert session.exec(select(Plan)).first() is None


def test_the_most_common_reason_counts_visits_not_stops() -> None:
    unserved = (
        Unserved(1, 1, "no_vehicle", "tidak ada kendaraan"),
        Unserved(2, 1, "no_vehicle", "tidak ada kendaraan"),
        Unserved(3, 3, "crowded_out", "shift Senin penuh"),
        Unserved(4, 1, "crowded_out", "shift Selasa penuh"),
    )
    common = most_common_reason(unserved)
    assert (common.code, common.visits, common.stops) == ("crowded_out", 4, 2)
    assert common.reason == "shift Senin penuh"
    assert most_common_reason(()).code == "no_solution"


def test_a_finished_job_shows_its_plan_in_visits_and_km(engine: Engine, region: Region) -> None:
    job_id = _job(engine)
    run_job(engine, job_id)
    job = _get(engine, job_id)
    assert job.status == "done" and job.no_plan_reason is None
    with Session(engine) as session:
        plan = session.get(Plan, job.plan_id)
        assert plan is not None
    assert job.visits_planned == plan.metrics["visits_planned"] > 0
    assert job.visits_required == plan.metrics["visits_required"]
    assert job.distance_m is not None
    assert round(job.distance_m / 1000, 1) == plan.metrics["total_distance_km"]


def _progress(elapsed_s: float, planned: int, distance_m: int) -> SolveProgress:
    return SolveProgress(elapsed_s, 10.0, planned, 50, distance_m, objective=123_456)


def test_progress_reaches_the_job_row_at_most_twice_a_second_and_never_stale(
    engine: Engine, region: Region
) -> None:
    job_id = _job(engine)
    progress = _Progress(engine, job_id)
    progress.report(_progress(0.2, 30, 90_000))
    job = _get(engine, job_id)
    assert (job.visits_planned, job.visits_required, job.distance_m) == (30, 50, 90_000)
    progress.report(_progress(0.3, 40, 95_000))  # within half a second: waits
    assert _get(engine, job_id).visits_planned == 30
    time.sleep(PROGRESS_EVERY_S + 0.1)
    assert progress.should_stop() is False  # the search's next check writes the waiting one
    job = _get(engine, job_id)
    assert (job.visits_planned, job.distance_m, job.solutions) == (40, 95_000, 2)
