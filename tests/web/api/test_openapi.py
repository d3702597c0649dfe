"""The public OpenAPI document lists every endpoint."""

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.web.api.helpers import planned_copy


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


def test_openapi_document_is_public_and_lists_every_endpoint(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    expected = {"/villages", "/villages/{code}", "/stops", "/stops/{stop_id}", "/demand", "/plans",
                "/plans/{plan_id}", "/plans/{plan_id}/routes", "/checkins", "/events",
                "/events/{event_id}", "/openapi.json"}  # fmt: skip
    assert set(document["paths"]) == {"/api/v1" + path for path in expected}
    create = document["paths"]["/api/v1/events"]["post"]
    assert {"201", "401", "403", "422"} <= set(create["responses"])
