"""A koordinator corrects an approximate service point by clicking its true position on the map."""

import json

import pytest
from flask import Flask
from shapely.geometry import Point, shape
from sqlmodel import Session, select

from geodata import load_region
from planner.store import Stop
from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e
BALOKANG = "32.79.01.2003"
STOP_NAME = "Titik layanan Balokang"
TO_PIXEL = """({name, lat, lon}) => {
  const point = window[name].latLngToContainerPoint([lat, lon]);
  return [point.x, point.y];
}"""


def _login(page, username: str = "koordinator") -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")


def _stop(app: Flask) -> Stop:
    with Session(app.extensions["keliling.engine"]) as session:
        return session.exec(select(Stop).where(Stop.name == STOP_NAME)).one()


def _target() -> tuple[float, float]:
    """A point well inside Balokang, about 250 m from its inside point (the default stop)."""
    village = next(v for v in load_region("kota_banjar").villages if v.code == BALOKANG)
    polygon = shape(json.loads(village.geometry_geojson))
    for d_lat, d_lon in ((0.002, 0.0015), (-0.002, 0.0015), (0.002, -0.0015), (-0.002, -0.0015)):
        lat, lon = village.inside_lat + d_lat, village.inside_lon + d_lon
        if polygon.contains(Point(lon, lat).buffer(0.001)):
            return lat, lon
    raise AssertionError("no clear point near the inside point of Balokang")


def test_koordinator_moves_a_stop_on_the_map_and_clears_approximate(  # type: ignore[no-untyped-def]
    new_page, app: Flask
) -> None:
    page, requests = new_page()
    _login(page)
    page.goto("/titik/")
    page.wait_for_selector("path.stop-approximate")
    assert page.locator("#stops-table tbody tr").count() == 25
    screenshot(page, "30-stops-list")

    page.click(f"text={STOP_NAME}")
    page.wait_for_selector("#stop-map .leaflet-marker-icon")
    assert page.locator("#approximate").is_checked()
    before = (page.input_value("#lat"), page.input_value("#lon"))
    screenshot(page, "31-stop-form")

    lat, lon = _target()
    name = page.get_attribute("#stop-map", "data-map-name")
    x, y = page.evaluate(TO_PIXEL, {"name": name, "lat": lat, "lon": lon})
    box = page.locator(f"#{name}").bounding_box()
    assert 0 < x < box["width"] and 0 < y < box["height"], "the target must be in view"
    page.mouse.click(box["x"] + x, box["y"] + y)
    clicked = (float(page.input_value("#lat")), float(page.input_value("#lon")))
    assert (page.input_value("#lat"), page.input_value("#lon")) != before
    assert clicked == pytest.approx((lat, lon), abs=0.0002)  # within a pixel or two
    assert "simpan agar posisi baru tersimpan" in page.inner_text("#stop-map-status")
    page.uncheck("#approximate")
    screenshot(page, "32-stop-moved")

    page.click("#stop-form button[type=submit]")
    page.wait_for_selector(".flash")
    assert f'Titik layanan "{STOP_NAME}" disimpan.' in page.inner_text(".flash")
    assert (float(page.input_value("#lat")), float(page.input_value("#lon"))) == clicked
    assert not page.locator("#approximate").is_checked()
    assert page.locator("#stop-approximate").count() == 0
    screenshot(page, "33-stop-saved")

    stored = _stop(app)
    assert (stored.lat, stored.lon) == clicked and not stored.approximate
    assert requests.outside("script", "stylesheet", "font") == []
    assert any(url.endswith("/static/js/stop-map.js") for _kind, url in requests.requests)
    assert page.js_errors == []


def test_typing_the_coordinates_works_without_javascript(  # type: ignore[no-untyped-def]
    browser, live_server: str, app: Flask
) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=live_server)
    try:
        page = context.new_page()
        _login(page)
        stop = _stop(app)
        page.goto(f"/titik/{stop.id}")
        lat, lon = _target()
        page.fill("#lat", f"{lat:.6f}".replace(".", ",", 1))  # a decimal comma is fine too
        page.fill("#lon", f"{lon:.6f}")
        page.click("#stop-form button[type=submit]")
        page.wait_for_selector(".flash")
        screenshot(page, "34-stop-typed-without-script")
        stored = _stop(app)
        assert (stored.lat, stored.lon) == (round(lat, 6), round(lon, 6))
        assert stored.approximate  # only the position changed
    finally:
        context.close()
