"""A koordinator's jobs done in the browser only, under the app's CSP: a stops CSV (a broken one
first, refused with its rows and columns), an OpenStreetMap extract chosen on the settings page,
a week planned with it around 17 August, and the plan downloaded as XLSX and GPX."""

import datetime as dt
import re
from pathlib import Path

import gpxpy
import pytest
from flask import Flask
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import screenshot
from tests.planner.plans.osm_helpers import keep_few_stops, region_extract

pytestmark = pytest.mark.e2e
HEADER = "name,village_code,kind,lat,lon,service_minutes,active\n"
BROKEN = HEADER + (
    "SDN 9 Balokang,32.79.01.2003,sekolah,-7.3675,108.5068,60,tidak\n"
    "Dermaga,32.79.01.2003,kapal,-7.3675,abc,60,tidak\n"
)
GOOD = HEADER + "SDN 9 Balokang,32.79.01.2003,sekolah,-7.3675,108.5068,60,tidak\n"
OSM_LABEL = "Waktu tempuh: Jaringan jalan OpenStreetMap (berkas kota_banjar.osm)"
INDEPENDENCE_DAY = "Selasa, 17 Agustus 2027: Hari Kemerdekaan Republik Indonesia — tanpa kunjungan"


def _upload_stops(page, name: str, body: str) -> None:  # type: ignore[no-untyped-def]
    files = [{"name": name, "mimeType": "text/csv", "buffer": body.encode()}]
    page.set_input_files("#stops-import input[type=file]", files=files)
    page.click("#stops-import button[type=submit]")


def _download(page, fmt: str, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        page.click(f"#export-{fmt}")
    target: Path = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_koordinator_imports_chooses_osm_plans_around_a_holiday_and_downloads(  # type: ignore[no-untyped-def]
    app: Flask, new_page, tmp_path: Path
) -> None:
    engine = app.extensions["keliling.engine"]
    keep_few_stops(engine)  # a small extract then reaches every active stop
    extract = region_extract(engine, tmp_path / "jawa-barat.osm")
    page, requests = new_page()
    page.goto("/login")
    page.fill("input[name=username]", "koordinator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dasbor/")

    page.goto("/titik/")
    page.click("a[href='/titik/csv']")
    _upload_stops(page, "rusak.csv", BROKEN)
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("Impor ditolak: tidak ada yang disimpan")
    cells = [row.split("\t") for row in problems.locator("tbody tr").all_inner_texts()]
    assert {(row[0], row[1]) for row in cells} >= {("3", "kind"), ("3", "lon")}
    screenshot(page, "80-stops-csv-refused")
    _upload_stops(page, "titik.csv", GOOD)
    expect(page.locator(".flash")).to_contain_text("1 titik layanan baru, 0 diperbarui.")

    page.goto("/pengaturan/waktu-tempuh")
    page.check("input[name=provider][value=osm]")
    page.set_input_files("input[name=osm_file]", str(extract))
    page.click("#travel-form button[type=submit]")
    expect(page.locator("#travel-current")).to_contain_text("Jaringan jalan OpenStreetMap")

    page.goto("/rencana/")
    page.fill("#start", "2027-08-16")
    page.dispatch_event("#start", "change")
    expect(page.locator("#plan-days-off")).to_contain_text("17 Agu (Hari Kemerdekaan")
    page.select_option("#time_limit", "5")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/rencana/\d+$"), timeout=60_000)
    main = page.locator("main").inner_text()
    assert OSM_LABEL in main and INDEPENDENCE_DAY in main
    route_days = page.locator("#routes .route").all_inner_texts()
    assert route_days and not [day for day in route_days if "17 Agustus 2027" in day]
    screenshot(page, "81-plan-with-osm-and-holiday")

    book = load_workbook(_download(page, "xlsx", tmp_path), read_only=True)
    try:  # a read-only workbook keeps its file open until closed
        dates = {row[0] for row in list(book["Rute"].iter_rows(values_only=True))[1:]}
    finally:
        book.close()
    assert dates and dt.datetime(2027, 8, 17) not in dates
    gpx = gpxpy.parse(_download(page, "gpx", tmp_path).read_text(encoding="utf-8"))
    assert len(gpx.routes) == len(route_days)
    assert requests.outside("script", "stylesheet", "font", "fetch", "xhr") == []
    assert page.js_errors == []
