"""Plan downloads from the plan page: every format of `keliling plan export`, and who may."""

import csv
import datetime as dt
import io
import json
import re

import gpxpy
import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from planner.plans import build_problem, plan_json, store_plan
from planner.store import session_scope
from tests.conftest import AuthActions
from tests.factories import solved_once

START = dt.date(2026, 11, 30)


def _stored_plan(app: Flask) -> tuple[int, dict[str, object]]:
    """A one-week draft in the app's database, and its JSON form."""
    engine = app.extensions["keliling.engine"]
    with session_scope(engine) as session:
        problem, context = build_problem(session, START, 1)
        row = store_plan(session, problem, solved_once(problem), context, 1)
        assert row.id is not None
        return row.id, plan_json(session, row.id)


def _visits(data: dict[str, object]) -> list[dict[str, object]]:
    routes = data["routes"]
    assert isinstance(routes, list)
    return [visit for route in routes for visit in route["visits"]]


@pytest.fixture
def planned(app: Flask, auth: AuthActions) -> tuple[int, dict[str, object]]:
    auth.login("koordinator")
    return _stored_plan(app)


def test_plan_page_links_every_format(
    client: FlaskClient, planned: tuple[int, dict[str, object]]
) -> None:
    plan_id, _data = planned
    page = client.get(f"/rencana/{plan_id}").get_data(as_text=True)
    assert "Unduh rencana" in page
    for fmt in ("csv", "xlsx", "gpx", "ics", "geojson"):
        assert f'href="/rencana/{plan_id}/ekspor.{fmt}"' in page


def test_every_format_downloads_with_its_type_and_name(
    client: FlaskClient, planned: tuple[int, dict[str, object]]
) -> None:
    plan_id, _data = planned
    expected = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "gpx": "application/gpx+xml; charset=utf-8",
        "ics": "text/calendar; charset=utf-8",
        "geojson": "application/geo+json",
    }
    for fmt, content_type in expected.items():
        response = client.get(f"/rencana/{plan_id}/ekspor.{fmt}")
        assert response.status_code == 200, fmt
        assert response.content_type == content_type
        disposition = response.headers["Content-Disposition"]
        assert disposition == f'attachment; filename="rencana-{plan_id}-2026-11-30.{fmt}"'


def test_xlsx_has_one_row_per_visit_with_the_stop_names(
    client: FlaskClient, planned: tuple[int, dict[str, object]]
) -> None:
    plan_id, data = planned
    body = client.get(f"/rencana/{plan_id}/ekspor.xlsx").data
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, lines = rows[0], [r for r in rows[1:] if any(c is not None for c in r)]
    scheduled = [line for line in lines if "terjadwal" in line]
    visits = _visits(data)
    assert len(scheduled) == len(visits) > 0
    names_in_sheet = {cell for line in scheduled for cell in line if isinstance(cell, str)}
    assert {str(v["stop_name"]) for v in visits} <= names_in_sheet
    assert "stop_name" in header


def test_xlsx_summary_names_the_region_and_labels_every_figure(
    client: FlaskClient, planned: tuple[int, dict[str, object]]
) -> None:
    plan_id, data = planned
    body = client.get(f"/rencana/{plan_id}/ekspor.xlsx").data
    summary = load_workbook(io.BytesIO(body), read_only=True)["Ringkasan"]
    rows: dict[object, object] = {
        label: value for label, value in list(summary.iter_rows(values_only=True))[1:]
    }
    assert rows["Wilayah"] == "Kota Banjar"
    assert rows["Rute"] == len(data["routes"])  # type: ignore[arg-type]
    assert rows["Tidak terlayani"] == data["metrics"]["visits_unserved"]  # type: ignore[index]
    assert not [label for label in rows if "_" in str(label)]  # no raw metric key


def test_csv_has_a_header_and_the_visits(
    client: FlaskClient, planned: tuple[int, dict[str, object]]
) -> None:
    plan_id, data = planned
    text = client.get(f"/rencana/{plan_id}/ekspor.csv").data.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:6] == ["date", "hari", "vehicle", "order", "stop_id", "stop_name"]
    scheduled = [row["stop_name"] for row in rows if row["status"] == "terjadwal"]
    assert scheduled == [v["stop_name"] for v in _visits(data)]


def test_gpx_ics_and_geojson_parse_and_carry_the_stops(
    client: FlaskClient, planned: tuple[int, dict[str, object]]
) -> None:
    plan_id, data = planned
    names = {str(v["stop_name"]) for v in _visits(data)}
    gpx = gpxpy.parse(client.get(f"/rencana/{plan_id}/ekspor.gpx").data.decode("utf-8"))
    assert len(gpx.routes) == len(data["routes"])  # type: ignore[arg-type]
    assert names <= {point.name for route in gpx.routes for point in route.points}
    assert gpx.name == "Kota Banjar"
    calendar = icalendar.Calendar.from_ical(client.get(f"/rencana/{plan_id}/ekspor.ics").data)
    events = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert len(events) == len(_visits(data))
    assert all(any(name in summary for summary in events) for name in names)
    assert str(calendar["X-WR-CALNAME"]) == "Jadwal Perpustakaan Keliling Kota Banjar"
    geojson = json.loads(client.get(f"/rencana/{plan_id}/ekspor.geojson").data)
    assert geojson["type"] == "FeatureCollection"
    feature_names = {f["properties"].get("stop_name") for f in geojson["features"]}
    assert names <= feature_names


def test_a_missing_plan_or_format_is_not_found(
    client: FlaskClient, planned: tuple[int, dict[str, object]]
) -> None:
    plan_id, _data = planned
    assert client.get(f"/rencana/{plan_id + 1}/ekspor.csv").status_code == 404
    assert client.get(f"/rencana/{plan_id}/ekspor.pdf").status_code == 404


@pytest.mark.parametrize(("role", "status"), [("sopir", 403), ("staf", 403), ("admin", 200)])
def test_only_planners_may_download(
    app: Flask, client: FlaskClient, auth: AuthActions, role: str, status: int
) -> None:
    plan_id, _data = _stored_plan(app)
    auth.login(role)
    assert client.get(f"/rencana/{plan_id}/ekspor.xlsx").status_code == status


def test_anonymous_visitors_are_sent_to_the_login_page(client: FlaskClient) -> None:
    response = client.get("/rencana/1/ekspor.gpx")
    assert response.status_code == 302
    assert re.search(r"/login\?next=", response.headers["Location"])
