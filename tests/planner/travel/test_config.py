"""Choosing a travel provider from the configuration."""

from pathlib import Path
from typing import Any

import pytest

from planner.travel import (
    EstimateProvider,
    OsmProvider,
    OsrmProvider,
    TravelError,
    provider_from_config,
)
from tests.planner.travel.helpers import GRID_NODES, GRID_WAYS, write_osm


@pytest.mark.parametrize(
    ("name", "settings", "message"),
    [
        ("osm", {}, "berkas ekstrak OpenStreetMap"),
        ("osrm", {}, "alamat server OSRM"),
        ("osrm", {"osrm_url": "  "}, "alamat server OSRM"),
        ("osrm", {"osrm_url": "ftp://router"}, "tidak valid"),
        ("google", {}, "tidak dikenal"),
    ],
)
def test_provider_from_config_explains_missing_settings(
    name: str, settings: dict[str, Any], message: str
) -> None:
    with pytest.raises(TravelError, match=message):
        provider_from_config(name, **settings)


def test_provider_from_config_builds_each_provider(tmp_path: Path) -> None:
    osm_path = write_osm(tmp_path / "banjar.osm", GRID_NODES, GRID_WAYS)
    assert isinstance(provider_from_config("estimate"), EstimateProvider)
    assert isinstance(provider_from_config(" OSM ", osm_path=osm_path), OsmProvider)
    osrm = provider_from_config("osrm", osrm_url="http://127.0.0.1:5000/")
    assert isinstance(osrm, OsrmProvider)
    assert osrm.base_url == "http://127.0.0.1:5000"
    with pytest.raises(TravelError, match="tidak ditemukan"):
        provider_from_config("osm", osm_path=tmp_path / "hilang.osm")
