"""The Alembic chain builds the schema on SQLite and PostgreSQL and matches the models."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from planner.store import alembic_config, head_revision, make_engine, migrate, schema_revision

EXPECTED_TABLES = {
    "region",
    "village",
    "depot",
    "stop",
    "vehicle",
    "user",
    "surveybatch",
    "surveyresponse",
    "plan",
    "route",
    "visit",
    "checkin",
    "outreachevent",
}


def test_migrated_database_has_every_table_at_head(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert tables >= EXPECTED_TABLES
    assert schema_revision(engine) == head_revision()


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_upgrade_from_an_empty_sqlite_file(tmp_path: Path) -> None:
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert schema_revision(empty) is None
    migrate(empty)
    assert set(inspect(empty).get_table_names()) >= EXPECTED_TABLES
    empty.dispose()


@pytest.mark.postgres
def test_downgrade_and_upgrade_again_on_postgresql(postgres_engine: Engine) -> None:
    from alembic import command

    url = postgres_engine.url.render_as_string(hide_password=False)
    command.downgrade(alembic_config(url), "base")
    assert not EXPECTED_TABLES & set(inspect(postgres_engine).get_table_names())
    command.upgrade(alembic_config(url), "head")
    assert set(inspect(postgres_engine).get_table_names()) >= EXPECTED_TABLES


def test_downgrade_and_upgrade_keep_data(engine: Engine, region: object) -> None:
    """Later migrations rebuild tables on SQLite; rows and their links must survive."""
    import datetime as dt

    from alembic import command
    from sqlmodel import Session, func, select

    from planner.plans import build_problem, store_plan
    from planner.routing import SolveParams, solve
    from planner.store import Route, Stop, session_scope

    with session_scope(engine) as session:
        problem, context = build_problem(session, dt.date(2026, 11, 30), 1)
        store_plan(session, problem, solve(problem, SolveParams(time_limit_s=1)), context, 1)
    with Session(engine) as session:
        before = (
            session.exec(select(func.count()).select_from(Stop)).one(),
            session.exec(select(func.count()).select_from(Route)).one(),
        )
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
        connection.commit()
    migrate(engine)
    with Session(engine) as session:
        after = (
            session.exec(select(func.count()).select_from(Stop)).one(),
            session.exec(select(func.count()).select_from(Route)).one(),
        )
    assert after == before and before[1] > 0
    assert schema_revision(engine) == head_revision()


def test_0006_adds_the_job_progress_columns_and_keeps_jobs(engine: Engine) -> None:
    """A job queued before 0006 survives it, with no best plan yet (SQLite and PostgreSQL)."""
    import datetime as dt

    from alembic import command
    from sqlmodel import Session

    from planner.store import SolveJob, session_scope

    with session_scope(engine) as session:
        session.add(SolveJob(start_date=dt.date(2026, 11, 30), time_limit_s=5))
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
        connection.commit()
    columns = {c["name"] for c in inspect(engine).get_columns("solvejob")}
    assert not columns & {"visits_planned", "visits_required", "distance_m", "no_plan_reason"}
    migrate(engine)
    assert schema_revision(engine) == head_revision()
    with Session(engine) as session:
        job = session.get(SolveJob, 1)
    assert job is not None and job.time_limit_s == 5
    assert (job.visits_planned, job.visits_required, job.distance_m) == (None, None, None)
    assert job.no_plan_reason is None
