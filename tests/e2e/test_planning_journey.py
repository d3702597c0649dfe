"""A koordinator imports the survey, plans a week watching the progress bar, reads the
result on the map and in the tables, and publishes it."""

import re

import pytest
from playwright.sync_api import expect

from geodata import load_region
from planner.survey import synthesize, villages_from_pack
from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e
TIME_LIMIT_S = 5


def test_koordinator_plans_and_publishes_a_week(new_page) -> None:  # type: ignore[no-untyped-def]
    page, requests = new_page()
    page.goto("/login")
    page.fill("input[name=username]", "koordinator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dasbor/")
    assert "Belum ada rencana yang diterbitkan" in page.content()
    screenshot(page, "40-dashboard-empty")

    data = synthesize(villages_from_pack(load_region("kota_banjar")), 400, seed=9)
    page.goto("/survei/")
    page.set_input_files(
        "input[type=file]", files=[{"name": "sintetis.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.click("form[enctype] button[type=submit]")
    assert "400 responden baru" in page.locator(".flash").inner_text()

    page.goto("/rencana/")
    page.select_option("#time_limit", str(TIME_LIMIT_S))
    page.click("#plan-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/rencana/tugas/\d+$"))
    # expect() polls without eval, which the app's CSP forbids (wait_for_function needs it).
    expect(page.locator("#job-progress")).not_to_have_js_property("value", 0, timeout=30_000)
    # The best plan so far reads as visits scheduled and km, never as the solver's cost.
    best = re.compile(r"^\d+ / \d+ kunjungan terjadwal · [\d.,]+ km$")
    expect(page.locator("[data-field=best]")).to_have_text(best, timeout=30_000)
    screenshot(page, "41-progress")
    assert page.locator("#job-progress").is_visible()
    assert "biaya" not in page.locator("#job-text").inner_text()

    # The plan opens by itself once the run ends. The wall time of the whole journey moves with
    # the machine's load, so the promise is checked where the user reads it: the solve time the
    # plan shows stays within the limit chosen plus the 3 s the planner promises.
    page.wait_for_url(re.compile(r".*/rencana/\d+$"), timeout=(TIME_LIMIT_S + 25) * 1000)
    solve_time = page.locator("#plan-metrics div", has_text="Waktu hitung").locator("strong")
    seconds = float(solve_time.inner_text().split()[0].replace(",", "."))
    assert 0 < seconds <= TIME_LIMIT_S + 3
    # A route whose only stop is at the depot draws as a zero-length (invisible) line.
    page.locator("path.route-line >> visible=true").first.wait_for()
    assert page.locator("path.route-line").count() >= 2
    assert page.locator("#routes .route").count() >= 2
    assert page.locator("#plan-metrics").is_visible() and page.locator("#unserved").is_visible()
    screenshot(page, "42-plan-result")

    # Publishing shows what changes first and needs a confirmation.
    page.click("#publish")
    page.wait_for_url(re.compile(r".*/rencana/\d+/terbitkan$"))
    assert "Ini penerbitan pertama" in page.locator("#publish-summary").inner_text()
    screenshot(page, "43-publish-confirm")
    page.click("#confirm-publish")
    page.wait_for_selector("a.driver-link")
    assert "terbit" in page.locator("h1").inner_text()
    screenshot(page, "43-published")

    page.goto("/dasbor/")
    assert page.locator("#dash-routes tbody tr").count() >= 2
    screenshot(page, "44-dashboard")
    assert requests.outside("script", "stylesheet", "font") == []
    assert page.js_errors == []
