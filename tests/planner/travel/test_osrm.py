"""The OSRM provider against a fake local table server."""

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from planner.travel import OsrmProvider, Point, TravelError


@dataclass
class FakeOsrm:
    """A canned OSRM answer and the request paths the fake server saw."""

    url: str
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)


class _OsrmHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        fake: FakeOsrm = self.server.fake  # type: ignore[attr-defined]
        fake.paths.append(self.path)
        body = json.dumps(fake.body).encode()
        self.send_response(fake.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@pytest.fixture
def osrm_server() -> Iterator[FakeOsrm]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _OsrmHandler)
    fake = FakeOsrm(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.fake = fake  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


OSRM_POINTS = [Point(-7.37, 108.53), Point(-7.36, 108.54), Point(-7.35, 108.55)]


def test_osrm_asks_the_table_service_and_returns_its_matrices(osrm_server: FakeOsrm) -> None:
    osrm_server.body = {
        "code": "Ok",
        "durations": [[0, 120.4, 300.0], [130.0, 0, 200.2], [310.5, 210.0, 0]],
        "distances": [[0, 1500.6, 4000.0], [1600.2, 0, 2500.0], [4100.0, 2600.4, 0]],
    }
    matrix = OsrmProvider(osrm_server.url + "/").matrix(OSRM_POINTS, "van")
    assert osrm_server.paths == [
        "/table/v1/driving/108.530000,-7.370000;108.540000,-7.360000;108.550000,-7.350000"
        "?annotations=duration,distance"
    ]
    # Seconds are rounded up, metres to the nearest metre; OSRM's own asymmetry is kept.
    assert matrix.duration_s == ((0, 121, 300), (130, 0, 201), (311, 210, 0))
    assert matrix.distance_m == ((0, 1501, 4000), (1600, 0, 2500), (4100, 2600, 0))
    assert (matrix.provider, matrix.vehicle_kind) == ("osrm", "van")
    assert matrix.label.startswith(f"Server OSRM {osrm_server.url}")


def test_osrm_uses_the_configured_profile_for_motorbikes(osrm_server: FakeOsrm) -> None:
    osrm_server.body = {"code": "Ok", "durations": [[0]], "distances": [[0]]}
    provider = OsrmProvider(osrm_server.url, profiles={"motor": "motorbike"})
    provider.matrix(OSRM_POINTS[:1], "motor")
    provider.matrix(OSRM_POINTS[:1], "van")
    assert [path.split("/")[3] for path in osrm_server.paths] == ["motorbike", "driving"]


def test_osrm_null_entry_names_the_unreachable_point(osrm_server: FakeOsrm) -> None:
    # The third point can neither be reached nor left: its row and column are null.
    osrm_server.body = {
        "code": "Ok",
        "durations": [[0, 120, None], [130, 0, None], [None, None, 0]],
        "distances": [[0, 1500, None], [1600, 0, None], [None, None, 0]],
    }
    with pytest.raises(TravelError, match="Titik ke-3") as caught:
        OsrmProvider(osrm_server.url).matrix(OSRM_POINTS, "van")
    assert caught.value.point_index == 2


@pytest.mark.parametrize("status", [200, 400])
def test_osrm_error_code_becomes_a_travel_error(osrm_server: FakeOsrm, status: int) -> None:
    osrm_server.status = status
    osrm_server.body = {"code": "NoRoute", "message": "Impossible route between points"}
    with pytest.raises(TravelError, match="NoRoute"):
        OsrmProvider(osrm_server.url).matrix(OSRM_POINTS, "van")


def test_osrm_wrong_address_and_garbled_answer(osrm_server: FakeOsrm) -> None:
    osrm_server.status = 404
    osrm_server.body = {"error": "not here"}
    with pytest.raises(TravelError, match="HTTP 404"):
        OsrmProvider(osrm_server.url).matrix(OSRM_POINTS, "van")
    osrm_server.status = 200
    osrm_server.body = {"code": "Ok", "durations": [[0, 1]], "distances": [[0, 1]]}
    with pytest.raises(TravelError, match="durations"):
        OsrmProvider(osrm_server.url).matrix(OSRM_POINTS, "van")


def test_osrm_closed_port_is_a_travel_error_not_a_traceback() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TravelError, match="tidak dapat dihubungi"):
        OsrmProvider(f"http://127.0.0.1:{port}").matrix(OSRM_POINTS, "van")


def test_osrm_silent_server_times_out() -> None:
    # A listening socket that never answers: the connection opens, the reply never comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(TravelError, match="tidak menjawab"):
            OsrmProvider(url, timeout_s=0.2).matrix(OSRM_POINTS, "van")


def test_osrm_refuses_an_address_without_scheme() -> None:
    with pytest.raises(TravelError, match="http://"):
        OsrmProvider("router.example:5000")
