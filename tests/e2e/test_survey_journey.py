"""A koordinator imports a survey export in the browser and reads the demand it implies."""

import pytest

from geodata import load_region
from planner.survey import synthesize, villages_from_pack
from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import screenshot
from tests.factories import SURVEY_ROWS, survey_csv

pytestmark = pytest.mark.e2e


def _login(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("input[name=username]", "koordinator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dasbor/")


def _upload(page, name: str, data: bytes) -> None:  # type: ignore[no-untyped-def]
    page.goto("/survei/")
    page.set_input_files(
        "input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    page.click("form[enctype] button[type=submit]")


def test_broken_export_is_refused_with_rows_and_columns(new_page) -> None:  # type: ignore[no-untyped-def]
    page, _ = new_page()
    _login(page)
    rows = [list(r) for r in SURVEY_ROWS]
    rows[1][0] = "Desa Atlantis"
    _upload(page, "rusak.csv", survey_csv(rows).encode())
    problems = page.locator("#import-problems")
    problems.wait_for()
    assert "Impor ditolak" in problems.inner_text()
    assert "'Desa Atlantis' tidak dikenal" in problems.locator("tbody tr").first.inner_text()
    assert page.locator("#survey-batches").count() == 0
    screenshot(page, "10-survey-refused")


def test_import_then_read_demand_on_the_map(new_page) -> None:  # type: ignore[no-untyped-def]
    page, requests = new_page()
    _login(page)
    data = synthesize(villages_from_pack(load_region("kota_banjar")), 300, seed=5)
    _upload(page, "survei-sintetis.csv", data)
    page.wait_for_selector("#survey-batches")
    assert "300 responden baru" in page.locator(".flash").inner_text()
    assert "SINTETIS" in page.locator("#survey-batches").inner_text()
    screenshot(page, "11-survey-imported")

    page.click("text=Permintaan")
    page.wait_for_selector("path.priority-polygon")
    assert page.locator("path.priority-polygon").count() == 25
    assert "DATA SINTETIS" in page.locator(".notice").inner_text()
    screenshot(page, "12-demand-map")

    first_before = page.locator("#demand-table tbody tr").first.inner_text()
    page.click("#demand-table th:has-text('Desa/kelurahan')")
    names = page.locator("#demand-table tbody tr td:first-child").all_inner_texts()
    assert names == sorted(names, key=str.lower)
    assert page.locator("#demand-table tbody tr").first.inner_text() != first_before

    page.click("#demand-table tbody tr td a >> nth=0")
    page.wait_for_selector("#factors-priority")
    assert page.locator("#factors-priority tbody tr").count() == 4
    screenshot(page, "13-village-detail")
    assert requests.outside("script", "stylesheet", "font") == []
    assert page.js_errors == []
