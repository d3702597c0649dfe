"""The light route page and its separate map page, opened without login."""

import datetime as dt
import re
from typing import Any

from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import link
from tests.web.driver.helpers import Tags

PAGE_BUDGET_BYTES = 150_000


def test_page_lists_the_stops_in_order_with_times_without_login(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    response = client.get(link(app, route))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    day = dt.date.fromisoformat(route["date"])
    assert route["vehicle"] in page
    assert (
        format_date(day, "EEEE, d MMMM yyyy", locale="id") in page
    )  # e.g. Senin, 30 November 2026
    assert f"pukul {route['start'][11:16]} WIB" in page
    ids = [int(i) for i in re.findall(r'<li class="stop[^"]*" id="stop-(\d+)"', page)]
    assert ids == [v["visit_id"] for v in route["visits"]]
    stop_list = page[page.index('id="stops"') :]
    positions = [stop_list.index(f"</span> {v['stop_name']}</h2>") for v in route["visits"]]
    assert positions == sorted(positions)
    for visit in route["visits"]:
        assert f"{visit['arrival'][11:16]}–{visit['departure'][11:16]} WIB" in page
        assert visit["village"] in page
    assert "Belum ada check-in" in page
    for button in ("Tiba", "Selesai", "Dilewati"):
        assert f'value="{button.lower()}">{button}</button>' in page


def test_page_with_its_scripts_and_styles_weighs_under_150_kb(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    html = client.get(link(app, route)).data
    assets = Tags(html.decode()).assets()
    assert assets, "the page should load its own stylesheet and script"
    total = len(html)
    for url in assets:
        assert url.startswith("/static/"), f"{url} is not served by the app"
        response = client.get(url)
        assert response.status_code == 200
        total += len(response.data)
        response.close()
    assert total < PAGE_BUDGET_BYTES
    assert not any("leaflet" in u or "app.css" in u for u in assets)  # no map on the light page


def test_map_page_is_separate_and_served_by_the_app(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    response = client.get(link(app, route) + "/peta")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    tags = Tags(page)
    assert all(url.startswith("/static/") for url in tags.assets())
    assert any("leaflet.js" in url for url in tags.assets())
    assert page.count('class=\\"stop-number\\"') + page.count('class="stop-number"') == len(
        route["visits"]
    )
