"""Who may open and change the stop pages, and their CSRF protection."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from planner.store import Stop
from tests.conftest import AuthActions
from tests.web.views.stops_helpers import _balokang_stop, _db, _edit_form, _form

URLS = ("/titik/", "/titik/baru", "/titik/{id}")


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("sopir", 403), ("staf", 403), ("koordinator", 200), ("admin", 200)],
)
def test_only_planners_open_the_stop_pages(
    app: Flask, client: FlaskClient, auth: AuthActions, url: str, role: str | None, status: int
) -> None:
    if role:
        auth.login(role)
    response = client.get(url.format(id=_balokang_stop(app).id))
    assert response.status_code == status
    if role is None:
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["sopir", "staf"])
def test_other_roles_cannot_change_a_stop(
    app: Flask, client: FlaskClient, auth: AuthActions, role: str
) -> None:
    stop = _balokang_stop(app)
    auth.login(role)
    assert client.post(f"/titik/{stop.id}", data=_edit_form(stop)).status_code == 403
    assert client.post(f"/titik/{stop.id}/nonaktifkan").status_code == 403
    assert client.post("/titik/baru", data=_form()).status_code == 403
    assert _balokang_stop(app).active


def test_posts_without_a_csrf_token_are_refused(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    stop = _balokang_stop(app)
    auth.login("koordinator")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/titik/baru", data=_form()).status_code == 400
    assert client.post(f"/titik/{stop.id}", data=_edit_form(stop, name="X")).status_code == 400
    assert client.post(f"/titik/{stop.id}/nonaktifkan").status_code == 400
    with _db(app) as session:
        assert session.exec(select(Stop).where(Stop.name == "SDN 1 Balokang")).first() is None
    assert _balokang_stop(app).active and _balokang_stop(app).name == stop.name


def test_the_form_carries_a_csrf_token(app: Flask, client: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/login").get_data(as_text=True)  # the login form needs its token too
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    client.post("/login", data={"username": "koordinator", "password": "kata-sandi-uji",
                                "csrf_token": token[1]})  # fmt: skip
    page = client.get("/titik/baru").get_data(as_text=True)
    token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    response = client.post("/titik/baru", data={**_form(), "csrf_token": token[1]})
    assert response.status_code == 302
