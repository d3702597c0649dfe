"""`keliling init` and `keliling demo`: all data in one transaction, every new login printed.

Both work from the environment (DATABASE_URL, SECRET_KEY) or the instance config, on SQLite or
PostgreSQL, with or without an instance folder, and can be run again: existing data is kept.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.engine import Engine
from sqlmodel import Session

from geodata import RegionPack, load_region
from planner.core import next_monday
from planner.plans import (
    NoPlanFoundError,
    PlanRequest,
    all_plans,
    plan_and_store,
    plan_json,
    publish_plan,
)
from planner.store import (
    Region,
    active_admins,
    authenticate,
    create_user,
    find_user,
    install_default_stops,
    install_default_vehicles,
    install_region,
    migrate,
    password_problem,
    random_password,
    region_zone,
    session_scope,
)
from planner.survey import (
    describe_import,
    import_survey,
    list_batches,
    synthesize,
    villages_from_pack,
)
from web.cli.common import CommandError, engine_of, make_app, plan_summary

ADMIN = ("admin", "admin", "Admin Perpustakaan")
DEMO_USERS = (
    ADMIN,
    ("koordinator", "koordinator", "Koordinator Layanan Keliling"),
    ("sopir", "sopir", "Sopir Mobil Keliling"),
    ("staf", "staf", "Pustakawan"),
)
DEMO_LOGINS_FILE = "demo-logins.txt"
DEMO_SURVEY_FILE = "survei-sintetis-demo.csv"
DEMO_RESPONDENTS = 600
DEMO_SEED = 2025
DEMO_TIME_LIMIT_S = 10.0
PRIVATE_FILE_MODE = 0o600


@dataclass(frozen=True)
class Login:
    """A username with the password just given to it."""

    username: str
    password: str
    role: str

    def line(self) -> str:
        """The login as printed and kept in the demo logins file."""
        return f"{self.username} / {self.password}  ({self.role})"


@contextmanager
def _os_errors() -> Iterator[None]:
    """Turn a file-system failure (unwritable instance folder, ...) into one Galat line."""
    try:
        yield
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        msg = f"Berkas tidak dapat dibuat atau dibaca{where}: {error.strerror or error}"
        raise CommandError(msg) from None


@contextmanager
def _prepared_app() -> Iterator[tuple[Flask, Engine]]:
    """The app from the environment or instance config, and its migrated database."""
    with _os_errors():
        try:
            app = make_app()
        except RuntimeError as error:  # a placeholder SECRET_KEY is refused
            raise CommandError(str(error)) from None
    engine = engine_of(app)
    try:
        migrate(engine)
        yield app, engine
    finally:
        engine.dispose()


def _check_password_option(password: str | None, usernames: tuple[str, ...]) -> None:
    """Refuse a --password the policy would refuse, before anything is written."""
    for username in usernames if password else ():
        problem = password_problem(password or "", username)
        if problem:
            raise CommandError(problem)


def _install_region(session: Session, slug: str, report: list[str]) -> tuple[Region, RegionPack]:
    pack = load_region(slug)
    region, summary = install_region(session, pack)
    report.append(
        f"Wilayah {region.name}: {summary.villages_created} desa/kelurahan baru, "
        f"{summary.villages_updated} diperbarui."
    )
    return region, pack


def _ensure_admin(session: Session, password: str | None) -> Login | None:
    """Create (or, with a password, reset) 'admin' unless an active admin exists."""
    if password is None and active_admins(session):
        return None
    username, role, full_name = ADMIN
    password = password or random_password()
    create_user(session, username, password, role, full_name)
    return Login(username, password, role)


@click.command()
@click.option("--admin-password", help="Password for the 'admin' user (random if not given).")
def init(admin_password: str | None) -> None:
    """Create or upgrade the database, load the region pack, make sure an admin exists."""
    _check_password_option(admin_password, (ADMIN[0],))
    report: list[str] = []
    with _prepared_app() as (app, engine), session_scope(engine) as session:
        _install_region(session, app.config["REGION"], report)
        login = _ensure_admin(session, admin_password)
        admins = [admin.username for admin in active_admins(session)]
    click.echo("\n".join(report))
    if login is not None:
        click.echo(f"Login admin: {login.username} / {login.password}")
    else:
        click.echo(
            f"Admin aktif sudah ada ({', '.join(admins)}); kata sandinya tidak diubah. "
            f"Lupa? keliling user passwd {admins[0]}"
        )
    click.echo("Basis data siap.")


def _read_logins(path: Path) -> dict[str, str]:
    """username -> password from an earlier demo logins file (empty if there is none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    logins = {}
    for line in text.splitlines():
        username, separator, rest = line.partition(" / ")
        password = rest.rpartition("  (")[0]
        if separator and password:
            logins[username.strip()] = password
    return logins


def _demo_logins(
    session: Session, password: str | None, known: dict[str, str]
) -> tuple[list[Login], list[str], bool]:
    """Create missing demo users; return the logins known to work, the others, whether new."""
    logins, unknown, created = [], [], False
    for username, role, full_name in DEMO_USERS:
        user = find_user(session, username)
        if password or user is None:
            new_password = password or random_password()
            create_user(session, username, new_password, role, full_name)
            logins.append(Login(username, new_password, role))
            created = True
        elif username in known and authenticate(session, username, known[username]):
            logins.append(Login(username, known[username], user.role))
        else:
            unknown.append(username)
    return logins, unknown, created


def _install_demo_data(
    session: Session, region: Region, pack: RegionPack, report: list[str]
) -> None:
    stops = install_default_stops(session, region, pack)
    vehicles = install_default_vehicles(session, region)
    report.append(f"Titik layanan baru: {stops}; kendaraan baru: {vehicles}.")
    if not list_batches(session):
        data = synthesize(villages_from_pack(pack), DEMO_RESPONDENTS, DEMO_SEED)
        result = import_survey(session, region, data, DEMO_SURVEY_FILE)
        report.append(f"Survei demo: {describe_import(result)}")


def _save_logins(path: Path, logins: list[Login]) -> bool:
    """Keep the logins in the instance folder (created if needed); False if it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write("".join(login.line() + "\n" for login in logins))
        path.chmod(PRIVATE_FILE_MODE)
    except OSError as error:
        click.echo(
            f"Catatan: daftar login tidak dapat disimpan di {path} ({error.strerror or error}); "
            "catat dari layar ini."
        )
        return False
    return True


def _print_logins(logins: list[Login], unknown: list[str], saved: Path | None) -> None:
    if logins:
        click.echo("Login demo (peran dalam kurung):")
        click.echo("".join(login.line() + "\n" for login in logins), nl=False)
    if unknown:
        click.echo(
            f"Pengguna yang sudah ada, kata sandinya tidak diubah: {', '.join(unknown)} "
            f"(atur ulang dengan 'keliling user passwd {unknown[0]}')."
        )
    if saved is not None and logins:
        click.echo(f"Daftar login ini juga tersimpan di {saved}.")


@click.command()
@click.option("--password", help="Password for every demo user (random per user if not given).")
@click.option(
    "--plan-seconds",
    default=DEMO_TIME_LIMIT_S,
    show_default=True,
    type=click.FloatRange(0, 600),
    help="Time limit for the demo week's plan (0: do not plan).",
)
def demo(password: str | None, plan_seconds: float) -> None:
    """Init plus demo users, stops, vehicles, a survey and a planned week; keeps existing data."""
    _check_password_option(password, tuple(user[0] for user in DEMO_USERS))
    with _prepared_app() as (app, engine):
        logins_file = Path(app.instance_path) / DEMO_LOGINS_FILE
        known = _read_logins(logins_file)
        report: list[str] = []
        with session_scope(engine) as session:
            region, pack = _install_region(session, app.config["REGION"], report)
            _install_demo_data(session, region, pack, report)
            logins, unknown, created = _demo_logins(session, password, known)
        click.echo("\n".join(report))
        saved = _save_logins(logins_file, logins) if created else logins_file.exists()
        try:
            _plan_demo_week(engine, plan_seconds)
        finally:  # the logins are printed even if planning fails
            _print_logins(logins, unknown, logins_file if saved else None)


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
