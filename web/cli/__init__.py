"""The `keliling` command: set up the database, load demo data, serve, list and import."""

from pathlib import Path

import click

from planner.editing import EXPORT_COLUMNS, import_stops, stop_rows
from planner.store import current_region, session_scope, villages_by_code
from web.cli.backup import backup, restore
from web.cli.common import (
    FORMAT,
    KelilingGroup,
    emit,
    make_app,
    ready_engine,
)
from web.cli.plan import plan, worker
from web.cli.setup import demo, init
from web.cli.survey import demand, survey
from web.cli.token import token
from web.cli.user import user

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
@click.version_option(package_name="keliling", message="keliling %(version)s")
def main() -> None:
    """Keliling: route and outreach planner for a mobile library."""


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


main.add_command(init)
main.add_command(demo)
main.add_command(user)
main.add_command(survey)
main.add_command(demand)
main.add_command(plan)
main.add_command(worker)
main.add_command(token)
main.add_command(backup)
main.add_command(restore)
