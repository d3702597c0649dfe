"""Security headers on every page, a CSP the app's own pages pass, https behind a proxy, limits."""

import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from planner.store import published_plan
from tests.conftest import DEMO_PASSWORD, AuthActions
from tests.factories import TODAY, link, publish_demo_plan, route_data
from web.db import get_session

NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{20,})'")
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
# onclick=, onchange=, ... anywhere in a tag, and javascript: addresses: both need unsafe-inline.
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
STAFF_PAGES = ("/desa/", "/permintaan/", "/titik/", "/titik/1", "/titik/baru", "/laporan/")
PUBLIC_PAGES = ("/login", "/jadwal/", "/jadwal/titik/1", "/jadwal/titik/1/poster")


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week, so plan, sheet and driver pages have maps."""
    path = tmp_path_factory.mktemp("security") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_demo_plan(path, TODAY)
    return path


def _policy(response: object) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]  # type: ignore[attr-defined]
    return {
        name: value
        for name, _, value in (part.strip().partition(" ") for part in header.split(";"))
    }


def assert_page_passes_the_csp(response: object) -> None:
    """Every inline script carries this response's nonce; no inline handler or javascript: URL."""
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    match = NONCE.search(response.headers["Content-Security-Policy"])  # type: ignore[attr-defined]
    assert match, "the CSP has no nonce"
    for tag in SCRIPT_TAG.findall(page):
        assert "src=" in tag or f'nonce="{match[1]}"' in tag, tag
    assert INLINE_HANDLER.findall(page) == []
    assert JAVASCRIPT_URL.findall(page) == []


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_carry_the_security_headers(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == policy["form-action"] == policy["connect-src"] == "'self'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain http: no HSTS
    assert_page_passes_the_csp(response)


def test_every_response_gets_a_fresh_nonce(client: FlaskClient) -> None:
    first, second = (NONCE.search(_csp(client.get("/login"))) for _ in range(2))
    assert first and second and first[1] != second[1]


def _csp(response: object) -> str:
    return str(response.headers["Content-Security-Policy"])  # type: ignore[attr-defined]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_and_their_maps_pass_the_csp(
    client: FlaskClient, auth: AuthActions, url: str
) -> None:
    auth.login("admin")
    response = client.get(url)
    assert response.status_code == 200
    assert_page_passes_the_csp(response)


def test_plan_route_sheet_and_driver_pages_pass_the_csp(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    route = route_data(app)
    with app.app_context():
        plan = published_plan(get_session())
        assert plan is not None
        plan_id = plan.id
    map_pages = [
        f"/rencana/{plan_id}",
        f"/rencana/{plan_id}/rute/{route['route_id']}/lembar",
        link(app, route) + "/peta",
    ]
    for url in [*map_pages, link(app, route)]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_page_passes_the_csp(response)
        if url in map_pages:
            assert "L.map(" in response.get_data(as_text=True), url


def test_map_tiles_are_allowed_and_nothing_else_off_site(client: FlaskClient) -> None:
    policy = _policy(client.get("/login"))
    assert policy["img-src"].split() == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert policy["style-src"] == "'self' 'unsafe-inline'"  # Leaflet's style attributes


def test_json_errors_and_static_files_carry_the_headers_too(client: FlaskClient) -> None:
    for url in ("/api/v1/villages", "/static/css/app.css"):
        with client.get(url) as response:
            assert "frame-ancestors 'none'" in _csp(response)
            assert response.headers["X-Content-Type-Options"] == "nosniff"


def _app(app: Flask, **config: object) -> Flask:
    """A second app on the same database with extra settings."""
    from web import create_app

    settings = {
        key: app.config[key]
        for key in ("TESTING", "DATABASE_URL", "SECRET_KEY", "WTF_CSRF_ENABLED")
    }
    return create_app({**settings, **config})


def test_behind_the_proxy_https_gives_hsts_and_secure_cookies(app: Flask) -> None:
    proxied = _app(app, PROXY_FIX=1)
    client = proxied.test_client()
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    response = client.post(
        "/login", data={"username": "admin", "password": "salah"}, headers=headers
    )
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in response.headers["Set-Cookie"]
    proxied.extensions["keliling.engine"].dispose()


def test_without_the_proxy_setting_forwarded_headers_are_ignored(client: FlaskClient) -> None:
    headers = {"X-Forwarded-Proto": "https"}
    response = client.post(
        "/login", data={"username": "admin", "password": "salah"}, headers=headers
    )
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers["Set-Cookie"]


def test_secure_cookies_can_be_forced(app: Flask) -> None:
    forced = _app(app, SECURE_COOKIES=True)
    assert forced.config["SESSION_COOKIE_SECURE"] and forced.config["REMEMBER_COOKIE_SECURE"]
    response = forced.test_client().post("/login", data={"username": "admin", "password": "salah"})
    assert "Secure" in response.headers["Set-Cookie"]
    forced.extensions["keliling.engine"].dispose()


def test_a_too_large_upload_gets_a_413_page_in_indonesian(app: Flask) -> None:
    small = _app(app, MAX_CONTENT_LENGTH=1024 * 1024)
    client = small.test_client()
    client.post("/login", data={"username": "koordinator", "password": DEMO_PASSWORD})
    body = {"name": "x" * (2 * 1024 * 1024)}
    response = client.post("/titik/baru", data=body)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "terlalu besar (paling besar 1 MB)" in page
    response = client.post("/titik/baru", data=body, headers={"Accept": "application/json"})
    assert response.status_code == 413
    assert "terlalu besar" in response.json["error"]["message"]  # type: ignore[index]
    small.extensions["keliling.engine"].dispose()


TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


@pytest.mark.parametrize(
    "template", sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))
)
def test_no_template_has_an_inline_script_the_csp_would_block(template: str) -> None:
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    for tag in SCRIPT_TAG.findall(source):
        assert "src=" in tag or 'nonce="{{ csp_nonce() }}"' in tag, tag
    assert INLINE_HANDLER.findall(source) == []
    assert JAVASCRIPT_URL.findall(source) == []
