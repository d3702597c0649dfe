"""The villages page: 25 polygons and the stops on a map served from the app, beside a table."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.utils import htmlsafe_json_dumps
from sqlmodel import Session, select

from planner.store import Stop
from tests.conftest import AuthActions
from web.ui.maps import map_html

CDN_MARKERS = ("cdn", "jsdelivr", "cdnjs", "unpkg", "code.jquery.com", "bootstrapcdn")


@pytest.fixture
def page(client: FlaskClient, auth: AuthActions) -> str:
    auth.login("koordinator")
    response = client.get("/desa/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _rename_first_stop(app: Flask, name: str) -> None:
    with Session(app.extensions["keliling.engine"]) as session:
        stop = session.exec(select(Stop).order_by(Stop.id)).first()
        assert stop is not None
        stop.name = name
        session.add(stop)
        session.commit()


def test_table_lists_25_villages_with_population(page: str) -> None:
    table = page.split('id="villages-table"')[1].split("</table>")[0]
    rows = re.findall(r"<td>(32\.79\.0[1-4]\.[12]0\d\d)</td>", table)
    assert len(rows) == 25
    assert "Mekarsari" in table and "Langensari" in table
    assert "209.317" in table  # total in Indonesian number format


def test_map_draws_25_polygons_and_marks_approximate_stops(page: str) -> None:
    assert page.count('"className": "village-polygon"') == 25
    assert page.count('"className": "stop-approximate"') == 25
    assert page.count('"className": "depot-marker"') == 1
    assert "25 titik layanan berlokasi perkiraan" in page


def test_page_loads_scripts_and_styles_only_from_the_app(page: str) -> None:
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources, "the page must load Leaflet"
    assert all(src.startswith("/") for src in sources), sources
    lowered = page.lower()
    assert not [marker for marker in CDN_MARKERS if marker in lowered]
    assert "/static/vendor/leaflet/leaflet.js" in sources


def test_leaflet_is_served_by_the_app(client: FlaskClient) -> None:
    for filename in ("leaflet.js", "leaflet.css", "images/marker-icon.png"):
        with client.get(f"/static/vendor/leaflet/{filename}") as response:
            assert response.status_code == 200
            assert len(response.get_data()) > 1000


@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>", "${alert(1)}`<img src=x onerror=alert(2)>"]
)
def test_stop_names_show_as_text_in_table_and_map(
    app: Flask, client: FlaskClient, auth: AuthActions, name: str
) -> None:
    _rename_first_stop(app, name)
    auth.login("koordinator")
    page = client.get("/desa/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    # The map label is an escaped JSON string, never a JavaScript template literal.
    assert "bindTooltip(`" not in page and "bindPopup(`" not in page
    shown = str(htmlsafe_json_dumps(map_html(name)))[1:-1]  # escaped, braces as references
    assert page.count(shown) == 2  # tooltip and popup of the renamed stop


def test_english_is_one_click_away(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    assert "Desa/kelurahan dan titik layanan" in client.get("/desa/").get_data(as_text=True)
    client.get("/bahasa/en?next=/desa/")
    assert "Villages and service points" in client.get("/desa/").get_data(as_text=True)
