"""Who may call what: roles, bearer tokens, sessions, revocation and CSRF."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import DEMO_PASSWORD, ROLES, AuthActions
from tests.web.api.helpers import Call, event_body, planned_copy
from web.cli import main

OFFICE_URLS = ("/villages", "/villages/32.79.01.2003", "/stops", "/stops/1", "/demand",
               "/events", "/events/1")  # fmt: skip
PLANNING_URLS = ("/plans", "/plans/1", "/plans/1/routes", "/checkins")


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


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
