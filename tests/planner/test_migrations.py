"""The Alembic chain builds the schema on SQLite and PostgreSQL and matches the models."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from planner.db import alembic_config, head_revision, make_engine, migrate, schema_revision

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
