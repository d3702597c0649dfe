"""`keliling backup` and `keliling restore`: the database to a file and back."""

import datetime as dt
from pathlib import Path

import click

from planner.store import (
    backup_database,
    backup_target,
    head_revision,
    restore_database,
    schema_revision,
)
from web.cli.common import engine_of, make_app

KIB = 1024
MIB = 1024 * KIB


def human_size(size_bytes: int) -> str:
    """A file size as people read it, with a decimal comma: '2,4 MB', '812 KB'."""
    if size_bytes >= MIB:
        return f"{size_bytes / MIB:.1f} MB".replace(".", ",")
    return f"{max(1, round(size_bytes / KIB))} KB"


@click.command()
@click.option(
    "--output",
    type=click.Path(),
    help="File, or folder ending in '/', for the backup (default: keliling-YYYYMMDD-HHMMSS.*).",
)
def backup(output: str | None) -> None:
    """Write a consistent backup of the database (safe while the app is running)."""
    app = make_app()
    url = engine_of(app).url.render_as_string(hide_password=False)
    written = backup_database(url, backup_target(url, output, dt.datetime.now()))
    click.echo(f"Cadangan basis data ditulis ke {written.path} ({human_size(written.size_bytes)}).")
    click.echo(
        f"Catatan: folder instance {app.instance_path} (kunci rahasia, berkas unggahan) "
        "tidak termasuk; cadangkan juga folder itu."
    )


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore(file: Path, force: bool) -> None:
    """Restore a backup made by 'keliling backup' into an empty database."""
    app = make_app()
    engine = engine_of(app)
    restore_database(engine.url.render_as_string(hide_password=False), file, force=force)
    click.echo(f"Basis data dipulihkan dari {file} ({engine.url.render_as_string()}).")
    try:
        outdated = schema_revision(engine) != head_revision()
    finally:
        engine.dispose()
    if outdated:
        click.echo("Cadangan ini dari versi lama: jalankan 'keliling init' untuk memperbaruinya.")
