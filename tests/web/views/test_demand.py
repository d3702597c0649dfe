"""The demand pages: choropleth, sortable table, explained village detail."""

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from geodata import load_region
from planner.survey import synthesize, villages_from_pack
from tests.conftest import AuthActions

SYNTHETIC = synthesize(villages_from_pack(load_region("kota_banjar")), 300, seed=11)


@pytest.fixture
def surveyed(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    auth.login("koordinator")
    form = {"file": (io.BytesIO(SYNTHETIC), "sintetis.csv")}
    assert client.post("/survei/", data=form, content_type="multipart/form-data").status_code == 302
    return client


@pytest.mark.parametrize("url", ["/permintaan/", "/permintaan/32.79.01.2003"])
@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("koordinator", 200), ("staf", 200), ("sopir", 403), (None, 302)],
)
def test_who_may_open_the_demand_pages(
    client: FlaskClient, auth: AuthActions, url: str, role: str | None, status: int
) -> None:
    if role:
        auth.login(role)
    assert client.get(url).status_code == status


def test_demand_page_without_a_survey_says_so(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("koordinator")
    page = client.get("/permintaan/").get_data(as_text=True)
    assert "Belum ada survei yang diimpor" in page
    assert page.count('"className": "priority-polygon"') == 25


def test_choropleth_table_and_synthetic_label(surveyed: FlaskClient) -> None:
    page = surveyed.get("/permintaan/").get_data(as_text=True)
    assert "DATA SINTETIS" in page
    assert page.count('"className": "priority-polygon"') == 25
    assert 'id="priority-legend"' in page
    body = page.split('id="demand-table"')[1].split("</table>")[0]
    found = re.findall(r'class="num priority" data-value="([\d.]+)"', body)
    priorities = [float(p) for p in found]
    assert len(priorities) == 25
    assert priorities == sorted(priorities, reverse=True)  # most urgent first
    assert "/static/js/sort-table.js" in page


def test_rotation_length_multiplies_visits(surveyed: FlaskClient) -> None:
    def total(weeks: int) -> int:
        page = surveyed.get(f"/permintaan/?minggu={weeks}").get_data(as_text=True)
        match = re.search(r"Rekomendasi kunjungan per rotasi<strong>(\d+)</strong>", page)
        assert match is not None
        return int(match.group(1))

    assert total(2) == 2 * total(1)
    assert total(9) == total(4)  # clamped to the longest rotation


def test_village_detail_explains_every_number(surveyed: FlaskClient) -> None:
    page = surveyed.get("/permintaan/32.79.02.1002").get_data(as_text=True)
    assert "Pataruman" in page
    for table in ("factors-attendance", "factors-priority"):
        assert f'id="{table}"' in page
    assert "Penduduk × jangkauan per kunjungan" in page
    assert "Kesenjangan akses" in page
    assert 'id="topic-mix"' in page
    assert 'data-question="minat"' in page and "Sangat berminat" in page


def test_unknown_village_is_404_in_indonesian(surveyed: FlaskClient) -> None:
    response = surveyed.get("/permintaan/32.79.09.9999")
    assert response.status_code == 404
    assert "Tidak ada desa/kelurahan dengan kode 32.79.09.9999" in response.get_data(as_text=True)


def test_village_names_in_tooltips_are_escaped(app: Flask, surveyed: FlaskClient) -> None:
    from sqlmodel import Session, select

    from planner.store import Village

    with Session(app.extensions["keliling.engine"]) as session:
        village = session.exec(select(Village).where(Village.code == "32.79.01.2003")).one()
        village.name = "<script>alert(1)</script>"
        session.add(village)
        session.commit()
    page = surveyed.get("/permintaan/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    detail = surveyed.get("/permintaan/32.79.01.2003").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in detail and "&lt;script&gt;" in detail
