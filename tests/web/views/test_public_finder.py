"""Finding the nearest stops by name or by coordinates."""

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from planner.core import haversine_m
from tests.web.views.public_helpers import (
    ESCAPED,
    XSS,
    label,
    planned_copy,
    published,
    stop_visits,
    text,
)


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


def test_finder_by_name(client: FlaskClient) -> None:
    page = text(client, "/jadwal/terdekat?q=Jl.+Siliwangi,+Kel.+HEGARSARI")
    assert "Kelurahan Hegarsari</a>" in page and 'class="stop-name"' in page
    assert "Titik layanan Hegarsari" in page
    typo = text(client, "/jadwal/terdekat?q=Hegarsri")
    assert "Tidak ada desa/kelurahan atau titik dengan nama ini." in typo
    suggestion = r'Maksud Anda\s*<a class="suggestion" href="/jadwal/desa/[0-9.]+">Hegarsari'
    assert re.search(suggestion, typo)
    assert "Ketik nama desa/kelurahan" in text(client, "/jadwal/terdekat")
    echoed = text(client, f"/jadwal/terdekat?q={XSS}")
    assert XSS not in echoed and ESCAPED in echoed


def test_finder_by_coordinates(app: Flask, client: FlaskClient, later: dict[str, Any]) -> None:
    lat, lon = later["lat"], later["lon"]
    page = text(client, f"/jadwal/terdekat?lat={str(lat).replace('.', ',')}&lon={lon}")
    found = [int(i) for i in re.findall(r'data-stop="(\d+)"', page)]
    assert found[0] == later["stop_id"] and len(found) == 5
    stops = {v[0]["stop_id"]: v[0] for v in stop_visits(published(app)).values()}
    by_hand = sorted(stops, key=lambda s: haversine_m(lat, lon, stops[s]["lat"], stops[s]["lon"]))
    assert found == by_hand[:5]
    assert f"{later['village']} · 0 m" in page and label(later) in page
    far = text(client, "/jadwal/terdekat?lat=-6.2&lon=106.8")  # Jakarta
    assert "di luar wilayah layanan" in far
    bad = client.get("/jadwal/terdekat?lat=utara&lon=108.5")
    assert bad.status_code == 400
    assert "Lintang dan bujur harus berupa angka" in bad.get_data(as_text=True)
    assert client.get("/jadwal/terdekat?lat=95&lon=108.5").status_code == 400
