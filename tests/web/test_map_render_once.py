"""Map pages are rendered once: each piece of a folium map is placed in the page as text instead
of being compiled as a Jinja template a second time (branca 0.8.2), and the page is byte for
byte what the previous path (branca's own MacroElement.render) gave, user text included."""

import datetime as dt
import html
import itertools
import json
import re
from collections.abc import Callable, Iterator

import jinja2
import pytest
from branca.element import Element, MacroElement
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from planner.store import Plan, Stop, Vehicle
from tests.conftest import DEMO_PASSWORD
from tests.web.plans.plan_helpers import solved_week
from web.ui.map_render import RenderOnce, as_template_output

HOSTILE = ["Balai <b>&amp;</b> \"kutip\" 'satu'", "Taman {{ 7*7 }} {% if 1 %}x{% endif %}"]
META = '<meta http-equiv="content-type" content="text/html; charset=UTF-8" />'
VARYING = re.compile(r'(nonce="|csrf_token" (?:type="hidden" )?value="|csrf-token" content=")[^"]*')


@pytest.fixture
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """Element ids from a counter (restartable), so two renderings can be compared."""
    counter = itertools.count()

    def restart() -> None:
        nonlocal counter
        counter = itertools.count()

    monkeypatch.setattr(Element, "_generate_id", classmethod(lambda cls: f"{next(counter):032x}"))
    yield restart


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every template source jinja2 compiles while the test runs."""
    seen: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, *args: object, **kwargs: object) -> object:
        seen.append(str(source))
        return original(self, source, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return seen


def _hostile_plan(app: Flask) -> int:
    """A solved week whose stops and vehicles are named with markup and template syntax."""
    with Session(app.extensions["keliling.engine"]) as session:
        stops = session.exec(select(Stop).order_by(col(Stop.id))).all()
        for stop, name in zip(stops, itertools.cycle(HOSTILE)):
            stop.name = f"{name} {stop.id}"
            session.add(stop)
        for vehicle in session.exec(select(Vehicle)):
            vehicle.name = f"{HOSTILE[vehicle.id % 2]} {vehicle.id}"  # type: ignore[operator]
            session.add(vehicle)
        plan: Plan = solved_week(session, dt.date(2026, 11, 30))
        session.commit()
        assert plan.id is not None
        return plan.id


def _page(client: FlaskClient, path: str, restart: Callable[[], None]) -> str:
    restart()
    response = client.get(path)
    assert response.status_code == 200, path
    return VARYING.sub(r"\1", response.get_data(as_text=True))


def test_map_pages_are_byte_identical_to_brancas_rendering_and_compile_nothing(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    fixed_ids: Callable[[], None],
    compiles: list[str],
) -> None:
    plan_id = _hostile_plan(app)
    client.post("/login", data={"username": "koordinator", "password": DEMO_PASSWORD})
    paths = [f"/rencana/{plan_id}", "/titik/", "/titik/1", "/permintaan/", "/desa/"]
    for path in paths:  # warm-up: the app's own templates are compiled once
        client.get(path)
    compiles.clear()
    once = {path: _page(client, path, fixed_ids) for path in paths}
    # Left: the <meta> branca's Figure adds as a template when it is made (once per map).
    assert set(compiles) == {META}, "a rendered piece was compiled again"
    monkeypatch.setattr(RenderOnce, "render", MacroElement.render)  # branca's own path
    compiles.clear()
    before = {path: _page(client, path, fixed_ids) for path in paths}
    assert len(compiles) > 20 * len(paths)  # the previous path: every piece compiled again
    for path in paths:
        assert once[path] == before[path], path
    plan_page = once[paths[0]]
    assert "bindPopup" in plan_page and "bindTooltip" in plan_page  # routes with popups drawn
    shown = [  # what Leaflet shows: the JSON string, read as HTML
        html.unescape(json.loads(text))
        for text in re.findall(r'bindPopup\(\s*("(?:[^"\\]|\\.)*")', plan_page)
    ]
    for name in HOSTILE:
        assert any(text.split(". ", 1)[1].startswith(name) for text in shown), name
    assert "Taman 49" not in plan_page


def test_map_scripts_and_styles_are_served_by_the_app(app: Flask, client: FlaskClient) -> None:
    plan_id = _hostile_plan(app)
    client.post("/login", data={"username": "koordinator", "password": DEMO_PASSWORD})
    for path in [f"/rencana/{plan_id}", "/titik/", "/permintaan/"]:
        page = client.get(path).get_data(as_text=True)
        sources = re.findall(r'<script[^>]* src="([^"]+)"', page)
        sources += re.findall(r'<link[^>]* href="([^"]+)"', page)
        assert any("leaflet.js" in s for s in sources), path
        assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources
        for source in sources:
            with client.get(source) as response:
                assert response.status_code == 200, source


@pytest.mark.parametrize(
    ("text", "shown"),
    [("a\nb\n", "a\nb"), ("a\r\nb\r", "a\nb"), ("", ""), ("\n\n", "\n"), ("x", "x")],
)
def test_a_piece_reads_as_jinja_would_render_it(text: str, shown: str) -> None:
    assert as_template_output(text) == shown == jinja2.Template(text).render()
