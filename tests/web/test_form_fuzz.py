"""Malformed input in any form field is a form error in Bahasa Indonesia, never a server error.

The app's pages are walked by their links (as admin, then anonymously); every <form> found is
submitted with its own values and one field at a time replaced by letters, `nan`, `inf`, a huge
number, a NUL character, an empty value (and, in a date field, year 1 and year 9999).
"""

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from werkzeug.datastructures import MultiDict

from geodata import load_region
from planner.plans import build_problem, publish_plan, store_plan
from planner.store import (
    OutreachEvent,
    create_user,
    install_default_stops,
    install_default_vehicles,
    install_region,
    make_engine,
    session_scope,
    utcnow,
)
from tests.conftest import DEMO_PASSWORD, ROLES
from tests.factories import TODAY, solved_once
from tests.web.form_crawl import FoundForm, crawl

HUGE = str(10**30)
PAYLOADS = ("abc", "nan", "inf", HUGE, "a\x00b", "")
DATE_PAYLOADS = ("0001-01-01", "9999-12-31")
MONTH_PAYLOADS = ("0001-01", "9999-12")
# Only what PostgreSQL refuses where SQLite stores it: integers beyond 32 bits, NUL in text.
POSTGRES_PAYLOADS = (HUGE, str(2**31), "a\x00b")
# Seen first, so that these pages stand for their routes: the draft plan (its forms are the
# re-plan ones), another user than the one fuzzing (a new password would log it out).
ADMIN_SEEDS = ("/rencana/2", "/pengguna/2", "/kegiatan/1", "/", "/akun/kata-sandi", "/hari-libur/")
PUBLIC_SEEDS = ("/jadwal/", "/login")
# Visible problems: a field's error, a flash message, or the error page.
PROBLEM_MARKERS = ('class="field-error"', 'class="flash error"', "error-page", 'role="alert"')
STRONG_PASSWORD = "rak-buku-keliling-2026"
# What a user types into a new record's empty fields, so that one malformed field at a time
# reaches as far as the view goes (storing included).
SAMPLES = {
    "date": (TODAY + dt.timedelta(days=3)).isoformat(),
    "reason": "Rapat dinas",
    "village": "32.79.01.1001",  # Banjar, where this point lies
    "lat": "-7.3700",
    "lon": "108.5400",
    "name": "Titik Uji",
    "service_minutes": "45",
    "username": "penguji",
    "full_name": "Penguji Formulir",
    "password": STRONG_PASSWORD,
    "current_password": DEMO_PASSWORD,
    "new_password": STRONG_PASSWORD,
    "confirm": STRONG_PASSWORD,
    "q": "Banjar",
}
# The last guard's page (web/errors.py): right for a hidden field, but a typed one deserves
# its form back with the problem marked.
UNSTORABLE = "tidak dapat disimpan"
# Actions that end the fuzzing session or need no field.
SKIPPED_ACTIONS = re.compile(r"/logout$")


def _plan_twice(engine: Engine) -> None:
    """A published plan (#1) and the same week as a draft (#2), solved once."""
    with session_scope(engine) as session:
        problem, context = build_problem(session, TODAY, 1)
        solved = solved_once(problem)
        published = store_plan(session, problem, solved, context, 1)
        assert published.id is not None
        publish_plan(session, published.id)
        store_plan(session, problem, solved, context, 1)
        session.add(
            OutreachEvent(
                stop_id=1, starts_at=utcnow(), event_type="dongeng", librarians=["Siti Aminah"]
            )
        )


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published plan, a draft and an event (planned once)."""
    path = tmp_path_factory.mktemp("fuzz") / "planned.db"
    shutil.copyfile(app_database_template, path)
    engine = make_engine(f"sqlite:///{path}")
    _plan_twice(engine)
    engine.dispose()
    return path


class NoSolver:
    """Planning runs are queued but never solved (a submitted plan form must not start one)."""

    def submit(self, job_id: int, time_limit_s: float) -> None:
        """Forget the job."""


@dataclass(frozen=True)
class Failure:
    """A submission the app answered badly."""

    form: str
    field: str
    payload: str
    answer: str


def _family(name: str) -> str:
    """Fields filled in by one parser share a family: windows-mon..sun, anak_L..lansia_P."""
    name = re.sub(r"-(mon|tue|wed|thu|fri|sat|sun)$", "-day", name)
    name = re.sub(r"^(anak|remaja|dewasa|lansia)_[LP]$", "attendance", name)
    return re.sub(r"\d+", "#", name)


def _payloads(form: FoundForm, name: str, base: tuple[str, ...]) -> tuple[str, ...]:
    value = dict(form.fields).get(name, "")
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return base + DATE_PAYLOADS
    if re.fullmatch(r"\d{4}-\d\d", value):
        return base + MONTH_PAYLOADS
    return base


def _submit(client: FlaskClient, form: FoundForm, data: MultiDict[str, str]) -> tuple[int, str]:
    try:
        if form.method == "GET":
            response = client.get(form.action.split("?")[0], query_string=data)
        else:
            response = client.post(form.action, data=data)
    except Exception as error:  # noqa: BLE001 - a view's exception is what this test looks for
        return 500, repr(error)
    return response.status_code, response.get_data(as_text=True)


def fuzz(
    client: FlaskClient,
    forms: list[FoundForm],
    payloads: tuple[str, ...],
    tried: set[str],
) -> list[Failure]:
    """Submit each form not `tried` yet with each field in turn malformed; the failures.

    A field of a family already tried with every payload in another form (the edit page of a
    record whose new-record form came first) gets one payload, in turn, to keep the test quick.
    """
    failures: list[Failure] = []
    skipped = set(tried)
    done: set[tuple[str, str, str]] = set()
    families: set[tuple[str, str]] = set()
    for found in forms:
        form = found.filled(SAMPLES)
        action = form.action.split("?")[0].removeprefix("http://localhost")
        if SKIPPED_ACTIONS.search(action) or f"{form.method} {action}" in skipped:
            continue
        names = [*form.names(), *(n for n in form.selects if n not in form.names())]
        for name in names:
            family = _family(name)
            if (form.method, action, family) in done:
                continue
            done.add((form.method, action, family))
            tried.add(f"{form.method} {action}")
            chosen = _payloads(form, name, payloads)
            if (form.method, family) in families:
                chosen = (chosen[len(done) % len(chosen)],)
            families.add((form.method, family))
            for payload in chosen:
                status, body = _submit(client, form, MultiDict(form.data(name, payload)))
                if status >= 500:
                    failures.append(Failure(action, name, payload, body[-300:]))
                elif status >= 400 and not any(m in body for m in PROBLEM_MARKERS):
                    failures.append(Failure(action, name, payload, f"{status} without a message"))
                elif UNSTORABLE in body and name in form.typed:
                    failures.append(Failure(action, name, payload, "an error page, not the form"))
    return failures


def report(failures: list[Failure]) -> str:
    """One line per failure."""
    lines = [f"{f.form} {f.field}={f.payload!r}: {f.answer[:200]}" for f in failures]
    return "\n".join([f"{len(failures)} malformed submissions answered badly:", *lines])


def _forms(app: Flask) -> Iterator[tuple[FlaskClient, list[FoundForm]]]:
    """(client, forms) logged in as admin, then anonymous."""
    admin = app.test_client()
    admin.post("/login", data={"username": "admin", "password": DEMO_PASSWORD})
    yield admin, list(crawl(app, admin, ADMIN_SEEDS))
    anonymous = app.test_client()
    yield anonymous, list(crawl(app, anonymous, PUBLIC_SEEDS))


EXPECTED_FORMS = {
    "POST /login",
    "GET /jadwal/terdekat",
    "POST /kegiatan/baru",
    "POST /kegiatan/1",
    "GET /kegiatan/",
    "POST /titik/baru",
    "GET /titik/",
    "POST /kendaraan/baru",
    "POST /rencana/",
    "POST /rencana/2/rencana-ulang",
    "POST /rencana/2/tambah",
    "POST /hari-libur/",
    "POST /pengguna/baru",
    "POST /pengguna/2",
    "POST /akun/kata-sandi",
    "POST /pengaturan/waktu-tempuh",
    "GET /laporan/",
    "GET /permintaan/",
}


def test_no_form_field_gives_a_server_error(app: Flask) -> None:
    app.extensions["keliling.jobs"] = NoSolver()
    failures: list[Failure] = []
    tried: set[str] = set()
    for client, forms in _forms(app):
        failures += fuzz(client, forms, PAYLOADS, tried)
    assert EXPECTED_FORMS - tried == set()
    assert not failures, report(failures)


@pytest.fixture
def postgres_app(
    postgres_database: str,
    postgres_engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Flask]:
    """The app on PostgreSQL with the demo region, one user per role and two plans."""
    from web import create_app

    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with postgres_engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    pack = load_region("kota_banjar")
    with session_scope(postgres_engine) as session:
        installed, _ = install_region(session, pack)
        install_default_stops(session, installed, pack)
        install_default_vehicles(session, installed)
        for role in ROLES:
            create_user(session, role, DEMO_PASSWORD, role, f"Pengguna {role}")
    _plan_twice(postgres_engine)
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path / "instance"))
    flask_app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": postgres_database,
            "SECRET_KEY": "test-secret-key-0123456789abcdef",
        }
    )
    flask_app.extensions["keliling.jobs"] = NoSolver()
    yield flask_app
    flask_app.extensions["keliling.engine"].dispose()


@pytest.mark.postgres
def test_no_form_field_gives_a_server_error_on_postgresql(postgres_app: Flask) -> None:
    failures: list[Failure] = []
    tried: set[str] = set()
    for client, forms in _forms(postgres_app):
        failures += fuzz(client, forms, POSTGRES_PAYLOADS, tried)
    assert not failures, report(failures)
