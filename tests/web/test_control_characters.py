"""A control character in the address, a query parameter, a header, a form field or a JSON body is
a 400 with a message (JSON under /api/), on every route, SQLite and PostgreSQL: never a 5xx."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from werkzeug.routing import (
    AnyConverter,
    BaseConverter,
    IntegerConverter,
    PathConverter,
    Rule,
    UnicodeConverter,
)
from werkzeug.test import EnvironBuilder, run_wsgi_app

from geodata import load_region
from planner.store import create_user, install_default_stops, install_region, session_scope
from tests.conftest import DEMO_PASSWORD, ROLES, AuthActions

MESSAGE = "karakter kontrol"
HEADERS = ("User-Agent", "Referer", "Accept-Language", "X-Forwarded-For", "Idempotency-Key")
ODD = ("\x00", "\x1b", "\x7f")


def _sample(converter: BaseConverter) -> object:
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def _paths(app: Flask, method: str) -> Iterator[tuple[Rule, str]]:
    """Every route taking `method`, its arguments filled (ids 1, texts 'x')."""
    for rule in app.url_map.iter_rules():
        if method not in (rule.methods or ()):
            continue
        values = {name: _sample(rule._converters[name]) for name in rule.arguments}
        built = rule.build(values, append_unknown=False)
        assert built is not None
        yield rule, built[1]


def _refused(response: object, api: bool) -> bool:
    status = getattr(response, "status_code", 0)
    body = response.get_data(as_text=True)  # type: ignore[attr-defined]
    if status != 400 or MESSAGE not in body:
        return False
    return not api or response.json["error"]["status"] == 400  # type: ignore[attr-defined]


def _walk_gets(app: Flask, client: FlaskClient, odd: str) -> list[str]:
    failures = []
    for _rule, path in _paths(app, "GET"):
        api = path.startswith("/api/")
        answers = {
            "query": client.get(path, query_string={"q": f"a{odd}b"}),
            "query name": client.get(path, query_string={f"a{odd}": "b"}),
            "header": client.get(path, headers={HEADERS[len(path) % len(HEADERS)]: f"a{odd}"}),
        }
        failures += [f"{kind} {path}" for kind, r in answers.items() if not _refused(r, api)]
    return failures


@pytest.fixture
def admin(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    auth.login("admin")
    return client


@pytest.mark.parametrize("odd", ODD)
def test_every_get_route_refuses_a_control_character_in_query_and_headers(
    app: Flask, admin: FlaskClient, odd: str
) -> None:
    assert _walk_gets(app, admin, odd) == []


def test_every_route_refuses_a_control_character_in_its_address(
    app: Flask, admin: FlaskClient
) -> None:
    failures = []
    for rule, path in _paths(app, "GET"):
        texts = [
            n for n, c in rule._converters.items() if type(c) in (UnicodeConverter, PathConverter)
        ]
        if texts:  # a NUL in a text argument
            values = {name: _sample(rule._converters[name]) for name in rule.arguments}
            built = rule.build({**values, texts[0]: "a\x00b"}, append_unknown=False)
            assert built is not None
            path = built[1]
        else:  # only ids and choices: a NUL in the last segment
            path = path + "%00"
        answer = admin.get(path)
        if answer.status_code != 400 or MESSAGE not in answer.get_data(as_text=True):
            failures.append(f"{path}: {answer.status_code}")
    assert failures == []


@pytest.mark.parametrize("header", [*HEADERS, "Cookie", "Authorization"])
def test_each_header_with_a_nul_is_refused(app: Flask, header: str) -> None:
    # The test client would replace a Cookie header with its own jar: build the request.
    for path in ("/jadwal/", "/login", "/api/v1/stops"):
        environ = EnvironBuilder(path=path).get_environ()
        environ["HTTP_" + header.upper().replace("-", "_")] = "kel_\x00; session=a\x00b"
        _iterable, status, _headers = run_wsgi_app(app, environ, buffered=True)
        assert status.startswith("400"), (header, path, status)


def test_form_fields_with_control_characters_are_refused_everywhere(
    app: Flask, admin: FlaskClient
) -> None:
    failures = []
    for _rule, path in _paths(app, "POST"):
        answer = admin.post(path, data={"name": "Pojok\x1bBaca", "notes": "baris\r\nbaru"})
        if answer.status_code != 400 or MESSAGE not in answer.get_data(as_text=True):
            failures.append(f"{path}: {answer.status_code}")
    assert failures == []


def test_typed_line_breaks_and_tabs_are_not_control_characters(admin: FlaskClient) -> None:
    answer = admin.get("/kegiatan/", query_string={"q": "Banjar"}, headers={"User-Agent": "a\tb"})
    assert answer.status_code == 200


def test_json_bodies_with_a_nul_are_refused_on_every_api_route(
    app: Flask, admin: FlaskClient
) -> None:
    failures = []
    for method in ("POST", "PUT", "PATCH"):
        for _rule, path in _paths(app, method):
            if not path.startswith("/api/"):
                continue
            body = {"notes": "a\u0000b", "librarians": ["Siti\u001b"]}
            answer = admin.open(path, method=method, json=body)
            if not _refused(answer, api=True):
                failures.append(f"{method} {path}: {answer.status_code}")
    assert failures == []


@pytest.fixture
def postgres_app(
    postgres_database: str, postgres_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """The app on PostgreSQL with the demo region and one user per role."""
    from web import create_app

    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with postgres_engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    pack = load_region("kota_banjar")
    with session_scope(postgres_engine) as session:
        installed, _ = install_region(session, pack)
        install_default_stops(session, installed, pack)
        for role in ROLES:
            create_user(session, role, DEMO_PASSWORD, role, f"Pengguna {role}")
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path / "instance"))
    flask_app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": postgres_database,
            "SECRET_KEY": "test-secret-key-0123456789abcdef",
        }
    )
    yield flask_app
    flask_app.extensions["keliling.engine"].dispose()


@pytest.mark.postgres
def test_nul_anywhere_is_a_4xx_on_postgresql(postgres_app: Flask) -> None:
    client = postgres_app.test_client()
    for field in ("username", "password"):
        form = {"username": "admin", "password": DEMO_PASSWORD, field: "ad\x00min"}
        answer = client.post("/login", data=form)
        assert 400 <= answer.status_code < 500, field
        assert "error" in answer.get_data(as_text=True)
    AuthActions(client).login("admin")
    assert _walk_gets(postgres_app, client, "\x00") == []
    answer = client.post("/api/v1/events", json={"notes": "a\u0000b"})
    assert _refused(answer, api=True)
