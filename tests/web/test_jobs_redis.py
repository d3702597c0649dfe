"""With REDIS_URL set, solves go to an RQ queue and `keliling worker` processes run them."""

import os
import time

import pytest
from flask import Flask
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue, SimpleWorker
from sqlmodel import Session

from planner.store import SolveJob
from tests.conftest import DEMO_PASSWORD, unavailable
from web.jobs import QUEUE_NAME, RedisRunner, bind_worker

REDIS_URL = os.environ.get("KELILING_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_app(app: Flask) -> Flask:
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisConnectionError as error:
        unavailable(f"Redis not reachable at {REDIS_URL}: {error}")
    Queue(QUEUE_NAME, connection=connection).empty()
    app.config["REDIS_URL"] = REDIS_URL
    app.extensions["keliling.jobs"] = RedisRunner(REDIS_URL)
    bind_worker(app)  # what `keliling worker` does with its own configuration
    yield app
    Queue(QUEUE_NAME, connection=connection).empty()
    connection.close()


def test_solve_is_queued_then_run_by_a_worker(redis_app: Flask) -> None:
    client = redis_app.test_client()
    client.post("/login", data={"username": "koordinator", "password": DEMO_PASSWORD})
    response = client.post(
        "/rencana/", data={"start": "2026-11-30", "weeks": "1", "time_limit": "1"}
    )
    job_url = response.headers["Location"]
    assert client.get(job_url + ".json").json["status"] == "queued"  # type: ignore[index]
    connection = Redis.from_url(REDIS_URL)
    queue = Queue(QUEUE_NAME, connection=connection)
    assert queue.count == 1
    queued = queue.jobs[0]
    assert queued.args == (int(job_url.rstrip("/").split("/")[-1]),)  # no database address
    SimpleWorker([queue], connection=connection).work(burst=True)
    connection.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = client.get(job_url + ".json").json
        if status and status["status"] == "done":
            break
        time.sleep(0.2)
    assert status is not None and status["status"] == "done" and status["plan_url"]
    with Session(redis_app.extensions["keliling.engine"]) as session:
        job = session.get(SolveJob, int(job_url.rstrip("/").split("/")[-1]))
        assert job is not None and job.plan_id is not None


def test_worker_command_needs_redis_url(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from web.cli import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret-key-0123456789")
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("REDIS_URL", raising=False)
    result = CliRunner().invoke(main, ["worker", "--burst"])
    assert result.exit_code == 1 and "REDIS_URL belum diatur" in result.output
