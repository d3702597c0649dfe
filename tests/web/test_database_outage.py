"""A database that cannot be reached answers 503 with Retry-After (page or JSON), not a 500;
odd characters in `?next=` are refused, never a 500."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import DEMO_PASSWORD

UNREACHABLE = "postgresql://postgres@127.0.0.1:1/none"


@pytest.fixture
def down_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    from web import create_app

    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path / "instance"))
    flask_app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": UNREACHABLE,
            "SECRET_KEY": "test-secret-key-0123456789abcdef",
        }
    )
    yield flask_app
    flask_app.extensions["keliling.engine"].dispose()


def test_a_page_during_an_outage_is_a_503_in_the_ui_language(down_app: Flask) -> None:
    client = down_app.test_client()
    response = client.get("/jadwal/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "15"
    assert "Basis data tidak dapat dihubungi" in response.get_data(as_text=True)
    login = client.post("/login", data={"username": "admin", "password": DEMO_PASSWORD})
    assert login.status_code == 503


def test_the_api_during_an_outage_answers_json_503(down_app: Flask) -> None:
    response = down_app.test_client().get(
        "/api/v1/stops", headers={"Authorization": "Bearer kel_x"}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "15"
    assert response.json is not None and response.json["error"]["status"] == 503


@pytest.mark.parametrize(
    "target", ["/rencana/%0d%0aSet-Cookie:x=1", "/rencana/%0a", "/a%09b", "/x%01y", "/x%7fy"]
)
def test_control_characters_in_next_are_never_a_500(client: FlaskClient, target: str) -> None:
    assert client.get(f"/login?next={target}").status_code == 200
    response = client.post(
        f"/login?next={target}", data={"username": "admin", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
