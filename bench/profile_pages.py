"""Service time of each page type without concurrency (Flask test client, one process), and a
cProfile of the slowest ones: where a page spends its time when load.py says it is slow.

    DATABASE_URL=... KELILING_INSTANCE_PATH=... .venv/bin/python bench/profile_pages.py \\
        --password PW [--repeat 20] [--profile 3] [--top 12]
"""

import argparse
import cProfile
import io
import pstats
import re
import statistics
import sys
import time

from flask.testing import FlaskClient

VILLAGE = re.compile(r'href="/jadwal/desa/([0-9.]+)"')
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def login(client: FlaskClient, username: str, password: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = TOKEN.search(page)
    form = {
        "username": username,
        "password": password,
        "csrf_token": token.group(1) if token else "",
    }
    if client.post("/login", data=form).status_code != 302:
        sys.exit(f"login as {username} failed")


def pages(client: FlaskClient) -> dict[str, str]:
    """Page type -> a path, as bench/load.py names them."""
    plans = client.get("/api/v1/plans").get_json()["items"]
    plan_id = next(p["id"] for p in plans if p["status"] == "published")
    code = VILLAGE.findall(client.get("/jadwal/").get_data(as_text=True))[0]
    return {
        "koordinator: dashboard": "/dasbor/",
        "koordinator: plans": "/rencana/",
        "koordinator: plan page": f"/rencana/{plan_id}",
        "koordinator: demand": "/permintaan/",
        "koordinator: demand village": f"/permintaan/{code}",
        "koordinator: stops": "/titik/",
        "koordinator: reports": "/laporan/",
        "staf: events list": "/kegiatan/",
        "staf: event form": "/kegiatan/baru",
        "anonymous: timetable": "/jadwal/",
        "anonymous: village timetable": f"/jadwal/desa/{code}",
        "anonymous: stop page": "/jadwal/titik/1",
        "anonymous: .ics": "/jadwal/titik/1.ics",
    }


def timed(client: FlaskClient, path: str, repeat: int) -> float:
    """Median milliseconds of `repeat` GETs (after one warm-up)."""
    client.get(path)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        status = client.get(path).status_code
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            sys.exit(f"GET {path} answered {status}")
    return statistics.median(times)


def profile(client: FlaskClient, path: str, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--password", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", type=int, default=3, help="profile the N slowest pages")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    from web import create_app

    app = create_app()
    client = app.test_client()
    login(client, "koordinator", args.password)
    medians = {kind: timed(client, path, args.repeat) for kind, path in pages(client).items()}
    print("| page type | median ms (one at a time) |\n|---|---:|")
    for kind, ms in sorted(medians.items(), key=lambda item: -item[1]):
        print(f"| {kind} | {ms:.0f} |")
    paths = pages(client)
    for kind, _ms in sorted(medians.items(), key=lambda item: -item[1])[: args.profile]:
        print(f"\n### {kind} ({paths[kind]})\n```\n{profile(client, paths[kind], args.top)}```")


if __name__ == "__main__":
    main()
