"""Exports of a route plan: what a coordinator, a driver or a resident gets in each file."""

import csv
import datetime as dt
import io
import json
import zipfile
from typing import Any

import gpxpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from openpyxl import load_workbook

from planner.exports import (
    EXPORT_FORMATS,
    clean,
    export_plan,
    plan_csv,
    plan_geojson,
    plan_gpx,
    plan_ics,
    plan_xlsx,
    safe_filename,
)

BALOKANG = "Titik layanan Balokang"
SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("x")'
TRICKY_NOTE = 'Bawa 2 peti, "buku anak"\nparkir di halaman 📚'
DEPOT = {"name": "Perpustakaan Umum Daerah Kota Banjar", "lat": -7.3700, "lon": 108.5400}
WIB = dt.timezone(dt.timedelta(hours=7))


def _visit(
    stop_id: int, name: str, village: str, lat: float, lon: float, times: str
) -> dict[str, Any]:
    day, arrival, departure = times.split()
    return {
        "stop_id": stop_id,
        "stop_name": name,
        "village_code": f"32.79.01.200{stop_id}",
        "village": village,
        "lat": lat,
        "lon": lon,
        "arrival": f"{day}T{arrival}:00+07:00",
        "start": f"{day}T{arrival}:00+07:00",
        "departure": f"{day}T{departure}:00+07:00",
        "distance_m": 1000 * stop_id,
        "topics": ["agama", "kesehatan"],
        "notes": "",
    }


def _route(day: str, vehicle: str, visits: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "vehicle": vehicle,
        "vehicle_kind": "van",
        "date": day,
        "start": f"{day}T07:30:00+07:00",
        "end": f"{day}T15:10:00+07:00",
        "depot": DEPOT,
        "distance_m": 15230,
        "breaks": [],
        "visits": visits,
    }


def make_plan() -> dict[str, Any]:
    """Monday: Balokang then the <script> stop; Tuesday: the formula-named stop; one unserved."""
    monday = [
        _visit(3, BALOKANG, "Balokang", -7.3601, 108.5302, "2026-11-30 08:05 08:50"),
        _visit(4, SCRIPT_NAME, "Hegarsari", -7.3502, 108.5503, "2026-11-30 09:10 09:55"),
    ]
    monday[1]["notes"] = TRICKY_NOTE
    tuesday = [_visit(5, FORMULA_NAME, "Karyamukti", -7.3803, 108.5104, "2026-12-01 13:00 13:45")]
    return {
        "id": 12,
        "start": "2026-11-30",
        "weeks": 1,
        "provider": "estimate",
        "provider_label": "Perkiraan garis lurus × 1,3",
        "region": "Kota Banjar",
        "timezone": "Asia/Jakarta",
        "status": "draft",
        "future_key": {"ignored": True},
        "metrics": {"total_distance_km": 41.2, "visits_planned": 3, "visits_required": 4},
        "routes": [
            _route("2026-11-30", "Mobil Pusling 1", monday),
            _route("2026-12-01", "Motor Pusling 2", tuesday),
        ],
        "unserved": [
            {
                "stop_id": 9,
                "stop_name": "SDN 2 Langensari",
                "village_code": "32.79.04.1002",
                "lat": -7.3904,
                "lon": 108.6005,
                "reason": "di luar jam layanan semua kendaraan",
            }
        ],
    }


@pytest.fixture
def plan() -> dict[str, Any]:
    return make_plan()


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


# CSV


def test_csv_lists_visits_in_route_order_with_weekday_and_wib_times(plan: dict[str, Any]) -> None:
    rows = _csv_rows(plan_csv(plan))[:3]
    assert [(r["date"], r["hari"], r["order"], r["stop_name"]) for r in rows] == [
        ("2026-11-30", "Senin", "1", BALOKANG),
        ("2026-11-30", "Senin", "2", SCRIPT_NAME),
        ("2026-12-01", "Selasa", "1", FORMULA_NAME),
    ]
    assert (rows[0]["arrival"], rows[0]["start"], rows[0]["departure"]) == (
        "08:05",
        "08:05",
        "08:50",
    )
    assert rows[0]["topics"] == "agama, kesehatan"
    assert {r["status"] for r in rows} == {"terjadwal"}


def test_csv_ends_with_the_unserved_visit_and_its_reason(plan: dict[str, Any]) -> None:
    last = _csv_rows(plan_csv(plan))[-1]
    assert last["stop_name"] == "SDN 2 Langensari"
    assert last["status"] == "tidak terlayani"
    assert last["reason"] == "di luar jam layanan semua kendaraan"
    assert last["arrival"] == last["order"] == ""


def test_csv_keeps_commas_quotes_newlines_and_emoji_in_one_cell(plan: dict[str, Any]) -> None:
    rows = _csv_rows(plan_csv(plan))
    assert len(rows) == 4
    assert rows[1]["notes"] == TRICKY_NOTE


def test_times_given_in_utc_are_shown_in_wib(plan: dict[str, Any]) -> None:
    plan["routes"][0]["visits"][0]["arrival"] = "2026-11-30T01:05:00Z"
    assert _csv_rows(plan_csv(plan))[0]["arrival"] == "08:05"


# XLSX


def test_xlsx_has_route_summary_and_unserved_sheets(plan: dict[str, Any]) -> None:
    book = load_workbook(io.BytesIO(plan_xlsx(plan)))
    assert book.sheetnames == ["Rute", "Ringkasan", "Tidak terlayani"]
    route = book["Rute"]
    header = [cell.value for cell in route[1]]
    assert header[:4] == ["date", "hari", "vehicle", "order"]
    assert route.freeze_panes == "A2"
    assert all(cell.font.bold for cell in route[1])
    assert route.max_row == 4  # header + 3 visits
    assert route["A2"].value == dt.datetime(2026, 11, 30)  # a real date, sortable
    assert route["A2"].number_format == "yyyy-mm-dd"
    assert book["Tidak terlayani"]["B2"].value == "SDN 2 Langensari"
    assert book["Tidak terlayani"]["E2"].value == "di luar jam layanan semua kendaraan"


def test_xlsx_summary_uses_indonesian_labels(plan: dict[str, Any]) -> None:
    sheet = load_workbook(io.BytesIO(plan_xlsx(plan)))["Ringkasan"]
    summary = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert summary["Total jarak (km)"] == 41.2
    assert summary["Kunjungan terjadwal"] == 3
    assert summary["Sumber waktu tempuh"] == "Perkiraan garis lurus × 1,3"
    assert summary["Jumlah minggu"] == 1


def test_xlsx_stores_a_formula_looking_name_as_text(plan: dict[str, Any]) -> None:
    data = plan_xlsx(plan)
    sheet = load_workbook(io.BytesIO(data))["Rute"]
    cell = sheet["F4"]  # header, two Monday visits, then the Tuesday one
    assert cell.value == FORMULA_NAME
    assert cell.data_type == "s"
    assert cell.quotePrefix  # Excel's stored "'" prefix: stays text even after editing
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml


# GPX


def test_gpx_has_one_route_per_day_from_depot_back_to_depot(plan: dict[str, Any]) -> None:
    gpx = gpxpy.parse(plan_gpx(plan).decode("utf-8"))
    assert [r.name for r in gpx.routes] == [
        "2026-11-30 Mobil Pusling 1",
        "2026-12-01 Motor Pusling 2",
    ]
    monday = gpx.routes[0].points
    assert [p.name for p in monday] == [
        DEPOT["name"],
        BALOKANG,
        SCRIPT_NAME,
        DEPOT["name"],
    ]
    for points in (monday, gpx.routes[1].points):
        assert (points[0].latitude, points[0].longitude) == (DEPOT["lat"], DEPOT["lon"])
        assert (points[-1].latitude, points[-1].longitude) == (DEPOT["lat"], DEPOT["lon"])
    assert (monday[1].latitude, monday[1].longitude) == (-7.3601, 108.5302)
    assert monday[1].description == "tiba 08:05, selesai 08:50; Balokang"
    assert sorted(w.name for w in gpx.waypoints) == sorted([BALOKANG, SCRIPT_NAME, FORMULA_NAME])


def test_gpx_escapes_markup_in_stop_names(plan: dict[str, Any]) -> None:
    data = plan_gpx(plan)
    assert b"<script>" not in data
    assert b"&lt;script&gt;" in data


def test_gpx_for_one_route_only(plan: dict[str, Any]) -> None:
    gpx = gpxpy.parse(plan_gpx(plan, route_index=1).decode("utf-8"))
    assert [len(r.points) for r in gpx.routes] == [3]
    assert [w.name for w in gpx.waypoints] == [FORMULA_NAME]
    with pytest.raises(ValueError, match="route_index 2"):
        plan_gpx(plan, route_index=2)


# iCalendar


def test_ics_has_one_event_per_visit_in_wib(plan: dict[str, Any]) -> None:
    events = _events(plan_ics(plan))
    assert [e["summary"] for e in events] == [
        "Perpustakaan Keliling: Titik layanan Balokang",
        f"Perpustakaan Keliling: {SCRIPT_NAME}",
        f"Perpustakaan Keliling: {FORMULA_NAME}",
    ]
    first = events[0]
    assert first.start == dt.datetime(2026, 11, 30, 8, 5, tzinfo=WIB)
    assert first.end == dt.datetime(2026, 11, 30, 8, 50, tzinfo=WIB)
    assert first["dtstart"].params["TZID"] == "Asia/Jakarta"
    assert first.start.utcoffset() == dt.timedelta(hours=7)
    assert (first["geo"].latitude, first["geo"].longitude) == (-7.3601, 108.5302)
    assert first["location"] == "Titik layanan Balokang, Balokang"


def test_ics_description_names_the_vehicle_and_keeps_notes(plan: dict[str, Any]) -> None:
    description = str(_events(plan_ics(plan))[1]["description"])
    assert "Kendaraan: Mobil Pusling 1" in description
    assert TRICKY_NOTE in description


def test_ics_carries_the_jakarta_timezone_and_calendar_name(plan: dict[str, Any]) -> None:
    calendar = Calendar.from_ical(plan_ics(plan))
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Jakarta"]
    assert calendar["X-WR-TIMEZONE"] == "Asia/Jakarta"
    assert "Kota Banjar" in calendar["X-WR-CALNAME"]


def test_ics_uids_are_unique_and_stable_across_exports(plan: dict[str, Any]) -> None:
    earlier = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    first = [str(e["uid"]) for e in _events(plan_ics(plan, stamp=earlier))]
    second = [str(e["uid"]) for e in _events(plan_ics(make_plan()))]
    assert first == second
    assert len(set(first)) == 3
    assert first[0] == "keliling-12-2026-11-30-mobil-pusling-1-3@keliling"


def test_ics_uids_stay_unique_when_a_route_visits_a_stop_twice(plan: dict[str, Any]) -> None:
    monday = plan["routes"][0]["visits"]
    again = _visit(3, BALOKANG, "Balokang", -7.3601, 108.5302, "2026-11-30 14:00 14:45")
    monday.append(again)
    uids = [str(e["uid"]) for e in _events(plan_ics(plan))]
    assert len(uids) == len(set(uids)) == 4


# GeoJSON


def test_geojson_has_visits_routes_and_unserved_in_lon_lat_order(plan: dict[str, Any]) -> None:
    features = json.loads(plan_geojson(plan))["features"]
    kinds = [(f["geometry"]["type"], f["properties"].get("status")) for f in features]
    assert kinds.count(("Point", "terjadwal")) == 3
    assert kinds.count(("LineString", None)) == 2
    assert kinds.count(("Point", "tidak terlayani")) == 1
    first = features[0]
    assert first["geometry"]["coordinates"] == [108.5302, -7.3601]
    assert first["properties"]["order"] == 1
    assert first["properties"]["arrival"] == "2026-11-30T08:05:00+07:00"


def test_geojson_route_lines_run_depot_to_depot_in_weekday_colours(plan: dict[str, Any]) -> None:
    lines = [
        f
        for f in json.loads(plan_geojson(plan))["features"]
        if f["geometry"]["type"] == "LineString"
    ]
    depot = [DEPOT["lon"], DEPOT["lat"]]
    monday = lines[0]["geometry"]["coordinates"]
    assert monday == [depot, [108.5302, -7.3601], [108.5503, -7.3502], depot]
    assert lines[0]["properties"]["distance_m"] == 15230
    assert lines[0]["properties"]["color"] != lines[1]["properties"]["color"]


def test_geojson_skips_unserved_stops_without_coordinates(plan: dict[str, Any]) -> None:
    del plan["unserved"][0]["lat"]
    features = json.loads(plan_geojson(plan))["features"]
    assert all(f["properties"].get("status") != "tidak terlayani" for f in features)


# Dispatch and file names


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpx"])
def test_export_plan_dispatches_by_format(plan: dict[str, Any], fmt: str) -> None:
    direct = {"csv": plan_csv, "geojson": plan_geojson, "gpx": plan_gpx}[fmt]
    assert export_plan(plan, fmt) == direct(plan)


def test_unknown_format_is_refused_with_the_known_ones(plan: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="csv, xlsx, gpx, ics, geojson"):
        export_plan(plan, "pdf")
    with pytest.raises(ValueError, match="pdf"):
        safe_filename(plan, "pdf")


def test_safe_filename_names_plan_and_start(plan: dict[str, Any]) -> None:
    assert EXPORT_FORMATS == ("csv", "xlsx", "gpx", "ics", "geojson")
    assert safe_filename(plan, "csv") == "rencana-12-2026-11-30.csv"
    plan["id"] = "../../etc/passwd"
    assert safe_filename(plan, "ics") == "rencana-etc-passwd-2026-11-30.ics"


# Arbitrary user text


def _with_text(name: str, notes: str, vehicle: str) -> dict[str, Any]:
    plan = make_plan()
    plan["routes"][0]["vehicle"] = vehicle
    visit = plan["routes"][0]["visits"][0]
    visit["stop_name"], visit["notes"], visit["village"] = name, notes, notes
    plan["unserved"][0]["reason"] = notes
    return plan


def _assert_all_formats_parse(plan: dict[str, Any], name: str, notes: str) -> None:
    expected_name, expected_notes = clean(name), clean(notes)
    rows = _csv_rows(plan_csv(plan))
    assert (rows[0]["stop_name"], rows[0]["notes"], rows[-1]["reason"]) == (
        expected_name,
        expected_notes,
        expected_notes,
    )
    cell = load_workbook(io.BytesIO(plan_xlsx(plan)))["Rute"]["F2"]
    assert (cell.value or "") == expected_name
    gpx = gpxpy.parse(plan_gpx(plan).decode("utf-8"))
    assert (gpx.routes[0].points[1].name or "") == expected_name
    events = _events(plan_ics(plan))
    assert str(events[0]["summary"]) == f"Perpustakaan Keliling: {expected_name}"
    assert len({str(e["uid"]) for e in events}) == 3
    features = json.loads(plan_geojson(plan))["features"]
    assert features[0]["properties"]["stop_name"] == expected_name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(), notes=st.text(), vehicle=st.text())
def test_any_user_text_survives_every_export(name: str, notes: str, vehicle: str) -> None:
    _assert_all_formats_parse(_with_text(name, notes, vehicle), name, notes)


@pytest.mark.parametrize(
    "name",
    ["", " ", "a\r\nb", "\x00\x0b\ufffe", "]]>&amp;", '"; DROP', "\\n\\,;", "@SUM(A1)", "#N/A"],
)
def test_awkward_text_survives_every_export(name: str) -> None:
    _assert_all_formats_parse(_with_text(name, name, name), name, name)
