"""With REDIS_URL set, solves go to an RQ queue and `keliling worker` processes run them."""

import os
import time

import pytest
from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker
from sqlmodel import Session

from planner.store import SolveJob
from tests.conftest import DEMO_PASSWORD
from tests.web.conftest import REDIS_URL
from web.jobs import QUEUE_NAME


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


def test_a_queued_job_that_redis_lost_is_enqueued_again_and_runs(redis_app: Flask) -> None:
    client = redis_app.test_client()
    client.post("/login", data={"username": "koordinator", "password": DEMO_PASSWORD})
    response = client.post(
        "/rencana/", data={"start": "2026-11-30", "weeks": "1", "time_limit": "1"}
    )
    job_url = response.headers["Location"]
    connection = Redis.from_url(REDIS_URL)
    queue = Queue(QUEUE_NAME, connection=connection)
    queue.empty()  # what a Redis restart without persistence leaves: the row says queued
    assert queue.count == 0
    assert client.get(job_url + ".json").json["status"] == "queued"  # type: ignore[index]
    assert queue.count == 1  # reading the job put it back, once
    client.get(job_url + ".json")
    assert queue.count == 1
    SimpleWorker([queue], connection=connection).work(burst=True)
    connection.close()
    status = client.get(job_url + ".json").json
    assert status is not None and status["status"] == "done" and status["plan_url"]


def test_worker_command_with_redis_unreachable_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, app: Flask, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from web.cli import main

    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret-key-0123456789")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    result = CliRunner().invoke(main, ["worker", "--burst"])
    assert result.exit_code == 1
    assert result.output.startswith("Galat: Redis tidak dapat dihubungi")
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_a_killed_worker_leaves_its_job_failed_within_the_bound(redis_app: Flask) -> None:
    """kill -9 of a real `keliling worker` (and its work horse) mid-solve: the job stops beating
    and reads failed with a reason once the (here short) bound has passed."""
    import signal
    import subprocess
    import sys

    redis_app.config["JOB_STALE_AFTER_S"] = 3
    client = redis_app.test_client()
    client.post("/login", data={"username": "koordinator", "password": DEMO_PASSWORD})
    response = client.post(
        "/rencana/", data={"start": "2026-11-30", "weeks": "1", "time_limit": "60"}
    )
    job_url = response.headers["Location"]
    env = {
        **os.environ,
        "DATABASE_URL": redis_app.config["DATABASE_URL"],
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": redis_app.config["SECRET_KEY"],
        "KELILING_INSTANCE_PATH": redis_app.instance_path,
        "KELILING_JOB_HEARTBEAT_S": "0.5",
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", "from web.cli import main; main()", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while client.get(job_url + ".json").json["status"] != "running":  # type: ignore[index]
            assert time.monotonic() < deadline, "the worker did not start the job"
            time.sleep(0.2)
        time.sleep(1)  # it beats
        assert client.get(job_url + ".json").json["status"] == "running"  # type: ignore[index]
    finally:
        for pid in [*_children(worker.pid), worker.pid]:  # RQ's work horse has its own group
            os.kill(pid, signal.SIGKILL)
        worker.wait()
    killed_at = time.monotonic()
    while (status := client.get(job_url + ".json").json) and status["status"] == "running":
        assert time.monotonic() - killed_at < 10, "the dead worker's job still reads running"
        time.sleep(0.3)
    assert status is not None and status["status"] == "failed"
    assert "Proses perencanaan berhenti" in status["message"]


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (read from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found
