"""N simulated users for T minutes against a RUNNING Keliling server, then an exactly-once check
of every acknowledged write in the database. See bench/README.md ("Load and faults").

    DATABASE_URL=... .venv/bin/python bench/load.py --url http://127.0.0.1:8101 --password PW

The server needs the demo data (`keliling demo`) and a published plan with a route today or
yesterday (check-ins are refused on other days): `keliling plan --start <yesterday>` then
`keliling plan publish <id>`. Prints a markdown table per page type (count, errors, p50/p95/p99)
and the database check; exits 1 when a request failed or a write is missing or doubled.
"""

import argparse
import datetime as dt
import os
import random
import re
import secrets
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_users import DriverLink, Ledger, Site, User, anonymous, driver, koordinator, staf  # noqa: E402
from loadkit import Answer, Client, Stats  # noqa: E402

ROLES = {"koordinator": koordinator, "staf": staf, "driver": driver, "anonymous": anonymous}
MIX = {"koordinator": 0.30, "staf": 0.25, "driver": 0.25, "anonymous": 0.20}
VILLAGE = re.compile(r'href="/jadwal/desa/([0-9.]+)"')
STOP = re.compile(r'href="/jadwal/titik/(\d+)"')
ROUTE_LINK = re.compile(r'data-route-id="(\d+)".*?href="([^"]+)" class="driver-link"', re.S)


def fetch(client: Client, path: str) -> Answer:
    """A page the setup needs; stops the harness when the server does not give it."""
    answer = client.request("setup", "GET", path)
    if answer is None or answer.status != 200:
        sys.exit(f"Setup: GET {path} answered {answer.status if answer else 'nothing'}.")
    return answer


def discover(base_url: str, password: str, zone: ZoneInfo) -> Site:
    """The published plan, its driver links (usable today or not), villages and stops."""
    stats = Stats()
    site = Site(base_url, password, zone, "", 0, [], [], [])
    boss = User("setup", Client(base_url, stats), site, Ledger(), random.Random(0), 0)
    boss.login("koordinator")
    plans = fetch(boss.client, "/api/v1/plans").json()["items"]
    published = [p for p in plans if p["status"] == "published"]
    if not published:
        sys.exit("No published plan: run `keliling demo` (and `keliling plan publish ID`).")
    plan_id = published[0]["id"]
    routes = fetch(boss.client, f"/api/v1/plans/{plan_id}/routes").json()["items"]
    dates = {r["route_id"]: dt.date.fromisoformat(r["date"]) for r in routes}
    today = dt.datetime.now(zone).date()
    usable_days = (today, today - dt.timedelta(days=1))
    links = [
        DriverLink(int(rid), dates[int(rid)], url, dates[int(rid)] in usable_days)
        for rid, url in ROUTE_LINK.findall(fetch(boss.client, f"/rencana/{plan_id}").text)
    ]
    visitor = Client(base_url, stats, cookies=False)
    codes = sorted(set(VILLAGE.findall(fetch(visitor, "/jadwal/").text)))
    pages = [fetch(visitor, f"/jadwal/desa/{code}").text for code in codes[:6]]
    stops = sorted({int(s) for page in pages for s in STOP.findall(page)})
    run_id = secrets.token_hex(3)
    return Site(base_url, password, zone, run_id, plan_id, codes, stops, links)


def role_list(users: int) -> list[str]:
    """`users` roles in the MIX proportions (largest remainder), every role at least once."""
    counts = {role: max(1, int(users * share)) for role, share in MIX.items()}
    while sum(counts.values()) < users:
        role = max(MIX, key=lambda r: users * MIX[r] - counts[r])
        counts[role] += 1
    return [role for role, n in counts.items() for _ in range(n)]


def run(
    site: Site, users: int, minutes: float, think_s: float, seed: int
) -> tuple[Stats, Ledger, list[str]]:
    """Start every user thread, wait for the end, return what was measured."""
    stats, ledger = Stats(), Ledger()
    until = time.monotonic() + minutes * 60
    roles = role_list(users)
    threads = []
    for n, role in enumerate(roles):
        client = Client(site.base_url, stats, cookies=role in ("koordinator", "staf"))
        user = User(f"{role[:3]}{n}", client, site, ledger, random.Random(seed + n), think_s)
        thread = threading.Thread(
            target=ROLES[role], args=(user, until), name=user.name, daemon=True
        )
        threads.append(thread)
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join(timeout=minutes * 60 + 180)
    return stats, ledger, roles


def verify(database_url: str, site: Site, ledger: Ledger) -> tuple[list[str], bool]:
    """Lines about the database check; True when every acknowledged write is stored once."""
    from sqlalchemy import create_engine, func
    from sqlmodel import Session, col, select

    from planner.store import CheckIn, OutreachEvent

    engine = create_engine(database_url)
    with Session(engine) as session:
        rows = session.exec(
            select(OutreachEvent.id, OutreachEvent.notes).where(
                col(OutreachEvent.notes).startswith(f"bench-{site.run_id}-")
            )
        ).all()
        visit_ids = sorted({v for v, _ in ledger.checkins})
        counts = session.exec(
            select(CheckIn.visit_id, CheckIn.status, func.count())
            .where(col(CheckIn.visit_id).in_(visit_ids))
            .group_by(col(CheckIn.visit_id), col(CheckIn.status))
        ).all()
    engine.dispose()
    stored = Counter(notes for _, notes in rows)
    ids = {notes: event_id for event_id, notes in rows}
    missing = [m for m in ledger.events if stored[m] == 0]
    doubled = [m for m in ledger.events if stored[m] > 1]
    wrong_id = [m for m in ledger.events if stored[m] == 1 and ids[m] != ledger.events[m]]
    unacked = [m for m in stored if m not in ledger.events]
    found = {(v, s): n for v, s, n in counts}
    lost = [pair for pair in ledger.checkins if found.get(pair, 0) == 0]
    twice = [pair for pair in ledger.checkins if found.get(pair, 0) > 1]
    ok = not (missing or doubled or wrong_id or lost or twice or ledger.replay_mismatches)
    events_once = len(ledger.events) - len(missing) - len(doubled) - len(wrong_id)
    checkins_once = len(ledger.checkins) - len(lost) - len(twice)
    resends = ledger.replay_mismatches
    lines = [
        f"- events acknowledged: {len(ledger.events)}; in the database exactly once: "
        f"{events_once}; missing {len(missing)}, doubled {len(doubled)}, "
        f"other id {len(wrong_id)}; stored without an acknowledgement {len(unacked)}",
        f"- check-ins acknowledged (distinct visit+status): {len(ledger.checkins)}; "
        f"stored exactly once: {checkins_once}; missing {len(lost)}, doubled {len(twice)}",
        f"- resends answered with another event: {len(resends)} {resends[:3]}",
        f"- exactly once: **{'yes' if ok else 'NO'}**",
    ]
    return lines, ok


def header(
    args: argparse.Namespace,
    site: Site,
    roles: list[str],
    started: dt.datetime,
    loads: tuple[tuple[float, float, float], tuple[float, float, float]],
    cpu_s: float,
) -> str:
    """The run's settings and the machine's load average before and after."""
    usable = sum(link.usable for link in site.links)
    before, after = ("/".join(f"{x:.2f}" for x in load) for load in loads)
    return (
        f"## Load run {started:%Y-%m-%d %H:%M} UTC: "
        f"{args.users} users × {args.minutes:g} min against {args.url}\n\n"
        f"- users: {dict(Counter(roles))}; think time {args.think:g} s ±50 %; "
        f"run id `{site.run_id}`\n"
        f"- published plan #{site.plan_id}: {len(site.links)} driver links, "
        f"{usable} usable for check-ins today\n"
        f"- load average (1/5/15 min) before {before}, after {after}; "
        f"this harness used {cpu_s:.1f} CPU-s itself\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean pause between a user's requests, s"
    )
    parser.add_argument("--password", default=os.environ.get("KELILING_BENCH_PASSWORD", ""))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--zone", default="Asia/Jakarta", help="the region's time zone")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.password or not args.database_url:
        sys.exit("Give --password (demo users) and --database-url (or DATABASE_URL).")
    site = discover(args.url.rstrip("/"), args.password, ZoneInfo(args.zone))
    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)
    stats, ledger, roles = run(site, args.users, args.minutes, args.think, args.seed)
    load_after = os.getloadavg()
    lines, ok = verify(args.database_url, site, ledger)
    times = os.times()
    cpu_s = times.user + times.system  # the harness shares the server's cores
    print(header(args, site, roles, started, (load_before, load_after), cpu_s))
    print(stats.table() + "\n")
    print("\n".join(lines))
    if stats.samples:
        print("\nFirst failures:\n" + "\n".join(f"    {s}" for s in stats.samples[:10]))
    failed = sum(stats.server_errors.values()) + sum(stats.unexpected.values())
    sys.exit(0 if ok and not failed else 1)


if __name__ == "__main__":
    main()
