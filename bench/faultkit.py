"""Processes for bench/faults.py: gunicorn as in the Procfile, `keliling worker`, a private
redis-server, and a koordinator session that starts and follows planning runs."""

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from loadkit import Answer, Client, Stats, csrf_token

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children(pid: int) -> list[int]:
    """Every descendant of `pid` (read from /proc), deepest last."""
    found: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found += [int(entry), *children(int(entry))]
    return found


@dataclass
class Stack:
    """The app's processes for one fault run; `env` has DATABASE_URL, SECRET_KEY, ..."""

    env: dict[str, str]
    log_dir: Path
    port: int = field(default_factory=free_port)
    web: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("ab")
        return subprocess.Popen(argv, env=env, stdout=log, stderr=log, start_new_session=True)

    def start_web(self, redis: bool) -> None:
        """gunicorn --workers 2 --timeout 600 "web:create_app()", waited for until it answers."""
        env = dict(self.env) if redis else {k: v for k, v in self.env.items() if k != "REDIS_URL"}
        argv = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{self.port}", "--workers", "2"]
        self.web = self._spawn("gunicorn", [*argv, "--timeout", "600", "web:create_app()"], env)
        self.wait_until_up()

    def wait_until_up(self, timeout_s: float = 60) -> float:
        """Seconds until /jadwal/ answers 200."""
        started = time.monotonic()
        probe = Client(self.url, Stats(), cookies=False)
        while time.monotonic() - started < timeout_s:
            answer = probe.request("probe", "GET", "/jadwal/")
            if answer is not None and answer.status == 200:
                return time.monotonic() - started
            time.sleep(0.3)
        msg = f"the app at {self.url} did not answer within {timeout_s} s"
        raise RuntimeError(msg)

    def start_worker(self) -> None:
        self.worker = self._spawn("worker", [str(BIN / "keliling"), "worker"], self.env)

    def kill_worker(self) -> None:
        """kill -9 of `keliling worker` and its work horse (RQ forks one per job)."""
        assert self.worker is not None
        for pid in [*children(self.worker.pid), self.worker.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.worker.wait()
        self.worker = None

    def stop(self) -> None:
        for proc in (self.web, self.worker):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        self.web = self.worker = None


def keliling(env: dict[str, str], *args: str) -> str:
    """Run the keliling command with the run's settings; its output."""
    done = subprocess.run(
        [str(BIN / "keliling"), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def start_redis(port: int) -> None:
    """A private, non-persistent redis-server (never the shared one)."""
    subprocess.run(
        [
            "redis-server",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
        ],
        check=True,
        capture_output=True,
    )
    for _ in range(50):
        if (
            subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode
            == 0
        ):
            return
        time.sleep(0.1)


def stop_redis(port: int) -> None:
    subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)
    time.sleep(0.5)


@dataclass
class Coordinator:
    """A logged-in koordinator who starts planning runs and reads their status."""

    client: Client
    csrf: str = ""

    @classmethod
    def login(cls, url: str, password: str) -> "Coordinator":
        client = Client(url, Stats())
        page = client.request("login", "GET", "/login")
        form = {"username": "koordinator", "password": password}
        client.request(
            "login",
            "POST",
            "/login",
            (302,),
            {**form, "csrf_token": csrf_token(page.text if page else "")},
        )
        plans = client.request("plans", "GET", "/rencana/")
        return cls(client, csrf_token(plans.text if plans else ""))

    def start_solve(self, start: str, time_limit_s: int = 120) -> tuple[int, Answer | None]:
        """POST the planning form; (the job id, the job page)."""
        form = {
            "csrf_token": self.csrf,
            "start": start,
            "weeks": "1",
            "time_limit": str(time_limit_s),
        }
        answer = self.client.request("solve", "POST", "/rencana/", (302,), form)
        assert answer is not None and answer.status == 302, answer
        job_id = int(answer.location.rstrip("/").split("/")[-1])
        return job_id, self.client.request("job", "GET", f"/rencana/tugas/{job_id}")

    def job(self, job_id: int) -> dict[str, object]:
        answer = self.client.request("job", "GET", f"/rencana/tugas/{job_id}.json")
        found = answer.json() if answer is not None else None
        return found if isinstance(found, dict) else {"status": "unreadable", "message": ""}

    def wait_job(
        self, job_id: int, states: tuple[str, ...], timeout_s: float
    ) -> tuple[dict[str, object], float]:
        """Poll every second until the job is in one of `states`; (its status, seconds)."""
        started = time.monotonic()
        while True:
            status = self.job(job_id)
            if status.get("status") in states or time.monotonic() - started > timeout_s:
                return status, time.monotonic() - started
            time.sleep(1)

    def published(self) -> tuple[int, list[object]]:
        """The published plan's id and its routes (to show a fault left it untouched)."""
        plans = self.client.request("api", "GET", "/api/v1/plans")
        items = plans.json()["items"] if plans is not None and plans.status == 200 else []
        found = [p for p in items if p["status"] == "published"]
        if not found:
            return 0, []
        routes = self.client.request("api", "GET", f"/api/v1/plans/{found[0]['id']}/routes")
        return int(found[0]["id"]), routes.json()["items"] if routes is not None else []


class Pollers:
    """Clients asking for a page every 0.2 s each in a thread, until stop(); every answer is
    kept as (monotonic time, name, status or 0 for none, Retry-After)."""

    def __init__(self, targets: list[tuple[str, Client, str]]) -> None:
        self.names = [name for name, _client, _path in targets]
        self.seen: list[tuple[float, str, int, str]] = []
        self.running = True
        self.lock = threading.Lock()  # two pollers may share one client (its connection)
        self.threads = [threading.Thread(target=self._poll, args=t, daemon=True) for t in targets]
        for thread in self.threads:
            thread.start()

    def _poll(self, name: str, client: Client, path: str) -> None:
        while self.running:
            with self.lock:
                answer = client.request("poll", "GET", path, (200, 503))
            status = answer.status if answer is not None else 0
            retry = answer.headers.get("retry-after", "") if answer is not None else ""
            self.seen.append((time.monotonic(), name, status, retry))
            time.sleep(0.2)

    def stop(self) -> list[tuple[float, str, int, str]]:
        self.running = False
        for thread in self.threads:
            thread.join()
        return self.seen
