"""The `keliling` command: set up the database, load demo data, serve, list and import."""

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask import Flask
from redis import Redis
from rq import Queue, Worker
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from geodata import RegionPackError, load_region
from planner.db import head_revision, migrate, schema_revision, session_scope
from planner.demand_data import DEMAND_CSV_COLUMNS, compute_demand, demand_csv_row
from planner.demand_inputs import DemandParams
from planner.errors import KelilingError
from planner.exports import EXPORT_FORMATS, export_plan, safe_filename
from planner.models import Plan as PlanRow
from planner.models import Region, User, Village
from planner.plan_store import plan_from_json, plan_json, store_plan
from planner.planning import build_problem
from planner.problem import SolveParams
from planner.publishing import publish_plan
from planner.regions import install_default_stops, install_default_vehicles, install_region
from planner.solver import solve
from planner.stops import EXPORT_COLUMNS, import_stops, stop_rows
from planner.survey.store import describe_import, import_survey, list_batches
from planner.survey.synth import synthesize, villages_from_pack
from planner.survey.template import blank_sheet_csv, blank_sheet_xlsx, xlsform_bytes
from planner.tabular import write_csv
from planner.travel import CachedProvider, TravelProvider, provider_from_config
from planner.validator import validate
from web import create_app
from web.accounts import create_user, random_password
from web.db import EXTENSION_KEY
from web.driver_links import driver_token, driver_url
from web.jobs import QUEUE_NAME

DEMO_USERS = (
    ("admin", "admin", "Admin Perpustakaan"),
    ("koordinator", "koordinator", "Koordinator Layanan Keliling"),
    ("sopir", "sopir", "Sopir Mobil Keliling"),
    ("staf", "staf", "Pustakawan"),
)
DEMO_LOGINS_FILE = "demo-logins.txt"
DEMO_SURVEY_FILE = "survei-sintetis-demo.csv"
DEMO_RESPONDENTS = 600
DEMO_SEED = 2025
DEMO_TIME_LIMIT_S = 10.0
VILLAGE_COLUMNS = (
    "code",
    "name",
    "kind",
    "kecamatan_code",
    "kecamatan",
    "population_2010",
    "population_estimate",
    "area_km2",
    "inside_lat",
    "inside_lon",
)
FORMAT = click.Choice(["json", "csv"])


class CommandError(click.ClickException):
    """An error shown as one line prefixed 'Galat:' (no traceback)."""

    def show(self, file: Any = None) -> None:
        click.echo(f"Galat: {self.format_message()}", err=True)


class KelilingGroup(click.Group):
    """A command group that turns known errors into one sentence and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (KelilingError, RegionPackError) as error:
            raise CommandError(str(error)) from None
        except SQLAlchemyError as error:
            detail = str(getattr(error, "orig", None) or error).splitlines()[0]
            msg = f"Basis data tidak dapat dipakai: {detail}"
            raise CommandError(msg) from None


def _app() -> Flask:
    return create_app()


def _engine(app: Flask) -> Engine:
    engine: Engine = app.extensions[EXTENSION_KEY]
    return engine


def _ready_engine(app: Flask) -> Engine:
    """The engine, after checking that migrations have been applied."""
    engine = _engine(app)
    if schema_revision(engine) != head_revision():
        msg = "Basis data belum disiapkan atau belum diperbarui: jalankan 'keliling init' dahulu."
        raise KelilingError(msg)
    return engine


def _region(session: Session) -> Region:
    region = session.exec(select(Region)).first()
    if region is None:
        msg = "Belum ada wilayah di basis data: jalankan 'keliling init' dahulu."
        raise KelilingError(msg)
    return region


def _emit(rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(write_csv(rows, columns), nl=False)


@click.group(cls=KelilingGroup)
def main() -> None:
    """Keliling: route and outreach planner for a mobile library."""


def _init(app: Flask, admin_password: str | None) -> str | None:
    """Migrate, install the region pack, make sure an admin exists; return a new password."""
    engine = _engine(app)
    migrate(engine)
    pack = load_region(app.config["REGION"])
    with session_scope(engine) as session:
        region, summary = install_region(session, pack)
        click.echo(
            f"Wilayah {region.name}: {summary.villages_created} desa/kelurahan baru, "
            f"{summary.villages_updated} diperbarui."
        )
        has_admin = session.exec(select(User).where(User.role == "admin")).first()
        if has_admin and not admin_password:
            return None
        password = admin_password or random_password()
        create_user(session, "admin", password, "admin", "Admin Perpustakaan")
        return password


@main.command()
@click.option("--admin-password", help="Password for the 'admin' user (random if not given).")
def init(admin_password: str | None) -> None:
    """Create or upgrade the database and load the region pack."""
    new_password = _init(_app(), admin_password)
    if new_password:
        click.echo(f"Login admin: admin / {new_password}")
    click.echo("Basis data siap.")


@main.command()
@click.option("--password", help="Password for every demo user (random if not given).")
@click.option(
    "--plan-seconds",
    default=DEMO_TIME_LIMIT_S,
    show_default=True,
    type=click.FloatRange(0, 600),
    help="Time limit for the demo week's plan (0: do not plan).",
)
def demo(password: str | None, plan_seconds: float) -> None:
    """Init plus demo users, default stops and vehicles; keeps existing data."""
    app = _app()
    _init(app, None)
    logins_file = Path(app.instance_path) / DEMO_LOGINS_FILE
    with session_scope(_engine(app)) as session:
        region = _region(session)
        stops = install_default_stops(session, region, load_region(region.slug))
        vehicles = install_default_vehicles(session, region)
        click.echo(f"Titik layanan baru: {stops}; kendaraan baru: {vehicles}.")
        if not list_batches(session):
            pack = load_region(region.slug)
            data = synthesize(villages_from_pack(pack), DEMO_RESPONDENTS, DEMO_SEED)
            result = import_survey(session, region, data, DEMO_SURVEY_FILE)
            click.echo(f"Survei demo: {describe_import(result)}")
        existing = session.exec(select(User).where(User.username == "koordinator")).first()
        if password or existing is None or not logins_file.exists():
            password = password or random_password()
            for username, role, full_name in DEMO_USERS:
                create_user(session, username, password, role, full_name)
            lines = [f"{username} / {password}  ({role})" for username, role, _ in DEMO_USERS]
            logins_file.write_text("\n".join(lines) + "\n")
            logins_file.chmod(0o600)
    with session_scope(_engine(app)) as session:
        if plan_seconds and session.exec(select(PlanRow)).first() is None:
            first = _next_monday()
            click.echo(
                f"Menyusun rencana demo untuk minggu mulai {first} ({plan_seconds:g} dtk)..."
            )
            problem, context = build_problem(session, first, 1)
            result = solve(problem, SolveParams(time_limit_s=plan_seconds))
            row = store_plan(session, problem, result, context, plan_seconds)
            assert row.id is not None
            click.echo(_plan_summary(plan_json(session, row.id)))
    click.echo("Login demo (peran dalam kurung):")
    click.echo(logins_file.read_text(), nl=False)


@main.command()
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(port: int, host: str) -> None:
    """Serve the web app (use gunicorn, see Procfile, in production)."""
    app = _app()
    _ready_engine(app)
    click.echo(f"Keliling berjalan di http://{host}:{port}/ (Ctrl+C untuk berhenti)")
    app.run(host=host, port=port, debug=False, threaded=True)


@main.command()
@click.option("--format", "fmt", type=FORMAT, default="json", show_default=True)
def villages(fmt: str) -> None:
    """List the villages with codes and population."""
    engine = _ready_engine(_app())
    with session_scope(engine) as session:
        rows = [
            {column: getattr(village, column) for column in VILLAGE_COLUMNS}
            for village in session.exec(select(Village).order_by(Village.code))
        ]
    _emit(rows, VILLAGE_COLUMNS, fmt)


@main.group(invoke_without_command=True)
@click.option("--format", "fmt", type=FORMAT, default="json", show_default=True)
@click.pass_context
def stops(ctx: click.Context, fmt: str) -> None:
    """List the stops, or import them with 'keliling stops import FILE'."""
    if ctx.invoked_subcommand is not None:
        return
    engine = _ready_engine(_app())
    with session_scope(engine) as session:
        rows = stop_rows(session)
    _emit(rows, EXPORT_COLUMNS, fmt)


@stops.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def stops_import(file: Path) -> None:
    """Create or update stops from a CSV file (all rows or none)."""
    engine = _ready_engine(_app())
    with session_scope(engine) as session:
        summary = import_stops(session, _region(session), file.read_bytes())
    click.echo(f"{summary.created} titik layanan baru, {summary.updated} diperbarui.")


@main.group()
def survey() -> None:
    """The community survey: questionnaire, import, synthetic demo data."""


@survey.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsform", "xlsx", "csv"]),
    default="xlsform",
    show_default=True,
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def template(fmt: str, out: Path) -> None:
    """Write the questionnaire as an XLSForm, or a blank XLSX/CSV answer sheet."""
    pack = load_region(_app().config["REGION"])
    villages = [(v.code, v.name) for v in pack.villages]
    if fmt == "xlsform":
        title = f"Survei Kebutuhan Informasi Masyarakat — {pack.name}"
        out.write_bytes(xlsform_bytes(villages, title))
    elif fmt == "xlsx":
        out.write_bytes(blank_sheet_xlsx(villages))
    else:
        out.write_bytes(blank_sheet_csv())
    click.echo(f"Ditulis: {out}")


@survey.command()
@click.option("--respondents", default=600, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--seed", default=2025, show_default=True, type=int)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def synth(respondents: int, seed: int, out: Path) -> None:
    """Write a synthetic survey export (labelled synthetic) for demos and tests."""
    pack = load_region(_app().config["REGION"])
    out.write_bytes(synthesize(villages_from_pack(pack), respondents, seed))
    click.echo(f"Survei SINTETIS ({respondents} responden, seed {seed}) ditulis ke {out}")


@survey.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report, store nothing.")
def survey_import(file: Path, dry_run: bool) -> None:
    """Import a survey export (CSV or XLSX): all rows or none."""
    engine = _ready_engine(_app())
    with session_scope(engine) as session:
        result = import_survey(
            session, _region(session), file.read_bytes(), file.name, dry_run=dry_run
        )
    click.echo(describe_import(result))


@survey.command("batches")
def survey_batches() -> None:
    """List imported survey files."""
    engine = _ready_engine(_app())
    with session_scope(engine) as session:
        for batch in list_batches(session):
            label = " [SINTETIS]" if batch.synthetic else ""
            click.echo(
                f"#{batch.id} {batch.imported_at:%Y-%m-%d %H:%M} UTC {batch.filename}: "
                f"{batch.response_count} responden{label}"
            )


@main.command()
@click.option("--format", "fmt", type=FORMAT, default="json", show_default=True)
@click.option("--weeks", default=1, show_default=True, type=click.IntRange(1, 4))
def demand(fmt: str, weeks: int) -> None:
    """Demand per village from the survey (and logged visits), with every factor explained."""
    engine = _ready_engine(_app())
    with session_scope(engine) as session:
        result = compute_demand(session, DemandParams(weeks=weeks))
    report = result.as_dict()
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    rows = [demand_csv_row(village) for village in report["villages"]]
    click.echo(write_csv(rows, DEMAND_CSV_COLUMNS), nl=False)


def _next_monday() -> dt.date:
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def _provider(
    app: Flask, name: str, osm_file: Path | None, osrm_url: str | None
) -> TravelProvider | None:
    if name == "estimate":
        return None
    inner = provider_from_config(name, osm_path=osm_file, osrm_url=osrm_url)
    return CachedProvider(inner, app.config["REGION"], Path(app.instance_path) / "matrix-cache")


def _plan_summary(data: dict[str, Any]) -> str:
    m = data["metrics"]
    lines = [
        f"Rencana #{data['id']} (draft) mulai {data['start']}, {data['weeks']} minggu — "
        f"{m['routes']} rute, {m['visits_planned']} dari {m['visits_required']} kunjungan, "
        f"{m['total_distance_km']} km, {m['solve_seconds']} dtk. "
        f"Waktu tempuh: {data['provider_label']}."
    ]
    for item in data["unserved"]:
        lines.append(
            f"  tidak terlayani: {item['stop_name']} ({item['visits']}×): {item['reason']}"
        )
    return "\n".join(lines)


@main.group(invoke_without_command=True)
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
    default="estimate",
    show_default=True,
)
@click.option("--osm-file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--osrm-url")
@click.option(
    "--holiday",
    multiple=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="A day off (repeatable).",
)
@click.pass_context
def plan(
    ctx: click.Context,
    start: dt.datetime | None,
    weeks: int,
    time_limit: float,
    out: Path | None,
    provider: str,
    osm_file: Path | None,
    osrm_url: str | None,
    holiday: tuple[dt.datetime, ...],
) -> None:
    """Plan routes for 1-4 weeks and store them as a draft (the published plan is untouched)."""
    if ctx.invoked_subcommand is not None:
        return
    app = _app()
    engine = _ready_engine(app)
    first = start.date() if start else _next_monday()
    click.echo(
        f"Menyusun rencana mulai {first} ({weeks} minggu, batas {time_limit:g} dtk)...", err=True
    )
    with session_scope(engine) as session:
        travel = _provider(app, provider, osm_file, osrm_url)
        cache = Path(app.instance_path) / "matrix-cache"
        problem, context = build_problem(
            session, first, weeks, travel, frozenset(h.date() for h in holiday), cache_dir=cache
        )
        result = solve(problem, SolveParams(time_limit_s=time_limit))
        row = store_plan(session, problem, result, context, time_limit)
        assert row.id is not None
        data = plan_json(session, row.id)
    if out is not None:
        out.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    click.echo(_plan_summary(data))


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
    app = _app()
    engine = _ready_engine(app)
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
    click.echo(f"Rencana valid: {len(data['routes'])} rute, {visits} kunjungan, tanpa pelanggaran.")


@plan.command("export")
@click.argument("plan_ref", metavar="PLAN")
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
def plan_export(plan_ref: str, fmt: str, out: Path | None) -> None:
    """Export a plan (id or JSON file) as CSV, XLSX, GPX, ICS or GeoJSON."""
    engine = _ready_engine(_app())
    with session_scope(engine) as session:
        data = _load_plan(session, plan_ref)
    target = out or Path(safe_filename(data, fmt))
    target.write_bytes(export_plan(data, fmt))
    click.echo(f"Ditulis: {target}")


@plan.command("publish")
@click.argument("plan_id", type=int)
@click.option(
    "--base-url",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="Where drivers reach the app.",
)
def plan_publish(plan_id: int, base_url: str) -> None:
    """Publish a draft (the previous plan is archived) and print each route's driver link."""
    app = _app()
    engine = _ready_engine(app)
    with session_scope(engine) as session:
        publish_plan(session, plan_id)
        data = plan_json(session, plan_id)
    secret = app.config["SECRET_KEY"]
    for route in data["routes"]:
        token = driver_token(route["route_id"], dt.date.fromisoformat(route["date"]), secret)
        click.echo(f"{route['date']} {route['vehicle']} {driver_url(base_url, token)}")


@main.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for tests and cron).")
def worker(burst: bool) -> None:
    """Run planning jobs from the Redis queue (needs REDIS_URL)."""
    app = _app()
    redis_url = app.config.get("REDIS_URL")
    if not redis_url:
        raise KelilingError("REDIS_URL belum diatur: worker membutuhkan server Redis.")
    _ready_engine(app)
    connection = Redis.from_url(redis_url)
    click.echo(f"Worker menunggu tugas perencanaan di {redis_url} ...", err=True)
    Worker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(burst=burst)
