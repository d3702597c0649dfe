"""Adding, moving, correcting and deactivating a stop."""

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from planner.store import Plan, Route, Stop, Vehicle, Village, Visit
from tests.conftest import AuthActions
from tests.web.views.stops_helpers import (
    BALOKANG,
    _balokang_stop,
    _db,
    _edit_form,
    _form,
    _inside,
    _stop,
)


def test_a_new_stop_is_stored_with_every_field_and_listed(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    blank = client.get(f"/titik/baru?desa={BALOKANG}").get_data(as_text=True)
    assert f'<option selected value="{BALOKANG}">' in blank
    assert 'name="windows-mon" placeholder="07:30-12:00" type="text" value="07:30-15:30"' in blank
    response = client.post("/titik/baru", data=_form())
    assert response.status_code == 302
    stop = _stop(app, "SDN 1 Balokang")
    assert response.headers["Location"] == f"/titik/{stop.id}"
    assert (stop.kind, stop.service_minutes, stop.crates, stop.visits_override) == (
        "sekolah", 60, 1, 2,
    )  # fmt: skip
    assert stop.time_windows == {
        "mon": [["07:30", "12:00"]],
        "wed": [["07:30", "12:00"]],
        "thu": [["07:30", "12:00"], ["13:00", "15:00"]],
        "fri": [["07:30", "11:00"]],
    }
    assert stop.day_patterns == [["mon", "thu"]] and stop.vehicle_kinds == ["van", "motor"]
    assert not stop.approximate and stop.active and stop.notes == "Di halaman sekolah"
    with _db(app) as session:
        village = session.get(Village, stop.village_id)
        assert village is not None and village.code == BALOKANG
    page = client.get(f"/titik/{stop.id}").get_data(as_text=True)
    assert "Titik layanan &#34;SDN 1 Balokang&#34; disimpan." in page
    assert 'value="07:30-12:00, 13:00-15:00"' in page and 'value="senin+kamis"' in page
    assert "SDN 1 Balokang" in client.get("/titik/").get_data(as_text=True)


def test_moving_a_stop_changes_only_its_position(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    before = _balokang_stop(app)
    auth.login("koordinator")
    lat, lon = _inside()
    form = _edit_form(before, lat=f"{lat + 0.001:.6f}", lon=f"{lon - 0.001:.6f}")
    assert client.post(f"/titik/{before.id}", data=form).status_code == 302
    after = _balokang_stop(app)
    assert (after.lat, after.lon) == (round(lat + 0.001, 6), round(lon - 0.001, 6))
    assert after.approximate  # still approximate until the coordinator says otherwise
    assert after.time_windows == before.time_windows
    assert (after.name, after.kind, after.service_minutes) == (
        before.name, before.kind, before.service_minutes,
    )  # fmt: skip
    page = client.get(f"/titik/{before.id}").get_data(as_text=True)
    shown = re.search(r'name="lat" placeholder="[^"]*" type="text" value="([^"]*)"', page)
    assert shown is not None and float(shown[1]) == after.lat


def test_saving_an_untouched_form_changes_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    before = _balokang_stop(app)
    auth.login("koordinator")
    page = client.get(f"/titik/{before.id}").get_data(as_text=True)
    assert f'value="{before.lat!r}"' in page
    assert client.post(f"/titik/{before.id}", data=_edit_form(before)).status_code == 302
    assert _balokang_stop(app) == before


def test_the_approximate_flag_can_be_cleared(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    stop = _balokang_stop(app)
    auth.login("koordinator")
    client.post(f"/titik/{stop.id}", data=_edit_form(stop, approximate=None))
    assert not _balokang_stop(app).approximate
    page = client.get("/titik/?desa=" + BALOKANG).get_data(as_text=True)
    assert ">perkiraan</span>" not in page.split('id="stops-table"')[1]


def _record_visit(app: Flask, stop: Stop) -> None:
    with _db(app) as session:
        vehicle = session.exec(select(Vehicle)).first()
        assert vehicle is not None and vehicle.id is not None and stop.id is not None
        plan = Plan(region_id=vehicle.region_id, start_date=dt.date(2026, 11, 30))
        session.add(plan)
        session.flush()
        assert plan.id is not None
        route = Route(plan_id=plan.id, vehicle_id=vehicle.id, service_date=dt.date(2026, 11, 30))
        session.add(route)
        session.flush()
        assert route.id is not None
        at = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)
        session.add(
            Visit(route_id=route.id, stop_id=stop.id, sequence=1, planned_arrival=at,
                  planned_departure=at + dt.timedelta(minutes=45))
        )  # fmt: skip
        session.commit()


def test_deactivating_keeps_the_stop_and_its_visits(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    stop = _balokang_stop(app)
    _record_visit(app, stop)
    auth.login("koordinator")
    page = client.get(f"/titik/{stop.id}").get_data(as_text=True)
    assert "1 kunjungan terencana merujuk titik ini" in page
    response = client.post(f"/titik/{stop.id}/nonaktifkan")
    assert response.status_code == 302
    assert not _balokang_stop(app).active
    page = client.get(f"/titik/{stop.id}").get_data(as_text=True)
    assert "dinonaktifkan; riwayatnya tetap disimpan" in page
    assert "Aktifkan kembali" in page
    with _db(app) as session:
        assert len(list(session.exec(select(Visit).where(Visit.stop_id == stop.id)))) == 1
    listing = client.get("/titik/?status=nonaktif").get_data(as_text=True)
    assert "Titik layanan Balokang" in listing and ">nonaktif</span>" in listing
    client.post(f"/titik/{stop.id}/aktifkan")
    assert _balokang_stop(app).active


def test_unknown_stop_is_a_404(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    response = client.get("/titik/9999")
    assert response.status_code == 404
    assert "Tidak ada titik layanan bernomor 9999." in response.get_data(as_text=True)
    assert client.post("/titik/9999/nonaktifkan").status_code == 404
