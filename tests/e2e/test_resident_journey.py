"""A resident finds when the bookmobile comes to their village, on a phone, without logging in."""

import shutil
from pathlib import Path

import pytest
from flask import Flask
from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.factories import TODAY, publish_demo_plan
from tests.planner.schedule.helpers import occurrences
from tests.web.views.public_helpers import hhmm, label, later_stop

pytestmark = pytest.mark.e2e
PHONE = (390, 844)


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today."""
    path = tmp_path_factory.mktemp("public-e2e") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_demo_plan(path, TODAY)
    return path


def test_resident_finds_the_next_visit_and_saves_the_calendar(app: Flask, new_page) -> None:  # type: ignore[no-untyped-def]
    stop = later_stop(app)
    page, requests = new_page(*PHONE)
    page.goto("/jadwal/")
    expect(page.locator("h1")).to_have_text("Kapan Perpustakaan Keliling datang?")
    village_item = page.locator(f'[id="desa-{stop["village_code"]}"]')
    expect(village_item).to_contain_text(label(stop))
    screenshot(page, "60-public-villages")

    page.fill("#q", f"Desa {stop['village'].upper()}")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator("#results h2")).to_contain_text(stop["village"].upper())
    screenshot(page, "61-public-search")
    page.locator("a.village-link", has_text=stop["village"]).click()
    card = page.locator(f"#titik-{stop['stop_id']}")
    expect(card.locator("ul.visits li").first).to_have_text(label(stop) + " WIB")
    screenshot(page, "62-public-village")

    card.get_by_role("link", name=stop["stop_name"]).click()
    expect(page.locator("h1")).to_have_text(stop["stop_name"])
    expect(page.locator("tr.visit").first).to_contain_text(hhmm(stop))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#copy")
    expect(page.locator("#copy-status")).to_have_text("Tersalin")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.input_value("#social-text") and stop["stop_name"] in copied
    screenshot(page, "63-public-stop")

    with page.expect_download() as info:
        page.click("#ics")
    download = info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    assert occurrences(calendar) == {v["shown"] for v in stop["visits"]}

    page.click("#poster")
    expect(page.locator(".poster h1")).to_contain_text(stop["stop_name"])
    assert page.locator(".poster .qr svg").count() == 1
    screenshot(page, "64-public-poster")

    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": stop["lat"], "longitude": stop["lon"]})
    page.goto("/jadwal/")
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    page.wait_for_url("**/jadwal/terdekat?lat=*")
    first = page.locator("li.stop-item").first
    expect(first.locator(".stop-name")).to_have_text(stop["stop_name"])
    expect(first).to_contain_text("0 m")
    screenshot(page, "65-public-nearest")

    assert requests.outside("script", "stylesheet", "font", "image", "fetch", "xhr") == []
    assert all(url.startswith(page.url.split("/jadwal")[0]) for _, url in requests.requests)
    assert page.js_errors == []
