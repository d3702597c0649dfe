"""Template syntax in a stop's or vehicle's name is shown as typed on every map and never runs
on the server: branca compiles each rendered piece of a folium map as a Jinja template again,
so `{{ 7*7 }}` in a name became 49 and `{{ config }}` made the stops page a 500."""

import html
import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from planner.store import Stop
from tests.conftest import DEMO_PASSWORD
from tests.web.plans.test_plan_map import _layer_names, _plan
from web.ui.plan_map import plan_map

NAMES = ["Taman {{ 7*7 }}", "Pos {% if true %}ya{% endif %} {# x #}", "Balai {{ config }}"]


@pytest.mark.parametrize("name", NAMES)
def test_a_vehicle_name_with_template_syntax_reaches_the_layer_control_as_typed(
    app: Flask, name: str
) -> None:
    with app.test_request_context():
        script = plan_map(_plan(name)).script
    shown = [html.unescape(text) for text in _layer_names(script)]  # what Leaflet displays
    assert f"Senin 30/11 · {name}" in shown


def test_stop_names_with_template_syntax_show_as_typed_on_the_stops_map(
    app: Flask, client: FlaskClient
) -> None:
    with Session(app.extensions["keliling.engine"]) as session:
        stops = session.exec(select(Stop).order_by(Stop.id)).all()[: len(NAMES)]  # type: ignore[arg-type]
        for stop, name in zip(stops, NAMES, strict=True):
            stop.name = name
            session.add(stop)
        session.commit()
    client.post("/login", data={"username": "koordinator", "password": DEMO_PASSWORD})
    response = client.get("/titik/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    tooltips = [
        html.unescape(json.loads(t))
        for t in re.findall(r'bindTooltip\(\s*("(?:[^"\\]|\\.)*")', page)
    ]
    for name in NAMES:
        assert any(text.startswith(name + "<br>") for text in tooltips), name
    assert "Taman 49" not in page
