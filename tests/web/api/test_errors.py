"""Bad parameters, unknown records and wrong methods answered in JSON."""

from pathlib import Path

import pytest

from tests.web.api.helpers import Call, planned_copy


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


@pytest.mark.parametrize(
    "path",
    ["/villages?limit=0", "/villages?limit=201", "/villages?offset=-1", "/stops?limit=abc",
     "/demand?weeks=5", "/events?from=2025-02-30", "/events?type=konser", "/checkins?plan=x",
     "/events?from=2025-03-02&to=2025-03-01", "/villages/%00"],
)  # fmt: skip
def test_bad_parameters_are_400_in_json(call: Call, path: str) -> None:
    response = call(path)
    assert response.status_code == 400 and response.json["error"]["status"] == 400


@pytest.mark.parametrize(
    ("path", "message"),
    [("/villages/99.99", "kode '99.99' tidak ada"), ("/stops/999", "Titik layanan #999"),
     ("/plans/999", "Rencana #999"), ("/plans/999/routes", "Rencana #999"),
     ("/checkins?plan=999", "Rencana #999"), ("/events/999", "Kegiatan #999"),
     ("/stops/0", "tidak ada"), ("/stops/99999999999", "tidak ada"), ("/tidak-ada", "tidak ada")],
)  # fmt: skip
def test_unknown_records_and_addresses_are_404_in_json(call: Call, path: str, message: str) -> None:
    response = call(path, headers={"Accept": "text/html"})
    assert response.status_code == 404 and message in response.json["error"]["message"]


def test_wrong_method_is_405_in_json_with_allow(call: Call) -> None:
    response = call("/villages", method="DELETE")
    assert response.status_code == 405 and response.json["error"]["status"] == 405
    assert "GET" in response.headers["Allow"]
