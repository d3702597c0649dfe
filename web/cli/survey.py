"""`keliling survey ...` and `keliling demand`."""

import json
from pathlib import Path
from typing import Literal

import click

from geodata import load_region
from planner.core import write_csv
from planner.demand import DEMAND_CSV_COLUMNS, DemandParams, compute_demand, demand_csv_row
from planner.store import current_region, session_scope
from planner.survey import (
    blank_sheet_csv,
    blank_sheet_xlsx,
    describe_import,
    import_survey,
    list_batches,
    synthesize,
    villages_from_pack,
    xlsform_bytes,
)
from web.cli.common import FORMAT, make_app, ready_engine


@click.group()
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
    pack = load_region(make_app().config["REGION"])
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
    pack = load_region(make_app().config["REGION"])
    out.write_bytes(synthesize(villages_from_pack(pack), respondents, seed))
    click.echo(f"Survei SINTETIS ({respondents} responden, seed {seed}) ditulis ke {out}")


@survey.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report, store nothing.")
@click.option(
    "--overlap",
    type=click.Choice(["ask", "add", "skip"]),
    default="ask",
    show_default=True,
    help="Rows without ids whose answers match earlier ones: ask (store nothing and say so),"
    " add (they are other people) or skip (the same people, already imported).",
)
def survey_import(file: Path, dry_run: bool, overlap: Literal["ask", "add", "skip"]) -> None:
    """Import a survey export (CSV or XLSX): all rows or none."""
    engine = ready_engine(make_app(pages=False))
    with session_scope(engine) as session:
        result = import_survey(
            session,
            current_region(session),
            file.read_bytes(),
            file.name,
            dry_run=dry_run,
            overlap=overlap,
        )
    click.echo(describe_import(result))
    if result.needs_choice and not dry_run:
        click.echo(
            "Jalankan lagi dengan --overlap add (orang lain) atau --overlap skip (orang yang sama)."
        )
        raise click.exceptions.Exit(1)


@survey.command("batches")
def survey_batches() -> None:
    """List imported survey files."""
    engine = ready_engine(make_app())
    with session_scope(engine) as session:
        for batch in list_batches(session):
            label = " [SINTETIS]" if batch.synthetic else ""
            updated = f" ({batch.updated_count} diperbarui)" if batch.updated_count else ""
            click.echo(
                f"#{batch.id} {batch.imported_at:%Y-%m-%d %H:%M} UTC {batch.filename}: "
                f"{batch.response_count} responden{updated}{label}"
            )


@click.command()
@click.option("--format", "fmt", type=FORMAT, default="json", show_default=True)
@click.option("--weeks", default=1, show_default=True, type=click.IntRange(1, 4))
def demand(fmt: str, weeks: int) -> None:
    """Demand per village from the survey (and logged visits), with every factor explained."""
    engine = ready_engine(make_app())
    with session_scope(engine) as session:
        result = compute_demand(session, DemandParams(weeks=weeks))
    report = result.as_dict()
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    rows = [demand_csv_row(village) for village in report["villages"]]
    click.echo(write_csv(rows, DEMAND_CSV_COLUMNS), nl=False)
