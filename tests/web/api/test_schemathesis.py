"""Schemathesis drives every /api/v1 operation from its OpenAPI document with an admin token.

Valid and invalid inputs alike must never cause a server error, and every answer must be one
the document declares, in the declared shape.
"""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from planner.store import create_token
from tests.factories import TODAY, publish_demo_plan
from web.api.openapi import openapi_document
from web.db import get_session

EXAMPLES_PER_OPERATION = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
def api_app(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """One app for the module, on a copy of the demo database with a published week."""
    from web import create_app

    folder = tmp_path_factory.mktemp("schemathesis")
    database = folder / "app.db"
    shutil.copyfile(app_database_template, database)
    publish_demo_plan(database, TODAY)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KELILING_INSTANCE_PATH", str(folder / "instance"))
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{database}",
                "SECRET_KEY": "test-secret-key-0123456789abcdef",
            }
        )
    yield app
    app.extensions["keliling.engine"].dispose()


@pytest.fixture(scope="module")
def admin_token(api_app: Flask) -> str:
    with api_app.app_context():
        session = get_session()
        secret = create_token(session, "admin", "schemathesis").secret
        session.commit()
    return secret


# Loaded from the dict the app serves (the lazy from_fixture loader does not work with pytest 9).
schema = schemathesis.openapi.from_dict(openapi_document())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES_PER_OPERATION,
    deterministic=True,
    database="none",
)


def test_the_served_document_is_the_one_exercised(api_app: Flask) -> None:
    assert api_app.test_client().get("/api/v1/openapi.json").json == openapi_document()


@schema.parametrize()
def test_every_operation_answers_as_documented(
    case: schemathesis.Case, api_app: Flask, admin_token: str
) -> None:
    headers = {"Authorization": f"Bearer {admin_token}"}
    case.call_and_validate(app=api_app, headers=headers, checks=CHECKS)
