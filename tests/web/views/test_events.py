"""The outreach-event pages as staff use them: log from today's visits, correct, list, export."""

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from planner.outreach import TodayVisit, today_visits
from planner.store import EventRevision, OutreachEvent, Stop, User, Village
from tests.conftest import AuthActions
from tests.factories import TODAY, WIB, publish_for_today

BALOKANG, HEGARSARI = "32.79.01.2003", "32.79.02.1001"
XSS = "<script>alert(1)</script>"
URLS = ("/kegiatan/", "/kegiatan/baru", "/kegiatan/hari-ini", "/kegiatan/{id}")
EXPORTS = ("/kegiatan/ekspor.csv", "/kegiatan/ekspor.xlsx")


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    path = tmp_path_factory.mktemp("events") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_for_today(path)
    return path


def _db(app: Flask) -> Session:
    return Session(app.extensions["keliling.engine"], expire_on_commit=False)


def _stop_id(app: Flask, code: str = BALOKANG) -> int:
    with _db(app) as session:
        stop = session.exec(select(Stop).join(Village).where(Village.code == code)).first()
        assert stop is not None and stop.id is not None
        return stop.id


def _events(app: Flask) -> list[OutreachEvent]:
    with _db(app) as session:
        return list(session.exec(select(OutreachEvent).order_by(OutreachEvent.id)))


def _visits(app: Flask) -> list[TodayVisit]:
    with _db(app) as session:
        return today_visits(session, TODAY)


def _stop_select(page: str) -> str:
    return page.split('<select id="stop"')[1].split("</select>")[0]


def _form(stop_id: int, **changes: object) -> dict[str, object]:
    """A valid form for today 08:00-09:00: 12 children, 3 teenagers, 9 books."""
    form: dict[str, object] = {
        "date": TODAY.isoformat(), "start": "08:00", "end": "09:00", "stop": str(stop_id),
        "event_type": "dongeng", "librarians": "Ani, Budi", "anak_L": "5", "anak_P": "7",
        "remaja_L": "", "remaja_P": "3", "dewasa_L": "", "dewasa_P": "", "lansia_L": "",
        "lansia_P": "", "books_lent": "9", "new_members": "1", "satisfaction_5": "4",
        "notes": "Anak-anak minta buku dongeng lagi", "visit": "",
    }  # fmt: skip
    form.update(changes)
    return form


def _log(client: FlaskClient, stop_id: int, **changes: object) -> int:
    response = client.post("/kegiatan/baru", data=_form(stop_id, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("event-", 1)[1])


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


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("sopir", 403)])
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


def test_list_filters_and_totals(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    auth.login("staf")
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    old = _log(client, _stop_id(app), date=yesterday, event_type="lomba")
    new = _log(client, _stop_id(app, HEGARSARI), anak_L="10", books_lent="1")
    page = client.get("/kegiatan/").get_data(as_text=True)
    assert page.index(f'id="event-{new}"') < page.index(f'id="event-{old}"')
    totals = page[page.index('id="events-total"') :].split("</tr>")[0]
    assert "Total (2 kegiatan)" in totals
    cells = re.findall(r'<td class="num">(?:<strong>)?(\d+)', totals)
    assert cells == ["29", "6", "0", "0", "35", "10", "2"]  # age groups, total, books, members
    one = client.get(f"/kegiatan/?desa={HEGARSARI}").get_data(as_text=True)
    assert f'id="event-{new}"' in one and f'id="event-{old}"' not in one
    lomba = client.get("/kegiatan/?jenis=lomba").get_data(as_text=True)
    assert f'id="event-{old}"' in lomba and f'id="event-{new}"' not in lomba
    day = client.get(f"/kegiatan/?dari={TODAY}&sampai={TODAY}").get_data(as_text=True)
    assert f'id="event-{new}"' in day and f'id="event-{old}"' not in day
    assert f'href="/kegiatan/ekspor.csv?dari={TODAY}&amp;sampai={TODAY}"' in day
    none = client.get("/kegiatan/?desa=32.79.04.2006").get_data(as_text=True)
    assert "Tidak ada kegiatan yang cocok dengan saringan ini." in none


def test_exports_follow_the_filters_and_keep_text_as_text(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("staf")
    _log(client, _stop_id(app), notes=XSS, librarians="=1+1")
    _log(client, _stop_id(app, HEGARSARI), event_type="lomba")
    response = client.get("/kegiatan/ekspor.csv?jenis=dongeng")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="kegiatan-')
    [row] = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert (row["catatan"], row["pustakawan"]) == (XSS, "'=1+1")
    assert (row["anak"], row["remaja"], row["total_hadir"], row["desa"]) == (
        "12",
        "3",
        "15",
        "Balokang",
    )
    book = load_workbook(io.BytesIO(client.get("/kegiatan/ekspor.xlsx").data))
    rows = list(book["Kegiatan"].iter_rows(values_only=True))
    assert len(rows) == 3 and XSS in rows[2] and "=1+1" in rows[2]


def test_xss_in_notes_and_names_shows_as_text(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("staf")
    event_id = _log(client, _stop_id(app), notes=XSS, librarians=XSS)
    for url in ("/kegiatan/", f"/kegiatan/{event_id}"):
        page = client.get(url).get_data(as_text=True)
        assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_today_lists_the_published_visits_with_a_button_each(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    visits = _visits(app)
    assert visits, "the published demo week has visits today"
    auth.login("staf")
    page = client.get("/kegiatan/hari-ini").get_data(as_text=True)
    buttons = re.findall(r'href="/kegiatan/baru\?visit=(\d+)">Catat kegiatan</a>', page)
    assert sorted(map(int, buttons)) == sorted(v.visit_id for v in visits)
    for visit in visits:
        assert visit.stop_name in page
    assert "Tercatat:" not in page


def test_a_visit_preselects_its_stop_and_links_the_event(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    first = _visits(app)[0]
    auth.login("staf")
    page = client.get(f"/kegiatan/baru?visit={first.visit_id}").get_data(as_text=True)
    assert f'<option value="{first.stop_id}" selected>{first.stop_name}</option>' in page
    assert f'name="visit" type="hidden" value="{first.visit_id}"' in page
    assert f'type="time" value="{first.arrival.astimezone(WIB):%H:%M}"' in page
    event_id = _log(client, first.stop_id, visit=str(first.visit_id))
    moved = _log(client, _stop_id(app, HEGARSARI), visit=str(first.visit_id))
    linked = {e.id: e.visit_id for e in _events(app)}
    assert linked == {event_id: first.visit_id, moved: None}
    assert "Tercatat: 1" in client.get("/kegiatan/hari-ini").get_data(as_text=True)
    unknown = client.get("/kegiatan/baru?visit=999999").get_data(as_text=True)
    assert 'name="visit" type="hidden" value=""' in unknown
    assert " selected>" not in _stop_select(unknown)


def test_logged_attendance_moves_the_villages_recorded_attendance(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("staf")
    before = client.get(f"/permintaan/{HEGARSARI}").get_data(as_text=True)
    assert "Belum ada kunjungan tercatat; memakai perkiraan model" in before
    for children in ("10", "30"):
        _log(client, _stop_id(app, HEGARSARI), anak_L=children, anak_P="", remaja_P="")
    after = client.get(f"/permintaan/{HEGARSARI}").get_data(as_text=True)
    assert "Rata-rata 20,0 orang dari 2 kunjungan tercatat" in after
    assert "Belum ada kunjungan tercatat" not in after


def test_far_future_date_filter_does_not_break_the_list(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("staf")
    assert client.get("/kegiatan/?dari=0001-01-01&sampai=9999-12-31").status_code == 200
