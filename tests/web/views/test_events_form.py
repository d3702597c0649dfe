"""Logging and correcting an outreach event: who may, the form, its checks and history."""

import datetime as dt
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from planner.store import EventRevision, User
from tests.conftest import AuthActions
from tests.factories import TODAY
from tests.web.views.events_helpers import (
    XSS,
    _db,
    _events,
    _form,
    _log,
    _stop_id,
    _stop_select,
    planned_copy,
)

URLS = ("/kegiatan/", "/kegiatan/baru", "/kegiatan/hari-ini", "/kegiatan/{id}")
EXPORTS = ("/kegiatan/ekspor.csv", "/kegiatan/ekspor.xlsx")


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


@pytest.fixture
def event_id(app: Flask, client: FlaskClient, auth: AuthActions) -> int:
    auth.login("staf")
    logged = _log(client, _stop_id(app))
    auth.logout()
    return logged


@pytest.mark.parametrize("url", URLS + EXPORTS)
@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("sopir", 403), ("staf", 200), ("koordinator", 200), ("admin", 200)],
)
def test_office_roles_open_the_event_pages(
    client: FlaskClient, auth: AuthActions, event_id: int, url: str, role: str | None, status: int
) -> None:
    if role:
        auth.login(role)
    response = client.get(url.format(id=event_id))
    assert response.status_code == status
    if role is None:
        assert "/login" in response.headers["Location"]


# A form sent while logged out is answered with the login form (401), keeping what was typed.
@pytest.mark.parametrize(("role", "status"), [(None, 401), ("sopir", 403)])
def test_others_cannot_log_or_change_events(
    app: Flask, client: FlaskClient, auth: AuthActions, event_id: int, role: str | None, status: int
) -> None:
    if role:
        auth.login(role)
    form = _form(_stop_id(app), anak_L="50")
    assert client.post("/kegiatan/baru", data=form).status_code == status
    assert client.post(f"/kegiatan/{event_id}", data=form).status_code == status
    [event] = _events(app)
    assert event.attendance["anak"]["L"] == 5


def test_posts_without_a_csrf_token_are_refused(
    app: Flask, client: FlaskClient, auth: AuthActions, event_id: int
) -> None:
    auth.login("staf")
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/kegiatan/baru").get_data(as_text=True)
    assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', page)
    form = _form(_stop_id(app), anak_L="50")
    assert client.post("/kegiatan/baru", data=form).status_code == 400
    assert client.post(f"/kegiatan/{event_id}", data=form).status_code == 400
    [event] = _events(app)
    assert event.attendance["anak"]["L"] == 5


def test_blank_form_starts_now_with_the_user_as_librarian(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("staf")
    page = client.get("/kegiatan/baru").get_data(as_text=True)
    assert f'type="date" value="{TODAY.isoformat()}"' in page
    assert 'name="librarians" type="text" value="Pengguna staf"' in page
    assert '<option value="">Pilih titik layanan</option>' in page
    assert '<optgroup label="Balokang">' in page and " selected>" not in _stop_select(page)
    assert page.count('inputmode="numeric"') == 8 + 2 + 5  # attendance, books/members, scores
    assert "Laki-laki" in page and "Lansia" in page and "5 – sangat puas" in page


def test_staf_logs_an_event_and_finds_it_in_the_list(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("staf")
    event_id = _log(client, _stop_id(app))
    [event] = _events(app)
    assert event.id == event_id and event.event_type == "dongeng"
    assert event.attendance["anak"] == {"L": 5, "P": 7} and event.attendance["remaja"]["P"] == 3
    assert (event.books_lent, event.new_members, event.satisfaction["5"]) == (9, 1, 4)
    assert event.librarians == ["Ani", "Budi"] and event.visit_id is None
    with _db(app) as session:
        staf = session.exec(select(User).where(User.username == "staf")).one()
    assert event.created_by_id == staf.id
    page = client.get("/kegiatan/").get_data(as_text=True)
    assert "Kegiatan di Titik layanan Balokang disimpan: 15 orang." in page
    row = page[page.index(f'id="event-{event_id}"') :].split("</tr>")[0]
    assert f'href="/kegiatan/{event_id}"' in row and "Dongeng" in row and "Balokang" in row


def test_problems_are_explained_and_nothing_is_stored(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("staf")
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    form = _form(_stop_id(app), anak_L="-2", end="07:00", date=future, stop="99999")
    response = client.post("/kegiatan/baru", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Belum disimpan: perbaiki isian yang ditandai di bawah." in page
    assert "Tidak boleh negatif; isi 0 bila tidak ada." in page
    assert "Jam selesai harus setelah jam mulai 08:00." in page
    assert "Tanggal terlalu jauh ke depan" in page
    assert "Pilih titik layanan tempat kegiatan berlangsung." in page
    assert 'value="-2"' in page and 'aria-invalid="true"' in page
    assert _events(app) == []


def test_an_edit_keeps_history_of_who_changed_what(
    app: Flask, client: FlaskClient, auth: AuthActions, event_id: int
) -> None:
    auth.login("koordinator")
    edited = _form(_stop_id(app), anak_L="6", notes=XSS)
    response = client.post(f"/kegiatan/{event_id}", data=edited, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Perubahan disimpan." in page
    history = page[page.index('id="history"') :]
    assert "Dicatat oleh Pengguna staf" in history and "Pengguna koordinator" in history
    assert "<strong>Anak (Laki-laki)</strong>: <del>5</del> → <ins>6</ins>" in history
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in history and XSS not in page
    client.post(f"/kegiatan/{event_id}", data=edited)
    with _db(app) as session:
        [revision] = session.exec(select(EventRevision)).all()  # the unchanged save kept none
    assert revision.snapshot["attendance"]["anak"]["L"] == 5
    assert "Tidak ada yang berubah." in client.get(f"/kegiatan/{event_id}").get_data(as_text=True)


def test_xss_in_notes_and_names_shows_as_text(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("staf")
    event_id = _log(client, _stop_id(app), notes=XSS, librarians=XSS)
    for url in ("/kegiatan/", f"/kegiatan/{event_id}"):
        page = client.get(url).get_data(as_text=True)
        assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
