"""A form sent after the session is gone (expired, or logged out in another tab) keeps what was
typed: the login form in the page's language carries it, and after logging in it is sent again."""

import re
from html import unescape

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from planner.store import Vehicle
from tests.conftest import DEMO_PASSWORD
from tests.web.form_crawl import forms_of

NAME = 'Motor "Pustaka" <Keliling>'


def _csrf_client(app: Flask) -> FlaskClient:
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def _hidden(page: str) -> list[tuple[str, str]]:
    """The hidden inputs of a page, names and values unescaped."""
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    found += re.findall(r'<input id="[^"]*" name="([^"]+)" type="hidden" value="([^"]*)"', page)
    return [(unescape(n), unescape(v)) for n, v in found]


def _token(client: FlaskClient, path: str = "/login") -> str:
    return dict(_hidden(client.get(path).get_data(as_text=True)))["csrf_token"]


def _login(client: FlaskClient, role: str) -> None:
    data = {"username": role, "password": DEMO_PASSWORD, "csrf_token": _token(client)}
    assert client.post("/login", data=data).status_code == 302


def _vehicle_form(client: FlaskClient) -> dict[str, str]:
    """The vehicle's edit form as the browser would send it, renamed and with notes."""
    page = client.get("/kendaraan/1").get_data(as_text=True)
    (form,) = [f for f in forms_of(page, "/kendaraan/1") if "name" in f.names()]
    return dict(form.fields) | {"name": NAME}


def _names(app: Flask) -> list[str]:
    with Session(app.extensions["keliling.engine"]) as session:
        return [v.name for v in session.exec(select(Vehicle))]


def test_a_form_sent_after_logout_is_kept_through_the_login(app: Flask) -> None:
    client = _csrf_client(app)
    _login(client, "koordinator")
    data = _vehicle_form(client)
    client.post("/logout", data={"csrf_token": data["csrf_token"]})  # another tab
    page = client.post("/kendaraan/1", data=data)
    text = page.get_data(as_text=True)
    assert page.status_code in (400, 401)
    assert "Masuk" in text and "isian Anda tetap tersimpan" in text
    kept = dict(_hidden(text))
    assert kept["kept_to"] == "/kendaraan/1" and kept["kept.name"] == NAME
    assert "kept.csrf_token" not in kept
    assert NAME not in _names(app)
    # Logging in shows the kept form, ready to be sent with a fresh token.
    login = {**dict(_hidden(text)), "username": "koordinator", "password": DEMO_PASSWORD}
    resume = client.post("/login", data=login)
    assert resume.status_code == 200
    again = _hidden(resume.get_data(as_text=True))
    assert ("name", NAME) in again and "Formulir Anda belum terkirim" in resume.get_data(
        as_text=True
    )
    assert re.search(r'<form method="post" action="/kendaraan/1"', resume.get_data(as_text=True))
    sent = client.post("/kendaraan/1", data=dict(again))
    assert sent.status_code == 302
    assert NAME in _names(app)


def test_an_expired_form_of_a_logged_in_user_is_offered_again(app: Flask) -> None:
    client = _csrf_client(app)
    _login(client, "koordinator")
    data = _vehicle_form(client) | {"csrf_token": "stale"}
    page = client.post("/kendaraan/1", data=data)
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "Periksa isian Anda lalu kirim lagi" in text
    assert "CSRF" not in text
    again = dict(_hidden(text))
    assert again["name"] == NAME and again["csrf_token"] != "stale"
    assert client.post("/kendaraan/1", data=again).status_code == 302
    assert NAME in _names(app)


def test_role_checks_still_apply_after_logging_in_again(app: Flask) -> None:
    client = _csrf_client(app)
    data = {"name": NAME, "kind": "van", "csrf_token": "none"}
    page = client.post("/kendaraan/1", data=data).get_data(as_text=True)
    login = {**dict(_hidden(page)), "username": "staf", "password": DEMO_PASSWORD}
    login["csrf_token"] = dict(_hidden(page))["csrf_token"]
    again = dict(_hidden(client.post("/login", data=login).get_data(as_text=True)))
    assert client.post("/kendaraan/1", data=again).status_code == 403
    assert NAME not in _names(app)


def test_the_kept_form_goes_nowhere_but_this_site(app: Flask) -> None:
    client = _csrf_client(app)
    for target in ("https://evil.example/x", "//evil.example/x", "/\\evil.example", "/logout"):
        login = {
            "username": "koordinator",
            "password": DEMO_PASSWORD,
            "csrf_token": _token(client),
            "kept_to": target,
            "kept.name": NAME,
        }
        response = client.post("/login", data=login)
        assert response.status_code == 302, target
        assert response.headers["Location"] == "/", target
        client.post("/logout", data={"csrf_token": _token(client, "/akun/kata-sandi")})


def test_an_english_page_says_it_in_english(app: Flask) -> None:
    client = _csrf_client(app)
    client.get("/bahasa/en")
    page = client.post("/kendaraan/1", data={"name": NAME, "csrf_token": "old"})
    assert "what you typed is kept" in page.get_data(as_text=True)
