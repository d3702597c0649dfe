"""The holidays page: national holidays and cuti bersama, the library's closed days, who edits."""

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlmodel import Session, select

from planner.calendar import national_days_off
from planner.store import ClosedDay
from tests.conftest import AuthActions

URL = "/hari-libur/"


@pytest.fixture
def coordinator(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    auth.login("koordinator")
    return client


def _closed_days(app: Flask) -> list[tuple[dt.date, str]]:
    with Session(app.extensions["keliling.engine"]) as session:
        return [(row.date, row.reason) for row in session.exec(select(ClosedDay))]


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("sopir", 403), ("staf", 403), ("koordinator", 200), ("admin", 200)],
)
def test_who_may_open_the_page(
    client: FlaskClient, auth: AuthActions, role: str | None, status: int
) -> None:
    if role:
        auth.login(role)
    assert client.get(URL).status_code == status


@pytest.mark.parametrize("role", ["sopir", "staf"])
def test_only_planners_may_add_or_delete(
    app: Flask, client: FlaskClient, auth: AuthActions, role: str
) -> None:
    auth.login(role)
    assert client.post(URL, data={"date": "2027-01-04", "reason": "Rapat"}).status_code == 403
    assert client.post(f"{URL}1/hapus").status_code == 403
    assert _closed_days(app) == []


def test_the_page_lists_the_coming_national_holidays(coordinator: FlaskClient) -> None:
    page = coordinator.get(URL).get_data(as_text=True)
    today = dt.date.today()
    coming = national_days_off(today + dt.timedelta(days=1), today + dt.timedelta(days=300))
    assert coming and all(escape(day.name) in page for day in coming)
    assert "Hari libur nasional dan cuti bersama" in page and 'href="/hari-libur/"' in page


def test_a_closed_day_is_added_listed_and_deleted(app: Flask, coordinator: FlaskClient) -> None:
    response = coordinator.post(URL, data={"date": "2099-08-19", "reason": "Stock opname"})
    assert response.status_code == 302
    page = coordinator.get(URL).get_data(as_text=True)
    assert "19 Agustus 2099 kini hari tutup." in page
    assert "Rabu, 19 Agustus 2099" in page and "Stock opname" in page
    [(day, reason)] = _closed_days(app)
    assert (day, reason) == (dt.date(2099, 8, 19), "Stock opname")
    with Session(app.extensions["keliling.engine"]) as session:
        row_id = session.exec(select(ClosedDay.id)).one()
    assert coordinator.post(f"{URL}{row_id}/hapus").status_code == 302
    assert "19 Agustus 2099 bukan lagi hari tutup." in coordinator.get(URL).get_data(as_text=True)
    assert _closed_days(app) == []
    assert coordinator.post(f"{URL}{row_id}/hapus").status_code == 404


def test_a_date_closed_twice_or_without_reason_is_refused(
    app: Flask, coordinator: FlaskClient
) -> None:
    coordinator.post(URL, data={"date": "2099-08-19", "reason": "Stock opname"})
    again = coordinator.post(URL, data={"date": "2099-08-19", "reason": "Rapat"})
    assert again.status_code == 400
    assert "Tanggal ini sudah menjadi hari tutup." in again.get_data(as_text=True)
    blank = coordinator.post(URL, data={"date": "2099-08-20", "reason": ""})
    assert blank.status_code == 400
    assert "Tulis alasan perpustakaan tutup." in blank.get_data(as_text=True)
    assert _closed_days(app) == [(dt.date(2099, 8, 19), "Stock opname")]


def test_adding_and_deleting_need_the_csrf_token(app: Flask, coordinator: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    assert coordinator.post(URL, data={"date": "2099-08-19", "reason": "X"}).status_code == 400
    assert _closed_days(app) == []


def test_the_page_in_english(coordinator: FlaskClient) -> None:
    coordinator.get("/bahasa/en")
    page = coordinator.get(URL).get_data(as_text=True)
    today = dt.date.today()
    coming = national_days_off(today + dt.timedelta(days=1), today + dt.timedelta(days=300), "en")
    assert "Holidays and closed days" in page and all(escape(day.name) in page for day in coming)
