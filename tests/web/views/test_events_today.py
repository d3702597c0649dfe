"""Today's published visits as the starting point for logging an event."""

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tests.factories import WIB
from tests.web.views.events_helpers import (
    BALOKANG,
    HEGARSARI,
    _events,
    _log,
    _stop_id,
    _stop_select,
    _visits,
    planned_copy,
)


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


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
    # Another stop than the visit's (the same stop and times would be the same event again).
    other = next(c for c in (HEGARSARI, BALOKANG) if _stop_id(app, c) != first.stop_id)
    moved = _log(client, _stop_id(app, other), visit=str(first.visit_id))
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
