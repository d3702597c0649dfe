"""A configured BASE_URL (KELILING_BASE_URL) builds the links that leave the site: the stop's
page, calendar feed and poster, and the driver's link; a forged Host header changes nothing."""

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from planner.store import published_plan
from tests.conftest import AuthActions
from tests.web.views.public_helpers import planned_copy
from web.db import get_session

BASE = "https://keliling.example.id"
FORGED = {"Host": "penipu.example"}


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


def test_public_links_use_the_configured_base_url(
    app: Flask, client: FlaskClient, later: dict[str, Any]
) -> None:
    app.config["BASE_URL"] = BASE + "/"
    stop_id = later["stop_id"]
    pages = [
        client.get(f"/jadwal/titik/{stop_id}", headers=FORGED),
        client.get(f"/jadwal/titik/{stop_id}.ics", headers=FORGED),
        client.get(f"/jadwal/titik/{stop_id}/poster", headers=FORGED),
    ]
    for page in pages:
        body = page.get_data(as_text=True).replace("\r\n ", "")  # unfold iCalendar lines
        assert page.status_code == 200
        assert f"{BASE}/jadwal/titik/{stop_id}" in body
        assert "penipu.example" not in body
    assert f'href="webcal://keliling.example.id/jadwal/titik/{stop_id}.ics"' in pages[0].get_data(
        as_text=True
    )


def test_without_a_base_url_the_request_address_is_used(
    client: FlaskClient, later: dict[str, Any]
) -> None:
    page = client.get(f"/jadwal/titik/{later['stop_id']}/poster").get_data(as_text=True)
    assert f"http://localhost/jadwal/titik/{later['stop_id']}" in page


def test_driver_links_on_the_plan_page_use_the_configured_base_url(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    app.config["BASE_URL"] = BASE
    auth.login("koordinator")
    with app.app_context():
        plan = published_plan(get_session())
        assert plan is not None
        plan_id = plan.id
    page = client.get(f"/rencana/{plan_id}").get_data(as_text=True)
    assert f"{BASE}/sopir/" in page
    assert "http://localhost/sopir/" not in page
