"""The vehicle pages: the fleet, shifts per weekday, breaks, and deactivation."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from planner.store import Vehicle
from tests.conftest import AuthActions

VAN = "Mobil Perpustakaan Keliling 1"
XSS = "<script>alert(1)</script>"
URLS = ("/kendaraan/", "/kendaraan/baru", "/kendaraan/{id}")
WORKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat")


def _vehicle(app: Flask, name: str = VAN) -> Vehicle:
    with Session(app.extensions["keliling.engine"]) as session:
        return session.exec(select(Vehicle).where(Vehicle.name == name)).one()


def _form(**changes: object) -> dict[str, object]:
    """A valid vehicle form (Monday-Saturday shift, lunch and Friday prayer, one empty row)."""
    form: dict[str, object] = {
        "name": "Motor Perpustakaan Keliling 2", "kind": "motor",
        **{f"shifts-{day}": "07:30-15:30" for day in WORKDAYS}, "shifts-sun": "",
        "breaks-0-name": "Istirahat siang", "breaks-0-weekdays": "senin-kamis, sabtu",
        "breaks-0-times": "12:00-13:00",
        "breaks-1-name": "Istirahat salat Jumat", "breaks-1-weekdays": "jumat",
        "breaks-1-times": "11:30-13:00",
        "breaks-2-name": "", "breaks-2-weekdays": "", "breaks-2-times": "",
        "speed_kmh": "35", "capacity_crates": "2", "max_stops_per_day": "", "active": "y",
    }  # fmt: skip
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("sopir", 403), ("staf", 403), ("koordinator", 200), ("admin", 200)],
)
def test_only_planners_open_the_vehicle_pages(
    app: Flask, client: FlaskClient, auth: AuthActions, url: str, role: str | None, status: int
) -> None:
    if role:
        auth.login(role)
    response = client.get(url.format(id=_vehicle(app).id))
    assert response.status_code == status
    if role is None:
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["sopir", "staf"])
def test_other_roles_cannot_change_a_vehicle(
    app: Flask, client: FlaskClient, auth: AuthActions, role: str
) -> None:
    van = _vehicle(app)
    auth.login(role)
    assert client.post("/kendaraan/baru", data=_form()).status_code == 403
    assert client.post(f"/kendaraan/{van.id}", data=_form(name=VAN)).status_code == 403
    assert client.post(f"/kendaraan/{van.id}/nonaktifkan").status_code == 403
    assert _vehicle(app).active and _vehicle(app).kind == "van"


def test_posts_without_a_csrf_token_are_refused(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    van = _vehicle(app)
    auth.login("koordinator")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/kendaraan/baru", data=_form()).status_code == 400
    assert client.post(f"/kendaraan/{van.id}", data=_form(name=VAN)).status_code == 400
    assert client.post(f"/kendaraan/{van.id}/nonaktifkan").status_code == 400
    assert _vehicle(app) == van


def test_the_list_shows_shifts_and_breaks(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    page = client.get("/kendaraan/").get_data(as_text=True)
    table = page.split('id="vehicles-table"')[1].split("</table>")[0]
    assert VAN in table and "Motor Perpustakaan Keliling 1" in table
    assert "senin-sabtu: 07:30-15:30" in table
    assert "Istirahat salat Jumat (jumat) 11:30-13:00" in table
    assert 'href="/kendaraan/baru"' in page and "Tambah kendaraan" in page


def test_a_new_vehicle_form_has_the_region_breaks(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    page = client.get("/kendaraan/baru").get_data(as_text=True)
    assert 'name="shifts-mon" placeholder="07:30-15:30" type="text" value="07:30-15:30"' in page
    assert 'name="shifts-sun" placeholder="07:30-15:30" type="text" value=""' in page
    assert 'name="breaks-0-name" type="text" value="Istirahat siang"' in page
    assert 'name="breaks-0-weekdays" type="text" value="senin-kamis, sabtu"' in page
    assert 'name="breaks-1-name" type="text" value="Istirahat salat Jumat"' in page
    assert 'name="breaks-1-times" type="text" value="11:30-13:00"' in page
    assert 'name="breaks-2-name" type="text" value=""' in page  # room for one more


def test_a_new_vehicle_is_stored_and_listed(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    response = client.post("/kendaraan/baru", data=_form())
    assert response.status_code == 302
    motor = _vehicle(app, "Motor Perpustakaan Keliling 2")
    assert response.headers["Location"] == f"/kendaraan/{motor.id}"
    assert motor.kind == "motor" and motor.speed_kmh == 35 and motor.capacity_crates == 2
    assert motor.max_stops_per_day is None and motor.active
    assert motor.shifts == {day: ["07:30", "15:30"] for day in WORKDAYS}
    assert motor.breaks == [
        {"name": "Istirahat siang", "weekdays": ["mon", "tue", "wed", "thu", "sat"],
         "start": "12:00", "end": "13:00"},
        {"name": "Istirahat salat Jumat", "weekdays": ["fri"], "start": "11:30", "end": "13:00"},
    ]  # fmt: skip
    assert motor.depot_id == _vehicle(app).depot_id
    page = client.get(f"/kendaraan/{motor.id}").get_data(as_text=True)
    assert "Kendaraan &#34;Motor Perpustakaan Keliling 2&#34; disimpan." in page
    assert "Motor Perpustakaan Keliling 2" in client.get("/kendaraan/").get_data(as_text=True)


def test_editing_changes_shifts_breaks_and_limits(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    van = _vehicle(app)
    auth.login("koordinator")
    form = _form(
        name=VAN, kind="van", **{"shifts-sat": "07:30-11:30", "breaks-0-weekdays": "senin-kamis"},
        **{"breaks-2-name": "Rapat", "breaks-2-weekdays": "senin", "breaks-2-times": "07:30-08:00"},
        speed_kmh="27,5", capacity_crates="", max_stops_per_day="4",
    )  # fmt: skip
    assert client.post(f"/kendaraan/{van.id}", data=form).status_code == 302
    after = _vehicle(app)
    assert after.shifts["sat"] == ["07:30", "11:30"]
    assert [b["name"] for b in after.breaks] == [
        "Istirahat siang", "Istirahat salat Jumat", "Rapat",
    ]  # fmt: skip
    assert (after.speed_kmh, after.capacity_crates, after.max_stops_per_day) == (27.5, None, 4)
    page = client.get(f"/kendaraan/{van.id}").get_data(as_text=True)
    assert 'name="breaks-2-name" type="text" value="Rapat"' in page
    assert 'name="breaks-3-name" type="text" value=""' in page


def test_an_emptied_break_row_is_removed(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    van = _vehicle(app)
    auth.login("koordinator")
    form = _form(name=VAN, kind="van", **{"breaks-0-name": "", "breaks-0-weekdays": "",
                                          "breaks-0-times": ""})  # fmt: skip
    client.post(f"/kendaraan/{van.id}", data=form)
    assert [b["name"] for b in _vehicle(app).breaks] == ["Istirahat salat Jumat"]


def test_deactivating_keeps_the_vehicle(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    van = _vehicle(app)
    auth.login("koordinator")
    assert client.post(f"/kendaraan/{van.id}/nonaktifkan").status_code == 302
    assert not _vehicle(app).active
    page = client.get(f"/kendaraan/{van.id}").get_data(as_text=True)
    assert "dinonaktifkan; rute lamanya tetap disimpan" in page and "Aktifkan kembali" in page
    assert ">nonaktif</span>" in client.get("/kendaraan/").get_data(as_text=True)
    client.post(f"/kendaraan/{van.id}/aktifkan")
    assert _vehicle(app).active


def test_unknown_vehicle_is_a_404(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    response = client.get("/kendaraan/9999")
    assert response.status_code == 404
    assert "Tidak ada kendaraan bernomor 9999." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "Nama kendaraan wajib diisi."),
        ({"name": "mobil perpustakaan keliling 1"}, "name",
         "Sudah ada kendaraan bernama &#39;mobil perpustakaan keliling 1&#39;."),
        ({"kind": "bus"}, "kind", "Pilih jenis kendaraan: van, motor."),
        ({"shifts-mon": "setengah delapan"}, "shifts-mon", "&#39;setengah delapan&#39; bukan"),
        ({"shifts-tue": "15:30-07:30"}, "shifts-tue",
         "Jam selesai 07:30 harus setelah jam mulai 15:30."),
        ({"shifts-wed": "07:30-11:00, 13:00-15:30"}, "shifts-wed", "Satu sif per hari"),
        ({"shifts-thu": "7:3-15:30"}, "shifts-thu", "&#39;7:3&#39; bukan jam yang sah"),
        ({f"shifts-{d}": "" for d in WORKDAYS}, "shifts",
         "Kendaraan ini tidak pernah bertugas: isi sif untuk minimal satu hari."),
        ({"shifts-sat": "07:30-11:00"}, "breaks-0-times",
         "Istirahat 12:00-13:00 berada di luar sif Sabtu (07:30-11:00)."),
        ({"breaks-1-times": "11:30"}, "breaks-1-times", "&#39;11:30&#39; bukan rentang jam"),
        ({"breaks-1-times": "24:00-25:00"}, "breaks-1-times", "&#39;24:00&#39; bukan jam yang sah"),
        ({"breaks-1-weekdays": "jumat, libur"}, "breaks-1-weekdays", "&#39;libur&#39; bukan nama"),
        ({"breaks-1-name": ""}, "breaks-1-name", "Beri nama istirahat ini"),
        ({"breaks-2-weekdays": "sabtu", "breaks-2-name": "Rapat",
          "breaks-2-times": "12:30-13:30"}, "breaks-2-times",
         "Bertumpang tindih dengan &#39;Istirahat siang&#39; pada hari Sabtu."),
        ({"speed_kmh": "0"}, "speed_kmh", "Kecepatan rata-rata harus antara 5 dan 100 km/jam."),
        ({"capacity_crates": "banyak"}, "capacity_crates", "&#39;banyak&#39; bukan bilangan"),
        ({"max_stops_per_day": "100"}, "max_stops_per_day", "Isi bilangan antara 1 dan 50."),
    ],
)  # fmt: skip
def test_each_problem_is_shown_on_its_field_and_nothing_is_stored(
    app: Flask, client: FlaskClient, auth: AuthActions, changes: dict[str, object], field: str,
    message: str,
) -> None:  # fmt: skip
    auth.login("koordinator")
    response = client.post("/kendaraan/baru", data=_form(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Belum disimpan: perbaiki isian yang ditandai di bawah." in page
    shown = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert shown is not None, page[page.find("form-problems") :][:3000]
    assert message in shown[1]
    with Session(app.extensions["keliling.engine"]) as session:
        assert len(list(session.exec(select(Vehicle)))) == 2


def test_a_vehicle_named_like_a_script_shows_as_text(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    form = _form(name=XSS, **{"breaks-0-name": XSS})
    assert client.post("/kendaraan/baru", data=form).status_code == 302
    vehicle = _vehicle(app, XSS)
    for url in ("/kendaraan/", f"/kendaraan/{vehicle.id}"):
        page = client.get(url).get_data(as_text=True)
        assert XSS not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    refused = client.post("/kendaraan/baru", data=form).get_data(as_text=True)
    assert XSS not in refused
