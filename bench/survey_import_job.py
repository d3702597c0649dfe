"""Survey import at size as a background job: the web process's import thread, and the worker.

The same generated export as bench/survey_import.py, imported as an upload job in a child
process: `web` builds the whole app (every page, as gunicorn does) and runs the job on the app's
import thread; `worker` builds the app as `keliling worker` does (no pages) and runs the RQ task
`web.survey_jobs.run_queued_import` in the process (what the work horse runs). The parent
measures the child's wall time and peak memory (ru_maxrss) and counts the stored rows.

    .venv/bin/python bench/survey_import_job.py --rows 100000 --shape kobo
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from survey_import import POSTGRES_SERVER, _count, _run, generate  # noqa: E402

CHILD = """
import resource, sys, time
from pathlib import Path
from web import create_app
from web import jobs, survey_jobs
from web.db import EXTENSION_KEY
from planner.store import session_scope
from planner.survey import create_import_job, run_import_job, save_upload, upload_dir

mode, path = sys.argv[1], Path(sys.argv[2])
app = create_app(pages=mode == "web")
engine = app.extensions[EXTENSION_KEY]
print(f"start_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}")
started = time.perf_counter()
directory = upload_dir(Path(app.instance_path))
data = path.read_bytes()
name = save_upload(directory, data)
with session_scope(engine) as session:
    job_id = create_import_job(session, path.name, name, len(data), overlap="add").id
del data
if mode == "web":
    executor = app.extensions[survey_jobs.EXTENSION_KEY]
    executor.submit(run_import_job, engine, job_id, directory, 10.0).result()
else:
    jobs.bind_worker(app)
    survey_jobs.run_queued_import(job_id)
with session_scope(engine) as session:
    from planner.store import SurveyImportJob
    job = session.get(SurveyImportJob, job_id)
    print(f"status={job.status} message={job.message!r}")
print(f"import_s={time.perf_counter() - started:.2f}")
"""


def measure(database: str, data_file: Path, rows: int, mode: str) -> dict[str, object]:
    """A fresh database, one import job in a child process, its time, memory and rows."""
    with tempfile.TemporaryDirectory(prefix="keliling-bench-") as instance:
        if database == "sqlite":
            url = f"sqlite:///{Path(instance) / 'bench.db'}"
        else:
            name = f"keliling_bench_job_{os.getpid()}"
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
            url = f"{POSTGRES_SERVER}/{name}"
        try:
            _run(url, instance, ["-c", "from web.cli import main; main(['init'])"])
            wall, peak_kb, output = _run(url, instance, ["-c", CHILD, mode, str(data_file)])
            stored = _count(url)
        finally:
            if database == "postgresql":
                subprocess.run(
                    ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=True
                )
    values = dict(line.split("=", 1) for line in output.splitlines() if "=" in line)
    if stored != rows or not values.get("status", "").startswith("done"):
        raise SystemExit(f"{database} {mode}: {stored} rows stored, expected {rows}\n{output}")
    return {"database": database, "path": mode, "wall_s": round(wall, 2),
            "import_s": float(values["import_s"]), "start_mb": int(values["start_mb"]),
            "peak_mb": round(peak_kb / 1024), "stored": stored,
            "load_1min": round(os.getloadavg()[0], 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--shape", choices=["kobo", "short"], default="kobo")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--paths", nargs="+", default=["web", "worker"])
    args = parser.parse_args()
    data = generate(args.rows, args.shape)
    with tempfile.TemporaryDirectory(prefix="keliling-bench-data-") as folder:
        data_file = Path(folder) / f"survei-{args.rows}.csv"
        data_file.write_bytes(data)
        print(f"{args.rows:,} {args.shape} rows, {len(data) / 1e6:.1f} MB")
        for database in args.databases:
            for mode in args.paths:
                print(json.dumps(measure(database, data_file, args.rows, mode)))


if __name__ == "__main__":
    main()
