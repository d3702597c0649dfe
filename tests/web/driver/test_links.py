"""Signed route links: tampered, expired or replaced links are refused; nothing else opens."""

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from planner.store import Plan, Route
from tests.factories import link
from web.db import get_session


@pytest.mark.parametrize("suffix", ["", "/rute.gpx", "/peta"])
def test_tampered_expired_and_replaced_links_are_refused(
    app: Flask, client: FlaskClient, route: dict[str, Any], suffix: str
) -> None:
    path = link(app, route)
    tampered = client.get(path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB") + suffix)
    assert tampered.status_code == 404 and "Tautan rute tidak sah" in tampered.get_data(
        as_text=True
    )
    expired = client.get(link(app, route, dt.date(2024, 1, 1)) + suffix)
    assert expired.status_code == 410
    assert "Tautan rute sudah kedaluwarsa; minta tautan baru ke koordinator" in expired.get_data(
        as_text=True
    )
    with app.app_context():
        session = get_session()
        plan = session.get(Plan, session.get(Route, route["route_id"]).plan_id)  # type: ignore[union-attr]
        assert plan is not None
        plan.status = "archived"
        session.add(plan)
        session.commit()
    replaced = client.get(path + suffix)
    assert (
        replaced.status_code == 410
        and "Rute ini sudah diganti; minta tautan baru" in replaced.get_data(as_text=True)
    )


def test_refused_check_in_answers_json_to_the_script(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    body = {"visit_id": route["visits"][0]["visit_id"], "status": "tiba"}
    response = client.post(link(app, route, dt.date(2024, 1, 1)) + "/checkin", json=body)
    assert response.status_code == 410 and response.json is not None
    assert response.json["error"]["message"].startswith("Tautan rute sudah kedaluwarsa")


def test_anonymous_driver_cannot_open_other_pages(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    assert client.get(link(app, route)).status_code == 200
    response = client.get("/desa/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/sopir/").status_code == 404
