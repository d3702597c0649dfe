"""The JSON API under /api/v1: shapes, who may call what (tokens and sessions), events, errors."""

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from planner.plans import plan_json, record_checkin
from planner.store import Visit, create_token, published_plan
from tests.conftest import DEMO_PASSWORD, ROLES, AuthActions
from tests.factories import TODAY, publish_demo_plan
from web.cli import main
from web.db import get_session

XSS = "<script>alert(1)</script>"
DAY = TODAY - dt.timedelta(days=2)
OFFICE_URLS = ("/villages", "/villages/32.79.01.2003", "/stops", "/stops/1", "/demand",
               "/events", "/events/1")  # fmt: skip
PLANNING_URLS = ("/plans", "/plans/1", "/plans/1/routes", "/checkins")
Call = Callable[..., TestResponse]


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    path = tmp_path_factory.mktemp("api") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_demo_plan(path, TODAY)
    return path


def event_body(**changes: Any) -> dict[str, Any]:
    body = {
        "stop_id": 1,
        "starts_at": f"{DAY.isoformat()}T09:00:00+07:00",
        "ends_at": f"{DAY.isoformat()}T10:30:00+07:00",
        "event_type": "dongeng",
        "librarians": ["Ani", "Budi"],
        "attendance": {"anak": {"L": 3, "P": 4}, "lansia": {"P": 2}},
        "books_lent": 12,
        "new_members": 1,
        "satisfaction": {"4": 2, "5": 5},
        "notes": "Hujan, pindah ke aula.",
    }
    return body | changes


@pytest.fixture
def tokens(app: Flask) -> dict[str, str]:
    """A token for each demo user, by role."""
    with app.app_context():
        session = get_session()
        issued = {role: create_token(session, role, f"uji {role}").secret for role in ROLES}
        session.commit()
    return issued


@pytest.fixture
def call(client: FlaskClient, tokens: dict[str, str]) -> Call:
    """Call /api/v1 as `role` with its token (None: anonymous)."""

    def send(
        path: str, role: str | None = "admin", method: str = "GET", **kwargs: Any
    ) -> TestResponse:
        headers = dict(kwargs.pop("headers", {}))
        if role:
            headers["Authorization"] = f"Bearer {tokens[role]}"
        return client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    return send


def test_each_list_answers_items_and_total(call: Call, app: Flask) -> None:
    villages = call("/villages?limit=200").json
    assert villages["total"] == 25 and len(villages["items"]) == 25
    assert (
        villages["items"][0]["code"] == "32.79.01.1001" and "geometry" not in villages["items"][0]
    )
    stops = call("/stops").json
    assert stops["total"] == 25 and {"id", "village_code", "time_windows"} <= set(stops["items"][0])
    plans = call("/plans").json
    assert plans["total"] == 1 and plans["items"][0]["status"] == "published"
    assert "routes" not in plans["items"][0] and "crate_topics" not in plans["items"][0]["metrics"]
    with app.app_context():
        plan = published_plan(get_session())
        assert plan is not None and plan.id is not None
        stored = plan_json(get_session(), plan.id)
    assert call(f"/plans/{plan.id}").json == stored
    routes = call(f"/plans/{plan.id}/routes?limit=2&offset=1").json
    assert routes == {"items": stored["routes"][1:3], "total": len(stored["routes"])}


def test_details_of_a_village_a_stop_and_the_demand(call: Call) -> None:
    village = call("/villages/32.79.01.2003").json
    assert village["name"] == "Balokang" and village["geometry"]["type"] in (
        "Polygon",
        "MultiPolygon",
    )
    stop = call(f"/stops/{village['stop_ids'][0]}").json
    assert stop["village_code"] == "32.79.01.2003" and stop["approximate"] is True
    demand = call("/demand?weeks=2").json
    assert demand["params"]["weeks"] == 2 and len(demand["villages"]) == 25
    assert {"priority", "expected_attendance", "factors"} <= set(demand["villages"][0])


def test_checkins_of_the_published_plan(call: Call, app: Flask) -> None:
    assert call("/checkins").json == {"items": [], "total": 0}
    with app.app_context():
        session = get_session()
        visit = session.get(Visit, 1)
        assert visit is not None
        record_checkin(session, visit, "dilewati", note="Jalan banjir")
        session.commit()
    found = call("/checkins").json
    assert found["total"] == 1
    item = found["items"][0]
    assert (item["visit_id"], item["status"], item["note"]) == (1, "dilewati", "Jalan banjir")
    assert call(f"/checkins?plan={item['plan_id']}").json == found


@pytest.mark.parametrize("via", ["token", "session"])
@pytest.mark.parametrize("role", ROLES)
def test_roles_see_what_their_pages_show(
    client: FlaskClient, auth: AuthActions, call: Call, role: str, via: str
) -> None:
    call("/events", method="POST", json=event_body())
    if via == "session":
        auth.login(role)

    def status(path: str) -> int:
        if via == "session":
            return client.get("/api/v1" + path).status_code
        return call(path, role=role).status_code

    office = 200 if role in ("admin", "koordinator", "staf") else 403
    planning = 200 if role in ("admin", "koordinator") else 403
    assert {url: status(url) for url in OFFICE_URLS} == dict.fromkeys(OFFICE_URLS, office)
    assert {url: status(url) for url in PLANNING_URLS} == dict.fromkeys(PLANNING_URLS, planning)


@pytest.mark.parametrize("path", OFFICE_URLS + PLANNING_URLS)
def test_anonymous_callers_are_asked_for_a_bearer_token(call: Call, path: str) -> None:
    response = call(path, role=None)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json["error"]["message"]


@pytest.mark.parametrize(
    "header", ["Bearer kel_salah", "Bearer ", "Basic YWRtaW46YWRtaW4=", "kel_"]
)
def test_a_bad_token_is_refused_even_with_a_session(
    client: FlaskClient, auth: AuthActions, header: str
) -> None:
    auth.login("admin")
    response = client.get("/api/v1/villages", headers={"Authorization": header})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_revoked_token_stops_working(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("SECRET_KEY", app.config["SECRET_KEY"])
    runner = CliRunner()
    created = runner.invoke(main, ["token", "create", "staf", "--name", "laporan"])
    assert created.exit_code == 0, created.output
    number = re.search(r"Token #(\d+) untuk staf", created.output)
    assert number is not None
    token_id, secret = number[1], created.output.split()[-1]
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/stops/1", headers=headers).status_code == 200
    listed = json.loads(runner.invoke(main, ["token", "list"]).output)
    assert secret not in str(listed)
    assert [(t["username"], t["name"], t["revoked"]) for t in listed][0] == (
        "staf",
        "laporan",
        False,
    )
    assert listed[0]["last_used_at"] is not None
    assert runner.invoke(main, ["token", "revoke", token_id]).exit_code == 0
    assert client.get("/api/v1/stops/1", headers=headers).status_code == 401
    missing = runner.invoke(main, ["token", "revoke", "999"])
    assert missing.exit_code == 1 and "Token #999 tidak ada" in missing.output


def test_a_session_post_needs_the_csrf_token_but_a_token_post_does_not(
    app: Flask, client: FlaskClient, call: Call
) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    form = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert csrf is not None
    login = {"username": "staf", "password": DEMO_PASSWORD, "csrf_token": csrf[1]}
    assert client.post("/login", data=login).status_code == 302
    refused = client.post("/api/v1/events", json=event_body())
    assert refused.status_code == 400 and "X-CSRFToken" in refused.json["error"]["message"]
    accepted = client.post("/api/v1/events", json=event_body(), headers={"X-CSRFToken": csrf[1]})
    assert accepted.status_code == 201 and accepted.json["created_by"] == "Pengguna staf"
    assert call("/events", role="koordinator", method="POST", json=event_body()).status_code == 201


def test_a_logged_event_is_stored_as_sent_and_found_by_its_filters(call: Call) -> None:
    response = call("/events", role="staf", method="POST", json=event_body())
    assert response.status_code == 201
    event = response.json
    assert response.headers["Location"] == f"/api/v1/events/{event['id']}"
    assert event["attendance"]["anak"] == {"L": 3, "P": 4} and event["attendance_total"] == 9
    assert event["attendance"]["remaja"] == {"L": 0, "P": 0}
    assert event["satisfaction"] == {"1": 0, "2": 0, "3": 0, "4": 2, "5": 5}
    assert event["starts_at"] == f"{DAY.isoformat()}T09:00:00+07:00"
    assert event["village_code"] == "32.79.01.1001" and event["librarians"] == ["Ani", "Budi"]
    assert call(f"/events/{event['id']}", role="staf").json == event
    day = DAY.isoformat()
    matching = [f"from={day}&to={day}", "village=32.79.01.1001", "type=dongeng", ""]
    for query in matching:
        assert call(f"/events?{query}").json == {"items": [event], "total": 1}, query
    later = (DAY + dt.timedelta(days=1)).isoformat()
    for query in (f"from={later}", "village=32.79.01.2003", "type=lomba"):
        assert call(f"/events?{query}").json == {"items": [], "total": 0}, query


def test_bad_events_are_refused_with_a_reason_per_field(call: Call) -> None:
    bad = event_body(
        stop_id=999,
        starts_at="besok pagi",
        event_type="konser",
        attendance={"anak": {"L": -1, "X": 2}, "bayi": {"L": 1}},
        books_lent="12",
        new_members=1.5,
        satisfaction={"6": 1},
    )
    response = call("/events", method="POST", json=bad)
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert fields == {
        "starts_at": "harus tanggal-waktu ISO 8601, mis. 2025-03-03T09:00:00+07:00",
        "attendance.anak.L": "tidak boleh negatif",
        "attendance.anak.X": "kolom tidak dikenal",
        "attendance.bayi": "kolom tidak dikenal",
        "books_lent": "harus bilangan bulat",
        "new_members": "harus bilangan bulat",
        "satisfaction.6": "kolom tidak dikenal",
    }
    rules = call("/events", method="POST", json=event_body(stop_id=999, event_type="konser"))
    assert rules.json["error"]["fields"]["stop_id"] == "titik layanan #999 tidak ada"
    assert "jenis kegiatan" in rules.json["error"]["fields"]["event_type"]
    future = call("/events", method="POST", json=event_body(starts_at="2099-01-01T09:00:00"))
    assert "terlalu jauh ke depan" in future.json["error"]["fields"]["starts_at"]
    malformed = call("/events", method="POST", data="{", content_type="application/json")
    assert malformed.status_code == 400
    assert call("/events", method="POST", data="stop_id=1").status_code == 415
    assert call("/events", method="POST", json=[1]).json["error"]["fields"] == {
        "body": "harus berupa objek JSON"
    }
    assert call("/events").json["total"] == 0


def test_text_that_looks_like_html_is_data_never_markup(call: Call) -> None:
    created = call("/events", method="POST", json=event_body(notes=XSS, librarians=[XSS]))
    raw = call(f"/events/{created.json['id']}")
    assert raw.mimetype == "application/json" and raw.headers["X-Content-Type-Options"] == "nosniff"
    assert b"<script>" not in raw.data and b"\\u003cscript\\u003e" in raw.data
    assert raw.json["notes"] == XSS and raw.json["librarians"] == [XSS]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("limit=10&offset=20", (5, 25)), ("limit=1", (1, 25)), ("offset=25", (0, 25)), ("", (25, 25))],
)
def test_pagination(call: Call, query: str, expected: tuple[int, int]) -> None:
    found = call(f"/villages?{query}").json
    assert (len(found["items"]), found["total"]) == expected


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
