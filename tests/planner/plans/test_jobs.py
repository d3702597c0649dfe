"""Background planning jobs on both databases: success, failure and cancellation."""

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

import planner.plans.jobs
from planner.plans import cancel_job, create_job, read_adjustments, run_job
from planner.routing import Plan as PlanResult
from planner.routing import Problem, SolveParams, solve
from planner.store import Plan, Region, SolveJob, Vehicle, session_scope

MONDAY = dt.date(2026, 11, 30)


def _job(engine: Engine, time_limit_s: float = 1.0, **kwargs: object) -> int:
    with session_scope(engine) as session:
        job = create_job(session, MONDAY, 1, time_limit_s, **kwargs)  # type: ignore[arg-type]
        assert job.id is not None
        return job.id


def _get(engine: Engine, job_id: int) -> SolveJob:
    with Session(engine) as session:
        job = session.get(SolveJob, job_id)
        assert job is not None
        return job


def test_a_job_stores_a_draft_and_reports_its_progress(engine: Engine, region: Region) -> None:
    job_id = _job(engine)
    run_job(engine, job_id)
    job = _get(engine, job_id)
    assert (job.status, job.message) == ("done", "Selesai.")
    assert job.plan_id is not None and job.best_objective and job.elapsed_s > 0
    with Session(engine) as session:
        plan = session.get(Plan, job.plan_id)
        assert plan is not None and plan.status == "draft"


def test_a_failed_job_says_why_and_leaves_plans_alone(engine: Engine, region: Region) -> None:
    done = _job(engine)
    run_job(engine, done)
    with session_scope(engine) as session:
        plan = session.get(Plan, _get(engine, done).plan_id)
        assert plan is not None
        plan.status = "published"
        for vehicle in session.exec(select(Vehicle)):
            vehicle.active = False
            session.add(vehicle)
        session.add(plan)
    failed = _job(engine)
    run_job(engine, failed)
    job = _get(engine, failed)
    assert job.status == "failed" and job.plan_id is None
    assert "Belum ada kendaraan aktif" in job.message
    with Session(engine) as session:
        statuses = session.exec(select(Plan.status).order_by(col(Plan.id))).all()
    assert statuses == ["published"]


def test_a_cancelled_job_plans_nothing(engine: Engine, region: Region) -> None:
    job_id = _job(engine)
    with session_scope(engine) as session:
        cancel_job(session, job_id)
    run_job(engine, job_id)
    job = _get(engine, job_id)
    assert job.status == "cancelled" and "tidak berubah" in job.message
    with Session(engine) as session:
        assert session.exec(select(Plan)).first() is None


@pytest.mark.parametrize("cancel_at", ["start of the solve", "end of the solve"])
def test_a_job_cancelled_while_solving_reads_cancelled_at_once_and_stores_nothing(
    engine: Engine, region: Region, monkeypatch: pytest.MonkeyPatch, cancel_at: str
) -> None:
    # At the start the solve itself notices; at the end only the check after it can.
    job_id = _job(engine)
    seen: list[str] = []

    def cancel() -> None:
        assert _get(engine, job_id).status == "running"
        with session_scope(engine) as session:
            cancel_job(session, job_id)
        seen.append(_get(engine, job_id).status)  # what the job page shows meanwhile

    def solve_and_cancel(problem: Problem, params: SolveParams) -> PlanResult:
        if cancel_at == "start of the solve":
            cancel()
        plan = solve(problem, params)
        if cancel_at == "end of the solve":
            cancel()
        return plan

    monkeypatch.setattr(planner.plans.jobs, "solve", solve_and_cancel)
    run_job(engine, job_id)
    assert seen == ["cancelled"]
    job = _get(engine, job_id)
    assert job.status == "cancelled" and job.plan_id is None
    with Session(engine) as session:
        assert session.exec(select(Plan)).first() is None


def test_replanning_from_an_adjusted_draft(engine: Engine, region: Region) -> None:
    first = _job(engine)
    run_job(engine, first)
    draft_id = _get(engine, first).plan_id
    with session_scope(engine) as session:
        draft = session.get(Plan, draft_id)
        assert draft is not None
        draft.adjustments = {"added": [1]}
        session.add(draft)
        required = draft.metrics["visits_required"]
    second = _job(engine, based_on_id=draft_id)
    run_job(engine, second)
    with Session(engine) as session:
        replanned = session.get(Plan, _get(engine, second).plan_id)
        assert replanned is not None
    assert replanned.based_on_id == draft_id
    assert replanned.metrics["visits_required"] == required + 1
    # Applied, the draft's adjustment is no longer pending; the draft says where it went.
    with Session(engine) as session:
        draft = session.get(Plan, draft_id)
        assert draft is not None
    assert read_adjustments(draft.adjustments) == ()
    assert draft.adjustments["applied"] == {"added": [1], "plan_id": replanned.id}
