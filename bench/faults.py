"""Scripted fault runs against real processes (gunicorn as in the Procfile, `keliling worker`,
a private redis-server, a private PostgreSQL you can stop). See bench/README.md.

    .venv/bin/python bench/faults.py --database-url postgresql://postgres@127.0.0.1:5440/faults \\
        --pg-stop "pg_ctl -D DIR stop -m fast" --pg-start "pg_ctl -D DIR -l LOG start -w"

Never point it at a shared Redis or PostgreSQL: it shuts its Redis down and stops PostgreSQL.
Scenarios: kill9-solve (kill -9 of the worker mid-solve: failed with a reason within 2 min, the
run can be started again), kill9-import (the same during a background survey import: failed,
nothing stored, the file imports on a new worker), hup-solve (kill -HUP of the gunicorn master
mid-solve, thread runner: the run completes or fails with a reason), redis-restart (queued runs
survive a Redis restart; a submit while Redis is down says so), pg-stop (PostgreSQL stopped:
503 with Retry-After, then recovery without a restart). The published plan must be untouched
by every one.
"""

import argparse
import datetime as dt
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fault_import import kill9_import  # noqa: E402
from faultkit import Coordinator, Pollers, Stack, keliling, start_redis, stop_redis  # noqa: E402
from loadkit import Client, Stats  # noqa: E402

STALE_BOUND_S = 120  # the acceptance: failed with a reason within two minutes
Result = tuple[str, bool, str]


def next_monday() -> str:
    today = dt.date.today()
    return (today + dt.timedelta(days=7 - today.weekday())).isoformat()


def kill9_solve(stack: Stack, args: argparse.Namespace) -> Result:
    """kill -9 of `keliling worker` (and its work horse) while it solves."""
    start_redis(args.redis_port)
    stack.start_web(redis=True)
    stack.start_worker()
    boss = Coordinator.login(stack.url, args.password)
    before = boss.published()
    job_id, _page = boss.start_solve(next_monday())
    running, _s = boss.wait_job(job_id, ("running",), 60)
    time.sleep(3)
    stack.kill_worker()
    status, waited = boss.wait_job(job_id, ("failed", "done"), STALE_BOUND_S + 60)
    stack.start_worker()
    again = boss.client.request(
        "restart", "POST", f"/rencana/tugas/{job_id}/ulang", (302,), {"csrf_token": boss.csrf}
    )
    new_id = int(again.location.rstrip("/").split("/")[-1]) if again and again.status == 302 else 0
    rerun, _s = boss.wait_job(new_id, ("running", "done"), 60) if new_id else ({}, 0)
    if new_id:
        boss.client.request(
            "cancel", "POST", f"/rencana/tugas/{new_id}/batal", (302,), {"csrf_token": boss.csrf}
        )
    untouched = boss.published() == before
    ok = (
        running.get("status") == "running"
        and status.get("status") == "failed"
        and waited <= STALE_BOUND_S
        and rerun.get("status") in ("running", "done")
        and untouched
    )
    return (
        "kill -9 worker mid-solve",
        ok,
        (
            f"job #{job_id} read `{status.get('status')}` {waited:.0f} s after the kill: "
            f"“{status.get('message')}”; *Jalankan ulang* → job #{new_id} `{rerun.get('status')}` "
            f"on a new worker; published plan #{before[0]} untouched: {untouched}"
        ),
    )


def hup_solve(stack: Stack, args: argparse.Namespace) -> Result:
    """kill -HUP of the gunicorn master while a thread-runner solve runs in one of its workers."""
    stack.start_web(redis=False)
    boss = Coordinator.login(stack.url, args.password)
    before = boss.published()
    job_id, _page = boss.start_solve(next_monday(), 60)
    running, _s = boss.wait_job(job_id, ("running",), 60)
    time.sleep(3)
    assert stack.web is not None
    os.kill(stack.web.pid, signal.SIGHUP)
    up_s = stack.wait_until_up()
    boss = Coordinator.login(stack.url, args.password)  # a fresh connection to the new workers
    status, waited = boss.wait_job(job_id, ("failed", "done"), STALE_BOUND_S + 150)
    untouched = boss.published() == before
    ok = (
        running.get("status") == "running"
        and status.get("status") in ("failed", "done")
        and untouched
    )
    if status.get("status") == "failed":
        ok = ok and bool(status.get("message"))
    return (
        "kill -HUP gunicorn master mid-solve (no Redis)",
        ok,
        (
            f"pages answered {up_s:.1f} s after the HUP; job #{job_id} read "
            f"`{status.get('status')}` {waited:.0f} s later: “{status.get('message')}”; "
            f"published plan #{before[0]} untouched: {untouched}"
        ),
    )


def redis_restart(stack: Stack, args: argparse.Namespace) -> Result:
    """Runs queued (no worker yet), Redis restarted without persistence, a submit while it is
    down, then a worker: the queued runs must run."""
    start_redis(args.redis_port)
    stack.start_web(redis=True)
    boss = Coordinator.login(stack.url, args.password)
    before = boss.published()
    queued = [boss.start_solve(next_monday(), 3)[0] for _ in range(2)]
    states = [boss.job(j).get("status") for j in queued]
    stop_redis(args.redis_port)
    down_id, page = boss.start_solve(next_monday(), 3)
    down = boss.job(down_id)
    start_redis(args.redis_port)
    stack.start_worker()
    done = [boss.wait_job(j, ("done", "failed"), 120) for j in queued]
    finished = [(s.get("status"), round(t)) for s, t in done]
    untouched = boss.published() == before
    ok = (
        states == ["queued", "queued"]
        and all(s == "done" for s, _t in finished)
        and page is not None
        and page.status == 200
        and down.get("status") == "failed"
        and untouched
    )
    return (
        "Redis restarted with runs queued",
        ok,
        (
            f"2 runs `{states}` before; after the restart and a worker start: {finished} "
            f"(status, s); a submit while Redis was down: job page {page.status if page else '-'}, "
            f"run `{down.get('status')}`: “{down.get('message')}”; "
            f"published plan untouched: {untouched}"
        ),
    )


def pg_stop(stack: Stack, args: argparse.Namespace) -> Result:
    """PostgreSQL stopped for a while under a few polling clients: 503 + Retry-After, no 500,
    and the same gunicorn answers again once it is back."""
    if not (args.pg_stop and args.pg_start):
        return "PostgreSQL stopped", False, "skipped: give --pg-stop and --pg-start"
    stack.start_web(redis=False)
    boss = Coordinator.login(stack.url, args.password)
    pollers = Pollers(
        [
            ("anonymous /jadwal/", Client(stack.url, Stats(), cookies=False), "/jadwal/"),
            ("koordinator /dasbor/", boss.client, "/dasbor/"),
            ("API /api/v1/stops", boss.client, "/api/v1/stops"),
        ]
    )
    time.sleep(5)
    master = stack.web.pid if stack.web else 0
    stopped_at = time.monotonic()
    subprocess.run(args.pg_stop, shell=True, check=True, capture_output=True)  # noqa: S602
    time.sleep(args.pg_outage_s)
    subprocess.run(args.pg_start, shell=True, check=True, capture_output=True)  # noqa: S602
    back_at = time.monotonic()
    time.sleep(20)
    seen = pollers.stop()
    during = [s for s in seen if stopped_at <= s[0] < back_at]
    after = [s for s in seen if s[0] >= back_at]
    first_ok = {
        n: min((t - back_at for t, m, st, _r in after if m == n and st == 200), default=-1)
        for n in pollers.names
    }
    statuses = Counter(st for _t, _n, st, _r in during)
    no_retry = sum(1 for _t, _n, st, r in during if st == 503 and not r)
    same_master = stack.web is not None and stack.web.poll() is None and stack.web.pid == master
    bad = sum(1 for _t, _n, st, _r in seen if st >= 500 and st != 503 or st == 0)
    ok = bad == 0 and no_retry == 0 and all(v >= 0 for v in first_ok.values()) and same_master
    return (
        f"PostgreSQL stopped {args.pg_outage_s:g} s",
        ok,
        (
            f"answers during the outage {dict(statuses)} (503 without Retry-After: {no_retry}); "
            f"500s or no answer over the whole run: {bad}; first 200 after the restart, s: "
            f"{ {k: round(v, 1) for k, v in first_ok.items()} }; "
            f"same gunicorn master: {same_master}"
        ),
    )


SCENARIOS: dict[str, Callable[[Stack, argparse.Namespace], Result]] = {
    "kill9-solve": kill9_solve,
    "kill9-import": kill9_import,
    "hup-solve": hup_solve,
    "redis-restart": redis_restart,
    "pg-stop": pg_stop,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", required=True, help="a database of its own (demo data is added)"
    )
    parser.add_argument("--password", default="faults-password-1")
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--pg-stop", default="")
    parser.add_argument("--pg-start", default="")
    parser.add_argument("--pg-outage-s", type=float, default=15)
    parser.add_argument("--import-rows", type=int, default=50_000, help="kill9-import's file")
    parser.add_argument("--scenarios", nargs="*", default=list(SCENARIOS), choices=list(SCENARIOS))
    args = parser.parse_args()
    if args.redis_port == 6379:
        sys.exit("Use a private Redis port: this script shuts its Redis down.")
    work = Path(tempfile.mkdtemp(prefix="keliling-faults-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "SECRET_KEY": secrets.token_hex(24),
        "KELILING_INSTANCE_PATH": str(work / "instance"),
        "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
    }
    keliling(env, "demo", "--password", args.password, "--plan-seconds", "3")
    print(f"## Fault runs {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC (logs in {work})\n")
    print("| fault | held | what happened | load avg before/after |\n|---|---|---|---|")
    for name in args.scenarios:
        stack = Stack(env, work)
        load = os.getloadavg()[0]
        try:
            title, ok, text = SCENARIOS[name](stack, args)
        except Exception as error:  # noqa: BLE001 - a broken scenario is a result too
            title, ok, text = name, False, f"harness error: {error!r}"
        finally:
            stack.stop()
            stop_redis(args.redis_port)
        held = "yes" if ok else "**NO**"
        print(f"| {title} | {held} | {text} | {load:.2f}/{os.getloadavg()[0]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
