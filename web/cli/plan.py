"""`keliling plan ...` (plan, validate, export, publish) and `keliling worker`."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker
from sqlmodel import Session

from planner.calendar import period_days_off
from planner.core import KelilingError, next_monday
from planner.exports import EXPORT_FORMATS, export_plan, safe_filename
from planner.plans import (
    PlanRequest,
    build_problem,
    driver_token,
    driver_url,
    plan_and_store,
    plan_from_json,
    plan_json,
    publish_plan,
    region_provider,
)
from planner.routing import validate
from planner.store import region_zone, session_scope
from planner.travel import CachedProvider, TravelProvider, provider_from_config
from web.cli.common import make_app, plan_summary, ready_engine
from web.jobs import (
    QUEUE_NAME,
    REDIS_CONNECT_TIMEOUT_S,
    RedisRunner,
    bind_worker,
    stale_after_s,
    start_recovery,
)
from web.logs import AUDIT

# Driver links without KELILING_BASE_URL or --base-url: the development server (`keliling serve`).
LOCAL_BASE_URL = "http://127.0.0.1:5000"


def _provider(
    app: Flask, name: str, osm_file: Path | None, osrm_url: str | None
) -> TravelProvider | None:
    if name == "estimate":
        return None
    inner = provider_from_config(name, osm_path=osm_file, osrm_url=osrm_url)
    return CachedProvider(inner, app.config["REGION"], Path(app.instance_path) / "matrix-cache")


@click.group(invoke_without_command=True)
@click.option(
    "--start", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day (default: next Monday)."
)
@click.option("--weeks", default=1, show_default=True, type=click.IntRange(1, 4))
@click.option("--time-limit", default=10.0, show_default=True, type=click.FloatRange(1, 3600))
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the plan JSON here."
)
@click.option(
    "--provider",
    type=click.Choice(["estimate", "osm", "osrm"]),
    help="Travel times (default: the region's setting on the Waktu tempuh page).",
)
@click.option("--osm-file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--osrm-url")
@click.option(
    "--holiday",
    multiple=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="A day off besides holidays, cuti bersama and closed days (skipped anyway); repeatable.",
)
@click.pass_context
def plan(
    ctx: click.Context,
    start: dt.datetime | None,
    weeks: int,
    time_limit: float,
    out: Path | None,
    provider: str | None,
    osm_file: Path | None,
    osrm_url: str | None,
    holiday: tuple[dt.datetime, ...],
) -> None:
    """Plan routes for 1-4 weeks and store them as a draft (the published plan is untouched)."""
    if ctx.invoked_subcommand is not None:
        return
    app = make_app()
    engine = ready_engine(app)
    with session_scope(engine) as session:
        first = start.date() if start else next_monday(region_zone(session))
        days_off = period_days_off(session, first, weeks)
        travel = (
            _provider(app, provider, osm_file, osrm_url)
            if provider
            else region_provider(session, Path(app.instance_path))
        )
    click.echo(
        f"Menyusun rencana mulai {first} ({weeks} minggu, batas {time_limit:g} dtk)...", err=True
    )
    for day in days_off:
        click.echo(f"Libur, tanpa kunjungan: {day.date} {day.name}", err=True)
    request = PlanRequest(
        first,
        weeks,
        time_limit,
        travel,
        frozenset(h.date() for h in holiday),
        Path(app.instance_path) / "matrix-cache",
    )
    stored = plan_and_store(engine, request)
    assert stored is not None
    with session_scope(engine) as session:
        data = plan_json(session, stored.plan_id)
    if out is not None:
        out.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    click.echo(plan_summary(data))


def _load_plan(session: Session, plan_ref: str) -> dict[str, Any]:
    path = Path(plan_ref)
    if path.is_file():
        try:
            loaded: dict[str, Any] = json.loads(path.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            msg = f"{path} bukan berkas JSON rencana: {error}"
            raise KelilingError(msg) from None
        return loaded
    if not plan_ref.isdigit():
        msg = f"'{plan_ref}' bukan nomor rencana maupun berkas JSON yang ada."
        raise KelilingError(msg)
    return plan_json(session, int(plan_ref))


@plan.command("validate")
@click.argument("plan_ref", metavar="PLAN")
def plan_validate(plan_ref: str) -> None:
    """Check a plan (JSON file or id) against the stops, vehicles and rules in the database."""
    app = make_app()
    engine = ready_engine(app)
    with session_scope(engine) as session:
        data = _load_plan(session, plan_ref)
        try:
            first = dt.date.fromisoformat(data["start"])
            problem, _ = build_problem(session, first, int(data["weeks"]))
            violations = validate(problem, plan_from_json(data, problem))
        except (KeyError, TypeError, ValueError) as error:
            msg = f"berkas rencana tidak lengkap atau rusak ({type(error).__name__}: {error})"
            raise KelilingError(msg) from None
    if violations:
        for violation in violations:
            click.echo(f"- [{violation.code}] {violation.message}", err=True)
        msg = f"Rencana tidak valid: {len(violations)} pelanggaran."
        raise KelilingError(msg)
    visits = sum(len(r["visits"]) for r in data["routes"])
    required = sum(stop.visits for stop in problem.stops)
    if visits == 0 and required > 0:  # no violation, and yet nothing of what was needed
        msg = f"Rencana kosong: tidak satu pun dari {required} kunjungan yang dibutuhkan terjadwal."
        raise KelilingError(msg)
    click.echo(f"Rencana valid: {len(data['routes'])} rute, {visits} kunjungan, tanpa pelanggaran.")


@plan.command("export")
@click.argument("plan_ref", metavar="PLAN")
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
def plan_export(plan_ref: str, fmt: str, out: Path | None) -> None:
    """Export a plan (id or JSON file) as CSV, XLSX, GPX, ICS or GeoJSON."""
    engine = ready_engine(make_app())
    with session_scope(engine) as session:
        data = _load_plan(session, plan_ref)
    target = out or Path(safe_filename(data, fmt))
    target.write_bytes(export_plan(data, fmt))
    click.echo(f"Ditulis: {target}")


@plan.command("publish")
@click.argument("plan_id", type=int)
@click.option(
    "--base-url",
    default=None,
    help=f"Where drivers reach the app [default: KELILING_BASE_URL, else {LOCAL_BASE_URL}].",
)
def plan_publish(plan_id: int, base_url: str | None) -> None:
    """Publish a draft (the previous plan is archived) and print each route's driver link."""
    app = make_app()
    base_url = base_url or app.config.get("BASE_URL") or LOCAL_BASE_URL
    engine = ready_engine(app)
    with session_scope(engine) as session:
        publish_plan(session, plan_id)
        data = plan_json(session, plan_id)
    AUDIT.info("plan published: plan=%s by=cli", plan_id)
    secret = app.config["SECRET_KEY"]
    for route in data["routes"]:
        token = driver_token(route["route_id"], dt.date.fromisoformat(route["date"]), secret)
        click.echo(f"{route['date']} {route['vehicle']} {driver_url(base_url, token)}")


@click.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for tests and cron).")
def worker(burst: bool) -> None:
    """Run planning runs and large survey imports from the Redis queue (needs REDIS_URL)."""
    app = make_app(pages=False)  # jobs need the settings and the database, not the pages
    redis_url = app.config.get("REDIS_URL")
    if not redis_url:
        raise KelilingError("REDIS_URL belum diatur: worker membutuhkan server Redis.")
    engine = ready_engine(app)
    bind_worker(app)
    connection = Redis.from_url(redis_url, socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S)
    try:
        connection.ping()
    except RedisError as error:
        msg = f"Redis tidak dapat dihubungi di {redis_url}: {error}"
        raise KelilingError(msg) from None
    runner = RedisRunner(redis_url)
    runner.recover_all(engine)  # queued jobs that Redis lost while it was down or restarted
    if not burst:
        start_recovery(runner, engine, stale_after_s(app))
    click.echo(f"Worker menunggu tugas perencanaan dan impor survei di {redis_url} ...", err=True)
    Worker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(burst=burst)
