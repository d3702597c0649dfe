"""PostgreSQL going away under a running app and coming back: pages answer 503 with Retry-After
while it is gone (pooled connections cut as well as new ones refused) and 200 again afterwards,
without restarting the app. The outage is a TCP relay in front of the test server that is cut
and restored, so the shared server itself is never stopped."""

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask
from sqlalchemy.engine import Engine

from geodata import load_region
from planner.store import create_user, install_region, session_scope
from tests.conftest import DEMO_PASSWORD, _truncate


class Relay:
    """A TCP relay to `upstream`; cut() drops every connection and refuses new ones."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self.listener: socket.socket | None = None
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        assert self.listener is not None
        with contextlib.suppress(OSError):  # wakes the thread blocked in accept() (Linux)
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for sock in self.open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.open += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)


@pytest.fixture
def relayed_app(
    postgres_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Flask, Relay]]:
    from web import create_app

    _truncate(postgres_engine)
    with session_scope(postgres_engine) as session:
        install_region(session, load_region("kota_banjar"))  # /jadwal/ reads the region
        create_user(session, "koordinator", DEMO_PASSWORD, "koordinator", "Koordinator")
    url = postgres_engine.url.render_as_string(hide_password=False)
    parts = urlsplit(url)
    relay = Relay((parts.hostname or "127.0.0.1", parts.port or 5432))
    netloc = (
        f"{parts.username}@127.0.0.1:{relay.port}" if parts.username else f"127.0.0.1:{relay.port}"
    )
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": urlunsplit(parts._replace(netloc=netloc)),
            "SECRET_KEY": "test-secret-key-0123456789abcdef",
        }
    )
    yield app, relay
    app.extensions["keliling.engine"].dispose()
    relay.cut()
    _truncate(postgres_engine)


@pytest.mark.postgres
def test_an_outage_is_a_503_with_retry_after_and_the_app_recovers_without_a_restart(
    relayed_app: tuple[Flask, Relay],
) -> None:
    app, relay = relayed_app
    client = app.test_client()
    assert client.get("/jadwal/").status_code == 200  # a pooled connection now exists
    relay.cut()
    for path in ("/jadwal/", "/jadwal/", "/login"):
        response = client.get(path)
        if path == "/login" and response.status_code == 200:
            continue  # the login page itself may not need the database
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "15"
    api = client.get("/api/v1/stops", headers={"Authorization": "Bearer kel_x"})
    assert api.status_code == 503 and api.json is not None
    assert api.json["error"]["status"] == 503
    relay.restore()
    assert client.get("/jadwal/").status_code == 200
    assert client.get("/api/v1/stops").status_code == 401  # the database answers again


@pytest.mark.postgres
def test_a_logged_in_user_gets_the_503_page_too_and_stays_logged_in(
    relayed_app: tuple[Flask, Relay],
) -> None:
    """The error page's header cannot load the user while the database is gone: it is drawn
    as for a visitor (not a 500), and the session works again once the database is back."""
    app, relay = relayed_app
    client = app.test_client()
    login = {"username": "koordinator", "password": DEMO_PASSWORD}
    assert client.post("/login", data=login).status_code == 302
    assert client.get("/dasbor/").status_code == 200
    relay.cut()
    for path in ("/dasbor/", "/rencana/", "/jadwal/"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "15"
        assert "Basis data tidak dapat dihubungi" in response.get_data(as_text=True)
    relay.restore()
    assert client.get("/dasbor/").status_code == 200  # still logged in
