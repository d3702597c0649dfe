"""Shared pieces of the `keliling` command: errors, the app, the database, output."""

import json
from typing import Any

import click
from flask import Flask
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from geodata import RegionPackError
from planner.core import KelilingError, write_csv
from planner.store import head_revision, schema_revision
from web import create_app
from web.db import EXTENSION_KEY

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
        except OSError as error:  # an unwritable instance folder, a missing file, ...
            where = f" ({error.filename})" if error.filename else ""
            msg = f"Berkas tidak dapat dibuat atau dibaca{where}: {error.strerror or error}"
            raise CommandError(msg) from None
        except SQLAlchemyError as error:
            detail = str(getattr(error, "orig", None) or error).splitlines()[0]
            msg = f"Basis data tidak dapat dipakai: {detail}"
            raise CommandError(msg) from None


def make_app(*, pages: bool = True) -> Flask:
    """The app, configured from the environment like the web server (pages=False: without
    the pages, so a command that only reads and writes the database loads less)."""
    return create_app(pages=pages)


def engine_of(app: Flask) -> Engine:
    """The app's database engine."""
    engine: Engine = app.extensions[EXTENSION_KEY]
    return engine


def ready_engine(app: Flask) -> Engine:
    """The engine, after checking that migrations have been applied."""
    engine = engine_of(app)
    if schema_revision(engine) != head_revision():
        msg = "Basis data belum disiapkan atau belum diperbarui: jalankan 'keliling init' dahulu."
        raise KelilingError(msg)
    return engine


def emit(rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: str) -> None:
    """Print rows as JSON or CSV."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(write_csv(rows, columns), nl=False)


def plan_summary(data: dict[str, Any]) -> str:
    """A plan's result in a few Indonesian lines."""
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
