"""Holidays on the plan form and plan page, and a web solve that skips them."""

import datetime as dt
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from planner.core import next_monday, zone_of
from planner.store import Route
from tests.conftest import AuthActions

JOB_WAIT_S = 60
PERIOD = "/hari-libur/periode.json"


@pytest.fixture
def coordinator(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    auth.login("koordinator")
    return client


def _solve(client: FlaskClient, start: str) -> int:
    response = client.post("/rencana/", data={"start": start, "weeks": "1", "time_limit": "1"})
    assert response.status_code == 302
    status_url = response.headers["Location"] + ".json"
    deadline = time.monotonic() + JOB_WAIT_S
    while time.monotonic() < deadline:
        job = client.get(status_url).json
        assert job is not None
        if job["status"] == "done":
            return int(job["plan_url"].rstrip("/").split("/")[-1])
        assert job["status"] in ("queued", "running"), job
        time.sleep(0.3)
    raise AssertionError("the solve did not finish")


def test_the_form_names_the_holidays_of_a_chosen_period(coordinator: FlaskClient) -> None:
    answer = coordinator.get(f"{PERIOD}?start=2027-08-16&weeks=1").json
    assert answer == {
        "text": "Libur dalam periode ini: 17 Agu (Hari Kemerdekaan Republik Indonesia)"
    }
    coordinator.get("/bahasa/en")
    answer = coordinator.get(f"{PERIOD}?start=2027-08-09&weeks=2").json
    assert answer == {"text": "Days off in this period: 17 Aug (Independence Day)"}  # not Sunday
    quiet = coordinator.get(f"{PERIOD}?start=2027-07-05&weeks=1").json
    assert quiet == {"text": "No holidays or closed days in this period."}
    assert coordinator.get(f"{PERIOD}?start=soon&weeks=1").status_code == 400
    assert coordinator.get(f"{PERIOD}?start=2027-08-16&weeks=9").status_code == 400


def test_only_planners_ask_for_a_period(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("staf")
    assert client.get(f"{PERIOD}?start=2027-08-16&weeks=1").status_code == 403


def test_the_form_shows_the_days_off_of_its_default_period(coordinator: FlaskClient) -> None:
    tuesday = next_monday(zone_of("Asia/Jakarta")) + dt.timedelta(days=1)
    coordinator.post("/hari-libur/", data={"date": tuesday.isoformat(), "reason": "Rapat kerja"})
    page = coordinator.get("/rencana/").get_data(as_text=True)
    assert 'id="plan-days-off"' in page and "(Rapat kerja)" in page
    assert "Libur dalam periode ini:" in page and "js/plan-days-off.js" in page


def _service_days(app: Flask, plan_id: int) -> set[dt.date]:
    with Session(app.extensions["keliling.engine"]) as session:
        return set(session.exec(select(Route.service_date).where(Route.plan_id == plan_id)))


def test_a_web_solve_skips_independence_day_and_a_closed_day(
    app: Flask, coordinator: FlaskClient
) -> None:
    coordinator.post("/hari-libur/", data={"date": "2027-08-19", "reason": "Stock opname"})
    plan_id = _solve(coordinator, "2027-08-16")
    days = _service_days(app, plan_id)
    assert dt.date(2027, 8, 17) not in days and dt.date(2027, 8, 19) not in days
    assert {dt.date(2027, 8, 16), dt.date(2027, 8, 18), dt.date(2027, 8, 20)} <= days
    page = coordinator.get(f"/rencana/{plan_id}").get_data(as_text=True)
    assert "Libur dalam periode ini" in page
    assert "Selasa, 17 Agustus 2027: Hari Kemerdekaan Republik Indonesia — tanpa kunjungan" in page
    assert "Kamis, 19 Agustus 2027: Stock opname — tanpa kunjungan" in page
    # A closed day added after the solve: the plan still visits then, and says so.
    coordinator.post("/hari-libur/", data={"date": "2027-08-18", "reason": "Servis mobil"})
    page = coordinator.get(f"/rencana/{plan_id}").get_data(as_text=True)
    assert "Servis mobil — <strong" in page and "susun ulang untuk melewatinya" in page
