"""The printable month timetable per vehicle: planning roles only, published times, A4 print."""

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tests.factories import TODAY
from tests.web.views.public_helpers import planned_copy, published, text

URL = f"/rencana/jadwal-kendaraan?bulan={TODAY:%Y-%m}"
CLOCK = re.compile(r"\b([01]\d|2[0-3]):([0-5]\d)\b")


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


@pytest.mark.parametrize("role", ["koordinator", "admin"])
def test_planning_roles_print_every_vehicles_month(
    app: Flask, client: FlaskClient, auth: AuthActions, role: str
) -> None:
    auth.login(role)
    page = text(client, URL)
    assert "Jadwal bulanan per kendaraan" in page and "size: A4" in page
    plan = published(app)
    in_month = [
        (route, visit)
        for route in plan["routes"]
        for visit in route["visits"]
        if route["date"][:7] == f"{TODAY:%Y-%m}"
    ]
    assert in_month
    for route in {r["vehicle"] for r, _ in in_month}:
        assert f"{route} · " in page
    body = page[page.index('<section class="vehicle-month"') :]
    for _, visit in in_month:
        start, end = visit["shown"]
        assert f"{start:%H:%M}–{end:%H:%M}" in body and visit["stop_name"] in body
    day = format_date(
        dt.date.fromisoformat(in_month[0][0]["date"]), "EEEE, d MMMM yyyy", locale="id"
    )
    assert day in body
    assert all(int(minute) % 5 == 0 for _, minute in CLOCK.findall(body))
    assert body.count('<tr class="day-start') == len(
        {(r["vehicle"], r["date"]) for r, _ in in_month}
    )


def test_one_vehicle_and_an_empty_month(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    plan = published(app)
    ids = re.findall(r'id="kendaraan-(\d+)"', text(client, URL))
    month = {str(r["vehicle_id"]) for r in plan["routes"] if r["date"][:7] == f"{TODAY:%Y-%m}"}
    assert set(ids) == month
    one = text(client, f"{URL}&kendaraan={ids[0]}")
    assert re.findall(r'id="kendaraan-(\d+)"', one) == [ids[0]] and "Semua kendaraan" in one
    empty = text(client, "/rencana/jadwal-kendaraan?bulan=2001-01")
    assert "Belum ada rencana terbit dengan kunjungan pada bulan ini." in empty
    for edge in ("2000-01", "2100-12"):  # the first and last months a month may be
        assert "Belum ada rencana terbit" in text(client, f"/rencana/jadwal-kendaraan?bulan={edge}")
    for bad in ("abc", "0001-01", "9999-12", "2026-13", "nan"):
        assert client.get(f"/rencana/jadwal-kendaraan?bulan={bad}").status_code == 400
    assert client.get("/rencana/jadwal-kendaraan?kendaraan=99999999999").status_code == 404
    assert client.get("/rencana/jadwal-kendaraan?kendaraan=x1").status_code == 404
    detail = text(client, f"/rencana/{plan['id']}")
    assert 'id="vehicle-timetable"' in detail


def test_drivers_staff_and_anonymous_are_refused(client: FlaskClient, auth: AuthActions) -> None:
    anonymous = client.get(URL)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    for role in ("sopir", "staf"):
        auth.login(role)
        assert client.get(URL).status_code == 403
        auth.logout()
