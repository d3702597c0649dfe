"""The share message, and user text escaped on the page, in links and on the map."""

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient

from planner.store import Stop, Vehicle, Village
from tests.factories import link
from tests.web.driver.helpers import XSS, Tags
from web.db import get_session


def test_user_text_is_escaped_everywhere(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    with app.app_context():
        session = get_session()
        stop = session.get(Stop, route["visits"][0]["stop_id"])
        vehicle = session.get(Vehicle, route["vehicle_id"])
        assert stop is not None and vehicle is not None
        village = session.get(Village, stop.village_id)
        assert village is not None
        stop.name, stop.notes, vehicle.name, village.name = XSS, XSS, XSS, XSS
        session.add_all([stop, vehicle, village])
        session.commit()
    page = client.get(link(app, route)).get_data(as_text=True)
    assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tags = Tags(page)
    encoded = quote(XSS, safe="")
    assert f"({encoded})" in tags.hrefs("geo")[0]
    share = next(a for t, a in tags.tags if t == "a" and a.get("id") == "share")
    assert share["href"].startswith("https://wa.me/?text=") and encoded in share["href"]
    assert XSS in parse_qs(urlsplit(share["href"]).query)["text"][0]  # WhatsApp shows it as text
    assert link(app, route) in share["data-text"]
    map_page = client.get(link(app, route) + "/peta").get_data(as_text=True)
    assert "<script>alert" not in map_page


def test_share_message_has_date_vehicle_and_link(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    tags = Tags(client.get(link(app, route)).get_data(as_text=True))
    share = next(a for t, a in tags.tags if t == "a" and a.get("id") == "share")
    text = parse_qs(urlsplit(share["href"]).query)["text"][0]
    day = format_date(dt.date.fromisoformat(route["date"]), "EEEE, d MMMM yyyy", locale="id")
    assert day in text and route["vehicle"] in text
    assert text.endswith("http://localhost" + link(app, route))
