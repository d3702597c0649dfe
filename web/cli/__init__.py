"""The `keliling` command: set up the database, load demo data, serve, list and import."""

from pathlib import Path

import click
from flask import Flask
from sqlalchemy.engine import Engine

from geodata import load_region
from planner.core import next_monday
from planner.editing import EXPORT_COLUMNS, import_stops, stop_rows
from planner.plans import (
    NoPlanFoundError,
    PlanRequest,
    all_plans,
    plan_and_store,
    plan_json,
    publish_plan,
)
from planner.store import (
    create_user,
    current_region,
    find_user,
    has_admin,
    install_default_stops,
    install_default_vehicles,
    install_region,
    migrate,
    random_password,
    region_zone,
    session_scope,
    villages_by_code,
)
from planner.survey import (
    describe_import,
    import_survey,
    list_batches,
    synthesize,
    villages_from_pack,
)
from web.cli.backup import backup, restore
from web.cli.common import (
    FORMAT,
    KelilingGroup,
    emit,
    engine_of,
    make_app,
    plan_summary,
    ready_engine,
)
from web.cli.plan import plan, worker
from web.cli.survey import demand, survey
from web.cli.token import token

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


@click.group(cls=KelilingGroup)
def main() -> None:
    """Keliling: route and outreach planner for a mobile library."""


def _init(app: Flask, admin_password: str | None) -> str | None:
    """Migrate, install the region pack, make sure an admin exists; return a new password."""
    engine = engine_of(app)
    migrate(engine)
    pack = load_region(app.config["REGION"])
    with session_scope(engine) as session:
        region, summary = install_region(session, pack)
        click.echo(
            f"Wilayah {region.name}: {summary.villages_created} desa/kelurahan baru, "
            f"{summary.villages_updated} diperbarui."
        )
        if has_admin(session) and not admin_password:
            return None
        password = admin_password or random_password()
        create_user(session, "admin", password, "admin", "Admin Perpustakaan")
        return password


@main.command()
@click.option("--admin-password", help="Password for the 'admin' user (random if not given).")
def init(admin_password: str | None) -> None:
    """Create or upgrade the database and load the region pack."""
    new_password = _init(make_app(), admin_password)
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
    app = make_app()
    _init(app, None)
    logins_file = Path(app.instance_path) / DEMO_LOGINS_FILE
    with session_scope(engine_of(app)) as session:
        region = current_region(session)
        stops = install_default_stops(session, region, load_region(region.slug))
        vehicles = install_default_vehicles(session, region)
        click.echo(f"Titik layanan baru: {stops}; kendaraan baru: {vehicles}.")
        if not list_batches(session):
            pack = load_region(region.slug)
            data = synthesize(villages_from_pack(pack), DEMO_RESPONDENTS, DEMO_SEED)
            result = import_survey(session, region, data, DEMO_SURVEY_FILE)
            click.echo(f"Survei demo: {describe_import(result)}")
        existing = find_user(session, "koordinator")
        if password or existing is None or not logins_file.exists():
            password = password or random_password()
            for username, role, full_name in DEMO_USERS:
                create_user(session, username, password, role, full_name)
            lines = [f"{username} / {password}  ({role})" for username, role, _ in DEMO_USERS]
            logins_file.write_text("\n".join(lines) + "\n")
            logins_file.chmod(0o600)
    _plan_demo_week(engine_of(app), plan_seconds)
    click.echo("Login demo (peran dalam kurung):")
    click.echo(logins_file.read_text(), nl=False)


def _plan_demo_week(engine: Engine, plan_seconds: float) -> None:
    """Plan and publish next week once, so the schedule, dashboard and driver links have data."""
    with session_scope(engine) as session:
        if not plan_seconds or all_plans(session):
            return
        first = next_monday(region_zone(session))
    click.echo(f"Menyusun rencana demo untuk minggu mulai {first} ({plan_seconds:g} dtk)...")
    try:
        stored = plan_and_store(engine, PlanRequest(first, 1, plan_seconds))
    except NoPlanFoundError as error:  # the demo still serves; the planning pages can fix it
        click.echo(f"Galat: {error}", err=True)
        return
    assert stored is not None
    with session_scope(engine) as session:
        click.echo(plan_summary(plan_json(session, stored.plan_id)))
        publish_plan(session, stored.plan_id)
    plan_id = stored.plan_id
    click.echo(f"Rencana #{plan_id} diterbitkan. Tautan sopir: keliling plan publish {plan_id}")


@main.command()
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(port: int, host: str) -> None:
    """Serve the web app (use gunicorn, see Procfile, in production)."""
    app = make_app()
    ready_engine(app)
    click.echo(f"Keliling berjalan di http://{host}:{port}/ (Ctrl+C untuk berhenti)")
    app.run(host=host, port=port, debug=False, threaded=True)


@main.command()
@click.option("--format", "fmt", type=FORMAT, default="json", show_default=True)
def villages(fmt: str) -> None:
    """List the villages with codes and population."""
    engine = ready_engine(make_app())
    with session_scope(engine) as session:
        rows = [
            {column: getattr(village, column) for column in VILLAGE_COLUMNS}
            for village in villages_by_code(session)
        ]
    emit(rows, VILLAGE_COLUMNS, fmt)


@main.group(invoke_without_command=True)
@click.option("--format", "fmt", type=FORMAT, default="json", show_default=True)
@click.pass_context
def stops(ctx: click.Context, fmt: str) -> None:
    """List the stops, or import them with 'keliling stops import FILE'."""
    if ctx.invoked_subcommand is not None:
        return
    engine = ready_engine(make_app())
    with session_scope(engine) as session:
        rows = stop_rows(session)
    emit(rows, EXPORT_COLUMNS, fmt)


@stops.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def stops_import(file: Path) -> None:
    """Create or update stops from a CSV file (all rows or none)."""
    engine = ready_engine(make_app())
    with session_scope(engine) as session:
        summary = import_stops(session, current_region(session), file.read_bytes())
    click.echo(f"{summary.created} titik layanan baru, {summary.updated} diperbarui.")


main.add_command(survey)
main.add_command(demand)
main.add_command(plan)
main.add_command(worker)
main.add_command(token)
main.add_command(backup)
main.add_command(restore)
