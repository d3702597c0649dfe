"""Logging out ends the session on the server: the old cookie replayed is not logged in."""

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import DEMO_PASSWORD


def _login(client: FlaskClient, username: str = "koordinator") -> None:
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def _session_cookie(app: Flask, client: FlaskClient) -> str:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie.value


def _replayed(app: Flask, cookie: str) -> FlaskClient:
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return thief


def test_a_cookie_copied_before_logout_is_no_session_after_it(app: Flask) -> None:
    client = app.test_client()
    _login(client)
    copied = _session_cookie(app, client)
    assert _replayed(app, copied).get("/rencana/").status_code == 200

    assert client.post("/logout").status_code == 302
    response = _replayed(app, copied).get("/rencana/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    api_like = _replayed(app, copied).post("/logout")
    assert api_like.status_code in (302, 401)

    _login(client)  # logging in again opens a new session that works
    assert client.get("/rencana/").status_code == 200
    assert _replayed(app, copied).get("/rencana/").status_code == 302


def test_logging_out_leaves_other_users_logged_in(app: Flask) -> None:
    coordinator, admin = app.test_client(), app.test_client()
    _login(coordinator)
    _login(admin, "admin")
    coordinator.post("/logout")
    assert admin.get("/rencana/").status_code == 200
