"""Survey import at size: N generated rows through `keliling survey import`, SQLite and PostgreSQL.

Each import runs in a child process (the CLI code path: read, parse, match, store, commit); the
parent measures its wall time and its peak memory (ru_maxrss from os.wait4), then counts the
stored rows. SQLite uses a temporary file; PostgreSQL a database of its own (createdb), dropped
afterwards. Results are appended to bench/RESULTS.md with the command that produced them.

    .venv/bin/python bench/survey_import.py                      # 100,000 Kobo rows
    .venv/bin/python bench/survey_import.py --rows 300000 --shape short
    .venv/bin/python bench/survey_import.py --rows 100000 --profile   # cProfile of the child
    .venv/bin/python bench/survey_import.py --rows 100000 --phases    # time and memory per phase
"""

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES_SERVER = os.environ.get("KELILING_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
RESULTS = ROOT / "bench" / "RESULTS.md"
QUESTION_COLUMNS = (
    "desa", "usia", "jenis_kelamin", "pekerjaan", "fm", "dm", "jb", "fai", "dai",
    "anggota_perpustakaan", "waktu_tempuh", "minat", "hari", "waktu", "topik",
)  # fmt: skip
# The required questions only: about 32 bytes a row, so 300,000 rows fit under the 10 MiB cap.
SHORT_COLUMNS = ("desa", "usia", "jenis_kelamin", "fm", "dm", "jb", "fai", "dai", "minat")


def _villages() -> list[str]:
    from geodata import load_region

    return [v.code.replace(".", "") for v in load_region("kota_banjar").villages]


def _answers(rng: random.Random, villages: list[str]) -> list[str]:
    return [
        rng.choice(villages),
        rng.choice(("anak", "remaja", "dewasa", "lansia")),
        rng.choice("LP"),
        rng.choice(("petani", "pedagang", "irt", "pelajar")),
        str(rng.randint(0, 14)),
        str(rng.randint(0, 99)),
        str(rng.randint(0, 9)),
        str(rng.randint(0, 7)),
        str(rng.randint(0, 99)),
        rng.choice(("ya", "tidak")),
        str(rng.randint(5, 90)),
        str(rng.randint(1, 5)),
        rng.choice(("senin", "sabtu", "jumat")),
        rng.choice(("pagi", "sore")),
        rng.choice(("agama", "fiksi", "kesehatan")),
    ]


def generate(rows: int, shape: str, seed: int = 14) -> bytes:
    """A Kobo-shaped CSV export (`group/question` columns and `_uuid`), or short rows without
    ids (the required questions only), like the 10 MB file of the issue."""
    rng = random.Random(seed)
    villages = _villages()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if shape == "kobo":
        writer.writerow([f"survei/{c}" for c in QUESTION_COLUMNS] + ["_uuid"])
    else:
        writer.writerow(SHORT_COLUMNS)
    for _row in range(rows):
        answers = _answers(rng, villages)
        if shape == "kobo":
            writer.writerow([*answers, str(uuid.UUID(int=rng.getrandbits(128)))])
        else:
            writer.writerow([answers[QUESTION_COLUMNS.index(c)] for c in SHORT_COLUMNS])
    return out.getvalue().encode("utf-8")


def _run(database_url: str, instance: str, args: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak resident kB (ru_maxrss from os.wait4) and output of one child."""
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="bench-secret-key-0123456789abcdef",  # noqa: S106 - a throwaway database
        KELILING_INSTANCE_PATH=instance,
        PYTHONPATH=str(ROOT),
    )
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, *args], env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"child {args[:3]} failed ({process.returncode}):\n{text}")
    return wall, usage.ru_maxrss, text


CHILD = """
import sys, time
from web.cli import main
started = time.perf_counter()
main(sys.argv[1:], standalone_mode=False)
print(f"import_s={time.perf_counter() - started:.2f}")
"""

PROFILED = """
import cProfile, pstats, sys
from web.cli import main
profile = cProfile.Profile()
profile.runcall(main, sys.argv[1:], standalone_mode=False)
pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
"""

# Each phase of import_survey timed, with the process's peak memory after it (MB).
PHASES = """
import resource, sys, time
import planner.demand
import planner.survey.store as store
from web.cli import main

def timed(owner, name, label):
    inner = getattr(owner, name)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        result = inner(*args, **kwargs)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"{label}: {time.perf_counter() - started:.2f} s, peak {peak} MB")
        return result
    setattr(owner, name, wrapper)

timed(store, "parse_survey", "read+parse")
timed(store, "_plan", "lookups")
timed(store, "write_rows", "write")
timed(planner.demand, "refresh_stale_aggregates", "demand refresh")
print(f"start: peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
main(sys.argv[1:], standalone_mode=False)
"""


def _count(database_url: str) -> int:
    from sqlalchemy import create_engine, text

    from planner.store import normalise_url

    engine = create_engine(normalise_url(database_url))
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM surveyresponse")).scalar_one()
    engine.dispose()
    return int(count)


def measure(database: str, data_file: Path, rows: int, mode: str) -> dict[str, object]:
    """Initialise a fresh database, import the file once through the CLI, measure the child."""
    with tempfile.TemporaryDirectory(prefix="keliling-bench-") as instance:
        if database == "sqlite":
            url = f"sqlite:///{Path(instance) / 'bench.db'}"
        else:
            name = f"keliling_bench_{os.getpid()}"
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
            url = f"{POSTGRES_SERVER}/{name}"
        try:
            _run(url, instance, ["-c", "from web.cli import main; main(['init'])"])
            script = {"profile": PROFILED, "phases": PHASES}.get(mode, CHILD)
            args = ["-c", script, "survey", "import", str(data_file), "--overlap", "add"]
            wall, peak_kb, output = _run(url, instance, args)
            stored = _count(url)
        finally:
            if database == "postgresql":
                subprocess.run(
                    ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=True
                )
    if mode != "time":
        print(output)
    if stored != rows:
        raise SystemExit(f"{database}: {stored} rows stored, expected {rows}\n{output}")
    import_s = next(
        (float(line.split("=")[1]) for line in output.splitlines() if line.startswith("import_s=")),
        None,
    )
    return {"database": database, "wall_s": round(wall, 2), "import_s": import_s,
            "peak_mb": round(peak_kb / 1024), "stored": stored,
            "load_1min": round(os.getloadavg()[0], 1)}  # fmt: skip


def _append(results: list[dict[str, object]], rows: int, shape: str, size: int) -> None:
    command = "    .venv/bin/python " + " ".join(sys.argv).replace(str(ROOT) + "/", "")
    lines = [
        "",
        f"### Survey import: {rows:,} {shape} rows ({size / 1e6:.1f} MB), "
        f"{dt.date.today().isoformat()}",
        "",
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. Wall = the whole CLI "
        "process (start-up, read, parse, match, store, commit); import = inside the command; "
        "peak = the process's ru_maxrss. Target for 100,000 rows: < 20 s and < 300 MB.",
        "",
        command.strip().join(["```sh\n", "\n```"]),
        "",
        "| database | rows stored | wall s | import s | peak MB | load (1 min) after |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['stored']:,} | {r['wall_s']} | {r['import_s']} | "
            f"{r['peak_mb']} | {r['load_1min']} |"
        )
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--shape", choices=["kobo", "short"], default="kobo")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--profile", action="store_true", help="print the child's cProfile")
    parser.add_argument("--phases", action="store_true", help="time each phase in the child")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    data = generate(args.rows, args.shape)
    results = []
    with tempfile.TemporaryDirectory(prefix="keliling-bench-data-") as folder:
        data_file = Path(folder) / f"survei-{args.rows}.csv"
        data_file.write_bytes(data)
        print(f"{args.rows:,} {args.shape} rows, {len(data) / 1e6:.1f} MB")
        for database in args.databases:
            mode = "profile" if args.profile else "phases" if args.phases else "time"
            result = measure(database, data_file, args.rows, mode)
            print(json.dumps(result))
            results.append(result)
    if not (args.no_record or args.profile or args.phases):
        _append(results, args.rows, args.shape, len(data))


if __name__ == "__main__":
    main()
