"""The stop list and map: every stop, approximate ones flagged, filters."""

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tests.web.views.stops_helpers import BALOKANG, _form


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
