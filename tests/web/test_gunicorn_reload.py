"""`kill -HUP` of a real gunicorn master (as a deploy does) while one of its workers solves in
a thread: the run ends done or failed with a reason, never "running" for ever, the published
plan is untouched and the new workers answer."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from planner.store import Plan, Route, Visit
from tests.conftest import DEMO_PASSWORD
from tests.web.test_jobs_redis import _children

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_status(
    client: FlaskClient, job_url: str, states: set[str], bound_s: float
) -> dict[str, Any]:
    """The job's JSON once its status is one of `states` (fails after `bound_s`)."""
    deadline = time.monotonic() + bound_s
    while True:
        status: dict[str, Any] | None = client.get(job_url + ".json").json
        assert status is not None
        if status["status"] in states:
            return status
        assert time.monotonic() < deadline, f"the run still reads {status['status']}"
        time.sleep(0.3)


def _published(app: Flask) -> list[tuple[int, int, int, str]]:
    """The published plan's visits as (plan, route, stop, arrival): what drivers see."""
    with Session(app.extensions["keliling.engine"]) as session:
        rows = session.exec(
            select(Plan.id, Route.id, Visit.stop_id, Visit.planned_arrival)
            .join(Route, Route.plan_id == Plan.id)  # type: ignore[arg-type]
            .join(Visit, Visit.route_id == Route.id)  # type: ignore[arg-type]
            .where(Plan.status == "published")
        ).all()
    return sorted((p or 0, r or 0, s, str(a)) for p, r, s, a in rows)


@pytest.fixture
def gunicorn(app: Flask) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """gunicorn as in the Procfile (2 workers, no Redis: solves run in a worker's thread)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env |= {
        "DATABASE_URL": app.config["DATABASE_URL"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "KELILING_INSTANCE_PATH": app.instance_path,
        "KELILING_JOB_HEARTBEAT_S": "0.5",
        "KELILING_JOB_STALE_AFTER_S": "3",
    }
    argv = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    master = subprocess.Popen(
        [*argv, "--timeout", "600", "web:create_app()"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url)
        yield url, master
    finally:
        master.send_signal(signal.SIGTERM)
        try:
            master.wait(timeout=30)
        except subprocess.TimeoutExpired:
            master.kill()
            master.wait()


def _wait_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/login", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        assert time.monotonic() < deadline, "gunicorn did not answer"
        time.sleep(0.3)


def _start_solve_through(url: str, time_limit_s: int) -> str:
    """Log in as koordinator on the real server and start a run; its job page's path."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def post(path: str, form: dict[str, str]) -> str:
        page = opener.open(url + path).read().decode()  # the form's CSRF token
        token = CSRF.search(page)
        assert token is not None
        data = urlencode({**form, "csrf_token": token.group(1)}).encode()
        with opener.open(url + path, data=data) as response:
            return str(response.geturl())

    post("/login", {"username": "koordinator", "password": DEMO_PASSWORD})
    job_url = post(
        "/rencana/", {"start": "2026-11-30", "weeks": "1", "time_limit": str(time_limit_s)}
    )
    return job_url.removeprefix(url)


def test_hup_of_the_gunicorn_master_mid_solve_never_strands_the_run(
    app: Flask, gunicorn: tuple[str, subprocess.Popen[bytes]]
) -> None:
    url, master = gunicorn
    app.config["JOB_STALE_AFTER_S"] = 3  # what the gunicorn workers were given too
    client = app.test_client()
    client.post("/login", data={"username": "koordinator", "password": DEMO_PASSWORD})
    first = client.post("/rencana/", data={"start": "2026-11-23", "weeks": "1", "time_limit": "1"})
    plan_url = _wait_status(client, first.headers["Location"], {"done"}, 60)["plan_url"]
    client.post(plan_url + "/terbitkan", data={"confirm": "yes"})
    before = _published(app)
    assert before, "a published plan to protect"

    job_url = _start_solve_through(url, time_limit_s=6)
    _wait_status(client, job_url, {"running"}, 60)
    old_workers = set(_children(master.pid))
    time.sleep(1)
    master.send_signal(signal.SIGHUP)  # what `systemctl reload` or a deploy does

    ended = _wait_status(client, job_url, {"done", "failed"}, 60)
    if ended["status"] == "failed":
        assert "Proses perencanaan berhenti" in ended["message"]
    else:
        assert ended["plan_url"]  # the old worker finished the solve and stored a draft
    assert _published(app) == before
    deadline = time.monotonic() + 30
    while old_workers & set(_children(master.pid)):  # the reload replaced every worker
        assert time.monotonic() < deadline, "the old workers are still there"
        time.sleep(0.3)
    with urllib.request.urlopen(url + "/jadwal/", timeout=30) as response:  # noqa: S310
        assert response.status == 200
    assert master.poll() is None
