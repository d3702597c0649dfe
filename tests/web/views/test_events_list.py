"""The event list: filters, totals and the CSV/XLSX exports."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.conftest import AuthActions
from tests.factories import TODAY
from tests.web.views.events_helpers import HEGARSARI, XSS, _log, _stop_id, planned_copy


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


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


def test_far_future_date_filter_does_not_break_the_list(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("staf")
    assert client.get("/kegiatan/?dari=0001-01-01&sampai=9999-12-31").status_code == 200
