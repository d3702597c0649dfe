"""The service-point pages as a koordinator uses them: list, map, add, correct, deactivate."""

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import escape
from sqlmodel import Session, select

from geodata import load_region
from planner.store import Plan, Route, Stop, Vehicle, Village, Visit
from tests.conftest import AuthActions

BALOKANG = "32.79.01.2003"
XSS = "<script>alert(1)</script>"
URLS = ("/titik/", "/titik/baru", "/titik/{id}")


def _db(app: Flask) -> Session:
    return Session(app.extensions["keliling.engine"], expire_on_commit=False)


def _stop(app: Flask, name: str) -> Stop:
    with _db(app) as session:
        stop = session.exec(select(Stop).where(Stop.name == name)).one()
        return stop


def _balokang_stop(app: Flask) -> Stop:
    return _stop(app, "Titik layanan Balokang")


def _inside(code: str = BALOKANG) -> tuple[float, float]:
    village = next(v for v in load_region("kota_banjar").villages if v.code == code)
    return village.inside_lat, village.inside_lon


def _form(**changes: object) -> dict[str, object]:
    """A valid new-stop form in Balokang; None drops a field (an unchecked box)."""
    lat, lon = _inside()
    form: dict[str, object] = {
        "name": "SDN 1 Balokang", "village": BALOKANG, "kind": "sekolah",
        "lat": f"{lat + 0.0005:.6f}", "lon": f"{lon:.6f}", "approximate": None,
        "service_minutes": "60", "windows-mon": "07:30-12:00", "windows-tue": "",
        "windows-wed": "07:30-12:00", "windows-thu": "07:30-12:00, 13:00-15:00",
        "windows-fri": "07:30-11:00", "windows-sat": "", "windows-sun": "",
        "vehicle_kinds": ["van", "motor"], "visits_override": "2",
        "day_patterns": "senin+kamis", "crates": "1", "notes": "Di halaman sekolah",
        "active": "y",
    }  # fmt: skip
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def _edit_form(stop: Stop, **changes: object) -> dict[str, object]:
    """The form exactly as the edit page shows it for `stop`, with some changes."""
    form = {
        "name": stop.name, "village": "32.79.01.2003", "kind": stop.kind,
        "lat": repr(stop.lat), "lon": repr(stop.lon),
        "approximate": "y" if stop.approximate else None, "active": "y" if stop.active else None,
        "service_minutes": str(stop.service_minutes), "vehicle_kinds": stop.vehicle_kinds,
        "visits_override": "", "day_patterns": "", "crates": str(stop.crates),
        "notes": stop.notes,
    }  # fmt: skip
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        form[f"windows-{day}"] = ", ".join(f"{a}-{b}" for a, b in stop.time_windows.get(day, []))
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("sopir", 403), ("staf", 403), ("koordinator", 200), ("admin", 200)],
)
def test_only_planners_open_the_stop_pages(
    app: Flask, client: FlaskClient, auth: AuthActions, url: str, role: str | None, status: int
) -> None:
    if role:
        auth.login(role)
    response = client.get(url.format(id=_balokang_stop(app).id))
    assert response.status_code == status
    if role is None:
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["sopir", "staf"])
def test_other_roles_cannot_change_a_stop(
    app: Flask, client: FlaskClient, auth: AuthActions, role: str
) -> None:
    stop = _balokang_stop(app)
    auth.login(role)
    assert client.post(f"/titik/{stop.id}", data=_edit_form(stop)).status_code == 403
    assert client.post(f"/titik/{stop.id}/nonaktifkan").status_code == 403
    assert client.post("/titik/baru", data=_form()).status_code == 403
    assert _balokang_stop(app).active


def test_posts_without_a_csrf_token_are_refused(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    stop = _balokang_stop(app)
    auth.login("koordinator")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/titik/baru", data=_form()).status_code == 400
    assert client.post(f"/titik/{stop.id}", data=_edit_form(stop, name="X")).status_code == 400
    assert client.post(f"/titik/{stop.id}/nonaktifkan").status_code == 400
    with _db(app) as session:
        assert session.exec(select(Stop).where(Stop.name == "SDN 1 Balokang")).first() is None
    assert _balokang_stop(app).active and _balokang_stop(app).name == stop.name


def test_the_form_carries_a_csrf_token(app: Flask, client: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/login").get_data(as_text=True)  # the login form needs its token too
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    client.post("/login", data={"username": "koordinator", "password": "kata-sandi-uji",
                                "csrf_token": token[1]})  # fmt: skip
    page = client.get("/titik/baru").get_data(as_text=True)
    token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    response = client.post("/titik/baru", data={**_form(), "csrf_token": token[1]})
    assert response.status_code == 302


def test_list_shows_every_stop_flags_approximate_ones_and_maps_them(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    page = client.get("/titik/").get_data(as_text=True)
    table = page.split('id="stops-table"')[1].split("</table>")[0]
    assert table.count("<tr") == 26  # header + 25 default stops
    assert table.count(">perkiraan</span>") == 25
    assert "25 di antaranya berlokasi perkiraan" in page
    assert page.count('"className": "stop-approximate"') == 25
    assert 'href="/titik/baru"' in page and "Tambah titik layanan" in page


def test_list_filters_by_village_kind_and_status(
    client: FlaskClient, auth: AuthActions, app: Flask
) -> None:
    auth.login("koordinator")
    client.post("/titik/baru", data=_form())
    page = client.get(f"/titik/?desa={BALOKANG}").get_data(as_text=True)
    table = page.split('id="stops-table"')[1].split("</table>")[0]
    assert "SDN 1 Balokang" in table and "Titik layanan Balokang" in table
    assert "Titik layanan Banjar" not in table
    page = client.get("/titik/?jenis=sekolah").get_data(as_text=True)
    assert "SDN 1 Balokang" in page and "Titik layanan Balokang" not in page
    page = client.get("/titik/?status=perkiraan").get_data(as_text=True)
    assert "Titik layanan Balokang" in page and "SDN 1 Balokang" not in page
    page = client.get("/titik/?jenis=masjid").get_data(as_text=True)
    assert "Tidak ada titik layanan yang cocok dengan saringan ini." in page


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


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Nama titik layanan wajib diisi."),
        ({"name": "titik LAYANAN balokang"}, "name",
         "Sudah ada titik bernama &#39;titik LAYANAN balokang&#39; di Balokang."),
        ({"village": ""}, "village", "Pilih desa/kelurahan tempat titik ini berada."),
        ({"kind": "pasar"}, "kind", "Pilih salah satu jenis: sekolah, balai desa"),
        ({"lat": ""}, "lat", "Lintang wajib diisi: ketik angkanya atau klik peta."),
        ({"lon": "timur"}, "lon", "&#39;timur&#39; bukan angka."),
        ({"lat": "-6.2", "lon": "106.8"}, "lat", "Titik (-6.2, 106.8) berada di luar Kota Banjar."),
        ({"village": "32.79.04.2001"}, "lat", "berada di Balokang, bukan di Langensari."),
        ({"service_minutes": "2"}, "service_minutes", "Isi bilangan antara 5 dan 480."),
        ({"service_minutes": "300"}, "service_minutes",
         "Layanan 300 menit tidak muat di jendela waktu mana pun (yang terpanjang 270 menit)."),
        ({"windows-mon": "12:00-07:30"}, "windows-mon",
         "Jam selesai 07:30 harus setelah jam mulai 12:00."),
        ({"windows-thu": "07:30-12:00, 11:00-13:00"}, "windows-thu",
         "Rentang 07:30-12:00 dan 11:00-13:00 tumpang tindih."),
        ({"windows-fri": "pagi"}, "windows-fri", "&#39;pagi&#39; bukan rentang jam"),
        ({f"windows-{d}": "" for d in ("mon", "wed", "thu", "fri")}, "windows",
         "Titik ini tutup setiap hari: isi jam buka untuk minimal satu hari."),
        ({"vehicle_kinds": None}, "vehicle_kinds",
         "Pilih minimal satu jenis kendaraan yang bisa mencapai titik ini."),
        ({"visits_override": "dua"}, "visits_override", "&#39;dua&#39; bukan bilangan bulat."),
        ({"day_patterns": "senin+selasa"}, "day_patterns",
         "Pola senin+selasa memakai hari Selasa, padahal titik ini tutup pada hari itu."),
        ({"day_patterns": "senin+kamus"}, "day_patterns", "&#39;kamus&#39; bukan nama hari"),
        ({"crates": "99"}, "crates", "Isi bilangan antara 0 dan 50."),
    ],
)  # fmt: skip
def test_each_problem_is_shown_on_its_field_and_nothing_is_stored(
    app: Flask, client: FlaskClient, auth: AuthActions, changes: dict[str, object], field: str,
    message: str,
) -> None:  # fmt: skip
    auth.login("koordinator")
    response = client.post("/titik/baru", data=_form(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Belum disimpan: perbaiki isian yang ditandai di bawah." in page
    shown = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert shown is not None, page[page.find("form-problems") :][:3000]
    assert message in shown[1]
    if field not in ("windows", "vehicle_kinds"):
        assert re.search(rf'aria-describedby="[^"]*{field}-error"[^>]*aria-invalid="true"', page)
    with _db(app) as session:
        assert session.exec(select(Stop).where(Stop.kind == "sekolah")).first() is None


def test_a_refused_form_keeps_what_was_typed(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    page = client.post("/titik/baru", data=_form(lat="", notes="Catatan saya")).get_data(
        as_text=True
    )
    assert "Catatan saya</textarea>" in page
    assert 'value="senin+kamis"' in page and 'value="07:30-12:00, 13:00-15:00"' in page


def test_a_stop_named_like_a_script_shows_as_text_everywhere(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    response = client.post("/titik/baru", data=_form(name=XSS, notes=XSS))
    assert response.status_code == 302
    stop = _stop(app, XSS)
    other = _balokang_stop(app)
    pages = {
        "list": client.get("/titik/").get_data(as_text=True),  # table and map label
        "edit": client.get(f"/titik/{stop.id}").get_data(as_text=True),  # title, input, flash
        "neighbour": client.get(f"/titik/{other.id}").get_data(as_text=True),  # map label
        "refused": client.post("/titik/baru", data=_form(name=XSS)).get_data(as_text=True),
    }
    label = str(htmlsafe_json_dumps(str(escape(XSS))))[1:-1]
    for where, page in pages.items():
        assert XSS not in page, where
        assert "bindTooltip(`" not in page and "bindPopup(`" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["edit"]
    assert pages["list"].count(label) == 2  # tooltip and popup of the stop's marker
    assert pages["neighbour"].count(label) == 1  # the neighbour's tooltip
