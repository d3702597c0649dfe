"""The demand pages at size: N survey answers and M logged visits in a temporary SQLite file.

Answers are generated (every question, Kota Banjar's 25 villages) and bulk-inserted, visits are
logged at random stops; then the stored tallies are computed once (what an import or the
migration does) and the pages are timed through the Flask test client as a koordinator: median
of 5 requests after one warm-up. "before" runs the same pages with the every-answer path the
pages used until issue 15 (compute_demand_from_answers, answer_breakdown_from_answers).

    .venv/bin/python bench/demand_size.py                    # 100,000 answers, 2,000 visits
    .venv/bin/python bench/demand_size.py --answers 36600 --append   # and add to RESULTS.md
"""

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "RESULTS.md"
PASSWORD = "kata-sandi-bench-01"  # noqa: S105 - a throw-away database
CHUNK = 5000
UNKNOWN = "32.79.09.9999"


def _answers(rng: random.Random) -> dict[str, Any]:
    return {
        "usia": rng.choice(("anak", "remaja", "dewasa", "lansia")),
        "jenis_kelamin": rng.choice("LP"),
        "pekerjaan": rng.choice(("petani", "pedagang", "irt", "pelajar")),
        "fm": rng.randint(0, 14),
        "dm": rng.randint(0, 150),
        "jb": rng.randint(0, 9),
        "fai": rng.randint(0, 7),
        "dai": rng.randint(0, 200),
        "anggota_perpustakaan": rng.random() < 0.3,
        "waktu_tempuh": rng.choice((None, rng.randint(5, 90))),
        "minat": rng.randint(1, 5),
        "hari": rng.sample(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), rng.randint(0, 3)),
        "waktu": rng.sample(("pagi", "siang", "sore"), rng.randint(0, 2)),
        "topik": rng.sample(("anak", "agama", "pertanian", "kesehatan", "fiksi"), 2),
        "kebutuhan_informasi": None,
    }


def build(path: Path, answers: int, visits: int, seed: int) -> float:
    """Create the database; return the seconds the tallies took to compute."""
    from sqlalchemy import insert
    from sqlmodel import select

    from geodata import load_region
    from planner.demand import refresh_aggregates
    from planner.store import (
        OutreachEvent,
        Stop,
        SurveyBatch,
        SurveyResponse,
        Village,
        create_user,
        install_default_stops,
        install_default_vehicles,
        install_region,
        make_engine,
        migrate,
        session_scope,
    )

    rng = random.Random(seed)
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    pack = load_region("kota_banjar")
    with session_scope(engine) as session:
        region, _ = install_region(session, pack)
        install_default_stops(session, region, pack)
        install_default_vehicles(session, region)
        create_user(session, "koordinator", PASSWORD, "koordinator", "Bench")
        villages = [v for v in session.exec(select(Village.id)) if v]
        stops = [s for s in session.exec(select(Stop.id)) if s]
        batch = SurveyBatch(region_id=region.id or 0, filename="bench.csv", sha256="b" * 64)
        session.add(batch)
        session.flush()
        for start in range(0, answers, CHUNK):
            rows = [
                {
                    "batch_id": batch.id,
                    "village_id": rng.choice(villages),
                    "response_key": f"bench-{index}",
                    "answers": _answers(rng),
                }
                for index in range(start, min(start + CHUNK, answers))
            ]
            session.exec(insert(SurveyResponse), params=rows)
        day = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
        for index in range(visits):
            people = {"L": rng.randint(0, 40), "P": rng.randint(0, 40)}
            session.add(
                OutreachEvent(
                    stop_id=rng.choice(stops),
                    starts_at=day + dt.timedelta(hours=7 * index),
                    event_type="dongeng",
                    attendance={"anak": people},
                )
            )
    started = time.perf_counter()
    with session_scope(engine) as session:
        refresh_aggregates(session)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def _median_ms(get: Callable[[], int], repeat: int) -> tuple[float, int]:
    status = get()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        status = get()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), status


def measure(path: Path, repeat: int, old_path: bool) -> dict[str, tuple[float, int]]:
    """Median milliseconds (and the status) of the demand pages."""
    import web.views.demand as view
    from planner import demand
    from web import create_app

    # The view's own names, swapped for the every-answer path or back.
    vars(view).update(
        compute_demand=demand.compute_demand_from_answers if old_path else demand.compute_demand,
        answer_breakdown=(
            demand.answer_breakdown_from_answers if old_path else demand.answer_breakdown
        ),
    )
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "bench-secret-key-0123456789abcdef",
        }
    )
    client = app.test_client()
    client.post("/login", data={"username": "koordinator", "password": PASSWORD})
    with app.app_context():
        from web.db import get_session

        code = demand.compute_demand(get_session()).villages[3].code
    pages = {
        "/permintaan/": "/permintaan/",
        "/permintaan/<code>": f"/permintaan/{code}",
        "/permintaan/<unknown code>": f"/permintaan/{UNKNOWN}",
    }
    found = {
        label: _median_ms(lambda url=url: client.get(url).status_code, repeat)  # type: ignore[misc]
        for label, url in pages.items()
    }
    app.extensions["keliling.engine"].dispose()
    return found


def report(args: argparse.Namespace, refresh_s: float, rows: dict[str, dict[str, Any]]) -> str:
    command = "    .venv/bin/python bench/demand_size.py" + (
        f" --answers {args.answers} --visits {args.visits}"
    )
    lines = [
        f"### Demand pages at {args.answers:,} answers and {args.visits:,} visits "
        f"({dt.date.today().isoformat()})",
        "",
        f"SQLite (temporary file), Flask test client, koordinator, median of {args.repeat} after"
        f" one warm-up; {platform.python_version()}, {platform.machine()}. Computing every"
        f" village's tally once (import / migration): {refresh_s:.2f} s. Load average at the"
        f" end: {os.getloadavg()[0]:.1f} (other work shared the 2 CPUs).",
        "",
        command,
        "",
        "| page | before (every answer) ms | after (stored tallies) ms | status |",
        "|---|---|---|---|",
    ]
    for page, values in rows.items():
        lines.append(
            f"| `{page}` | {values['before'][0]:,.0f} | {values['after'][0]:,.0f} |"
            f" {values['after'][1]} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--append", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demand.db"
        refresh_s = build(path, args.answers, args.visits, args.seed)
        after = measure(path, args.repeat, old_path=False)
        before = measure(path, args.repeat, old_path=True)
    rows = {page: {"before": before[page], "after": after[page]} for page in after}
    text = report(args, refresh_s, rows)
    print(text)
    if args.append:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write("\n" + text)


if __name__ == "__main__":
    main()
