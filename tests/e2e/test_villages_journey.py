"""A koordinator logs in and sees Kota Banjar on the map, with no internet for tiles."""

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def _login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")


def test_koordinator_sees_25_villages_on_the_map_without_tiles(new_page) -> None:  # type: ignore[no-untyped-def]
    page, requests = new_page()
    page.goto("/")
    screenshot(page, "01-login")
    _login(page, "koordinator")
    page.wait_for_url("**/dasbor/")
    page.click("header nav a[href='/desa/']")
    page.wait_for_selector("path.village-polygon")
    assert page.url.endswith("/desa/")
    assert page.locator("path.village-polygon").count() == 25
    assert page.locator("path.stop-approximate").count() == 25
    assert page.locator("path.depot-marker").count() == 1
    assert page.locator("#villages-table tbody tr").count() == 25
    assert page.locator("h1").inner_text() == "Desa/kelurahan dan titik layanan"
    screenshot(page, "02-villages-map")
    # Scripts and styles all come from the app; only tiles were tried elsewhere (and failed).
    assert requests.outside("script", "stylesheet", "font") == []
    assert all("tile.openstreetmap.org" in url for url in requests.outside("image", "fetch"))
    assert page.js_errors == []


def test_hovering_a_village_shows_its_name_and_population(new_page) -> None:  # type: ignore[no-untyped-def]
    page, _ = new_page()
    _login(page, "staf")
    page.wait_for_url("**/kegiatan/hari-ini")
    page.goto("/desa/")
    page.wait_for_selector("path.village-polygon")
    page.locator("path.village-polygon").last.hover()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert "Penduduk (estimasi 2025)" in tooltip.inner_text()
    screenshot(page, "03-village-tooltip")


def test_sopir_is_turned_away_from_the_villages_page(new_page) -> None:  # type: ignore[no-untyped-def]
    page, _ = new_page(390, 844)
    _login(page, "sopir")
    page.wait_for_selector("h1")
    assert "Halo" in page.locator("h1").inner_text()
    response = page.goto("/desa/")
    assert response.status == 403
    assert "Anda tidak memiliki akses" in page.content()
    screenshot(page, "04-sopir-forbidden")
