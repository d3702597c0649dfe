"""Any text a user types survives every export format."""

import io
import json
from typing import Any

import gpxpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from planner.exports import clean, plan_csv, plan_geojson, plan_gpx, plan_ics, plan_xlsx
from tests.planner.exports.helpers import _csv_rows, _events, make_plan


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
