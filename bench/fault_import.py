"""bench/faults.py's kill9-import: kill -9 of `keliling worker` while it imports an uploaded
survey file in the background; the import must read failed with a reason within two minutes,
store nothing, and the same file must import once a worker runs again."""

import argparse
import secrets
import time
from urllib.parse import urlsplit

from faultkit import Coordinator, Stack, start_redis
from loadkit import csrf_token
from survey_import import generate  # bench/survey_import.py: a Kobo-shaped CSV export

STALE_BOUND_S = 120
Result = tuple[str, bool, str]


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with the fields and one file; (body, content type)."""
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    )
    parts += [head.encode() + data + b"\r\n", f"--{boundary}--\r\n".encode()]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def answers_stored(database_url: str) -> int:
    """Survey answers (respondents) in the database."""
    from sqlalchemy import create_engine, func
    from sqlmodel import Session, select

    from planner.store import SurveyResponse

    engine = create_engine(database_url)
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(SurveyResponse)).one()
    engine.dispose()
    return int(count)


def _upload(boss: Coordinator, data: bytes) -> str:
    """POST the file on the survey page; the import job's path."""
    page = boss.client.request("survey", "GET", "/survei/")
    body = multipart({"csrf_token": csrf_token(page.text if page else "")}, "bench.csv", data)
    answer = boss.client.request("upload", "POST", "/survei/", (302,), raw=body)
    assert answer is not None and answer.status == 302, answer
    return urlsplit(answer.location).path


def _wait(
    boss: Coordinator, path: str, done: tuple[str, ...], timeout_s: float
) -> tuple[dict[str, object], float]:
    started = time.monotonic()
    while True:
        answer = boss.client.request("import", "GET", path + ".json")
        status = answer.json() if answer is not None else None
        status = status if isinstance(status, dict) else {}
        writing = status.get("status") == "running" and int(str(status.get("rows_done") or 0)) > 0
        if status.get("status") in done or ("writing" in done and writing):
            return status, time.monotonic() - started
        if time.monotonic() - started > timeout_s:
            return status, time.monotonic() - started
        time.sleep(0.5)


def kill9_import(stack: Stack, args: argparse.Namespace) -> Result:
    """Upload a large export, kill the worker once rows are being written, then import again."""
    start_redis(args.redis_port)
    stack.start_web(redis=True)
    stack.start_worker()
    boss = Coordinator.login(stack.url, args.password)
    before = answers_stored(args.database_url)
    data = generate(args.import_rows, "kobo")
    path = _upload(boss, data)
    writing, _s = _wait(boss, path, ("writing", "done", "failed"), 180)
    stack.kill_worker()
    ended, waited = _wait(boss, path, ("failed", "done"), STALE_BOUND_S + 60)
    after_kill = answers_stored(args.database_url)
    stack.start_worker()
    again, took = _wait(boss, _upload(boss, data), ("done", "failed"), 600)
    after = answers_stored(args.database_url)
    ok = (
        writing.get("status") == "running"
        and ended.get("status") == "failed"
        and waited <= STALE_BOUND_S
        and after_kill == before
        and again.get("status") == "done"
        and after == before + args.import_rows
    )
    return (
        "kill -9 worker mid survey import",
        ok,
        (
            f"{args.import_rows:,} rows ({len(data) / 1e6:.1f} MB), killed at "
            f"{writing.get('rows_done')} rows written: import read `{ended.get('status')}` "
            f"{waited:.0f} s later: “{ended.get('message')}”; answers stored {before} → "
            f"{after_kill} (nothing kept); the same file on a new worker: `{again.get('status')}` "
            f"in {took:.0f} s, {after - before:,} answers"
        ),
    )
