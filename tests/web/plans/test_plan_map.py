"""The plan map reads the typed plan view and never passes a vehicle name to Leaflet as HTML."""

import datetime as dt
import json
import re

from flask import Flask

from planner.core import zone_of
from planner.plans import PlaceView, PlanView, RouteView, VisitView
from web.ui.plan_map import plan_map

ZONE = zone_of("Asia/Jakarta")
PAYLOAD = "Motor 1 <img src=x onerror=alert(1)>"


def _at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2026, 11, 30, hour, minute, tzinfo=ZONE)


def _plan(vehicle: str) -> PlanView:
    visit = VisitView(
        7, 3, "SDN 1 Balokang", "32.79.01.1001", "Balokang", -7.36, 108.53,
        _at(8, 5), _at(8, 5), _at(8, 50), 1200.0, 300, ("anak",), "",
    )  # fmt: skip
    route = RouteView(
        11, 2, vehicle, 1, "motor", dt.date(2026, 11, 30), _at(7, 30), _at(9, 10), 2400,
        PlaceView("Perpustakaan", -7.37, 108.54), (), (visit,),
    )  # fmt: skip
    return PlanView(
        2, "draft", dt.date(2026, 11, 30), 1, "estimate", "Perkiraan", "ok", "Asia/Jakarta",
        "Kota Banjar", {}, (route,), (), (),
    )  # fmt: skip


def _strings(script: str, pattern: str) -> list[str]:
    """The JavaScript string literals the pattern captures, as Leaflet receives them."""
    return [json.loads(literal) for literal in re.findall(pattern, script)]


def _layer_names(script: str) -> list[str]:
    return _strings(script, r'("(?:[^"\\]|\\.)*")\s*:\s*feature_group_')


def _tooltips(script: str) -> list[str]:
    return _strings(script, r'bindTooltip\(\s*("(?:[^"\\]|\\.)*")')


def test_a_vehicle_name_reaches_the_layer_control_as_text(app: Flask) -> None:
    with app.test_request_context():
        script = plan_map(_plan(PAYLOAD)).script
    # Leaflet's layer control shows each name as HTML: the tag must arrive escaped.
    assert "Senin 30/11 · Motor 1 &lt;img src=x onerror=alert(1)&gt;" in _layer_names(script)
    assert not any("<img" in text for text in _layer_names(script) + _tooltips(script))


def test_the_layer_names_the_day_and_vehicle_and_the_label_the_local_times(app: Flask) -> None:
    with app.test_request_context():
        script = plan_map(_plan("Mobil Pusling 1")).script
    assert _layer_names(script) == ["Senin 30/11 · Mobil Pusling 1", "Tidak terlayani"]
    assert _tooltips(script) == ["1. SDN 1 Balokang<br>Senin 30/11 08:05–08:50<br>Mobil Pusling 1"]
