"""Login, logout, roles and CSRF, as each kind of user meets them."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import DEMO_PASSWORD, AuthActions

# Every page behind a login, with the roles that may open it.
OFFICE_PAGES = {"/desa/": ("admin", "koordinator", "staf")}


def test_anonymous_home_goes_to_login(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("url", sorted(OFFICE_PAGES))
def test_anonymous_visitor_is_sent_to_login(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("url", sorted(OFFICE_PAGES))
@pytest.mark.parametrize("role", ["admin", "koordinator", "sopir", "staf"])
def test_each_role_gets_only_its_pages(
    client: FlaskClient, auth: AuthActions, url: str, role: str
) -> None:
    auth.login(role)
    response = client.get(url)
    expected = 200 if role in OFFICE_PAGES[url] else 403
    assert response.status_code == expected


def test_koordinator_logs_in_and_lands_on_the_dashboard(
    client: FlaskClient, auth: AuthActions
) -> None:
    response = auth.login("koordinator")
    assert response.headers["Location"] == "/"  # type: ignore[attr-defined]
    page = client.get("/", follow_redirects=True)
    assert page.request.path == "/dasbor/"
    assert "Pengguna koordinator" in page.get_data(as_text=True)


def test_sopir_home_explains_route_links(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("sopir")
    page = client.get("/").get_data(as_text=True)
    assert "tautan" in page


def test_wrong_password_is_refused_with_a_message(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "koordinator", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)
    assert client.get("/desa/").status_code == 302


def test_login_returns_to_the_page_asked_for_but_never_off_site(client: FlaskClient) -> None:
    data = {"username": "staf", "password": DEMO_PASSWORD}
    response = client.post("/login?next=/desa/", data=data)
    assert response.headers["Location"] == "/desa/"
    client.post("/logout")
    response = client.post("/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/"


def test_logout_ends_the_session(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("admin")
    assert client.get("/desa/").status_code == 200
    auth.logout()
    assert client.get("/desa/").status_code == 302


def _csrf_client(app: Flask) -> FlaskClient:
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def test_login_without_csrf_token_is_refused(app: Flask) -> None:
    client = _csrf_client(app)
    data = {"username": "koordinator", "password": DEMO_PASSWORD}
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert client.get("/desa/").status_code == 302


def test_login_with_the_forms_csrf_token_works(app: Flask) -> None:
    import re

    client = _csrf_client(app)
    form = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert match is not None
    data = {"username": "koordinator", "password": DEMO_PASSWORD, "csrf_token": match.group(1)}
    assert client.post("/login", data=data).status_code == 302
    assert client.get("/desa/").status_code == 200


def test_logout_without_csrf_token_is_refused(app: Flask) -> None:
    client = _csrf_client(app)
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/login", data={"username": "admin", "password": DEMO_PASSWORD})
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/logout").status_code == 400
    assert client.get("/desa/").status_code == 200


def test_logout_is_not_a_get_link(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("admin")
    assert client.get("/logout").status_code == 405
