"""A refused stop form: each problem on its field, typed text kept, scripts shown as text."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import escape
from sqlmodel import select

from planner.store import Stop
from tests.conftest import AuthActions
from tests.web.views.stops_helpers import XSS, _balokang_stop, _db, _form, _stop


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
