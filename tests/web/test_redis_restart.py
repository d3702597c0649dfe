"""A real Redis restarted (without persistence) while planning runs wait in its queue: the web
process's Redis client reconnects, the runs Redis lost are put back when their page is read and
run afterwards, and a run submitted while Redis was down says so instead of waiting for ever.
Uses a private redis-server on a free port, never the shared one."""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue, SimpleWorker

from tests.conftest import DEMO_PASSWORD, unavailable
from web.jobs import QUEUE_NAME, RedisRunner, bind_worker


@dataclass
class PrivateRedis:
    """A non-persistent redis-server this test may stop and start."""

    binary: str
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        argv = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        self.process = subprocess.Popen(
            [*argv, "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                Redis.from_url(self.url).ping()
                return
            except RedisConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = PrivateRedis(str(binary), port)
    server.start()
    yield server
    server.stop()


def _status(client: FlaskClient, job_url: str) -> str:
    """The run's status as its page's poller reads it."""
    status = client.get(job_url + ".json").json
    assert status is not None
    return str(status["status"])


def test_runs_queued_before_a_redis_restart_run_afterwards(
    app: Flask, private_redis: PrivateRedis
) -> None:
    app.config["REDIS_URL"] = private_redis.url
    app.extensions["keliling.jobs"] = RedisRunner(private_redis.url)
    bind_worker(app)
    client = app.test_client()
    client.post("/login", data={"username": "koordinator", "password": DEMO_PASSWORD})
    form = {"start": "2026-11-30", "weeks": "1", "time_limit": "1"}
    queued = [client.post("/rencana/", data=form).headers["Location"] for _ in range(2)]
    assert Queue(QUEUE_NAME, connection=Redis.from_url(private_redis.url)).count == 2

    private_redis.stop()
    while_down = client.post("/rencana/", data=form)
    assert while_down.status_code == 302
    assert _status(client, while_down.headers["Location"]) == "failed"
    page = client.get(while_down.headers["Location"]).get_data(as_text=True)
    assert "Antrean tugas tidak tersedia" in page  # the queue is down, said on the run's page
    private_redis.start()  # empty: nothing was saved

    connection = Redis.from_url(private_redis.url)
    queue = Queue(QUEUE_NAME, connection=connection)
    assert queue.count == 0
    assert [_status(client, url) for url in queued] == ["queued", "queued"]
    assert queue.count == 2  # reading the runs put them back
    SimpleWorker([queue], connection=connection).work(burst=True)
    connection.close()
    assert [_status(client, url) for url in queued] == ["done", "done"]
