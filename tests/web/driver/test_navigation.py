"""Navigation links per stop and for the whole route, and the GPX download."""

from typing import Any
from urllib.parse import quote

import gpxpy
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import link
from tests.web.driver.helpers import Tags, coords, query
from web.driver.navigation import MAX_WAYPOINTS, Point, route_legs


def test_each_stop_navigates_from_the_previous_point(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    tags = Tags(client.get(link(app, route)).get_data(as_text=True))
    previous = [route["depot"], *route["visits"][:-1]]
    navs = tags.hrefs("nav")
    assert len(navs) == len(route["visits"])
    for url, before, visit in zip(navs, previous, route["visits"], strict=True):
        assert url.startswith("https://www.google.com/maps/dir/?api=1&")
        assert query(url) == {
            "api": "1",
            "origin": coords(before),
            "destination": coords(visit),
            "travelmode": "driving",
        }
    geos = tags.hrefs("geo")
    first = route["visits"][0]
    label = quote(first["stop_name"], safe="")
    assert geos[0] == f"geo:{coords(first)}?q={coords(first)}({label})"


def test_whole_route_links_have_at_most_three_waypoints_and_share_ends(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    legs = [
        query(u) for u in Tags(client.get(link(app, route)).get_data(as_text=True)).hrefs("leg")
    ]
    assert len(route["visits"]) > MAX_WAYPOINTS  # the demo routes need more than one leg
    assert len(legs) > 1
    passed = [legs[0]["origin"]]
    for leg in legs:
        waypoints = leg["waypoints"].split("|") if "waypoints" in leg else []
        assert len(waypoints) <= MAX_WAYPOINTS and leg["travelmode"] == "driving"
        assert leg["origin"] == passed[-1]  # consecutive legs share their endpoints
        passed += [*waypoints, leg["destination"]]
    depot = coords(route["depot"])
    assert passed == [depot, *(coords(v) for v in route["visits"]), depot]


@pytest.mark.parametrize("count", range(1, 14))
def test_legs_cover_every_point_once_in_order(count: int) -> None:
    points = [Point(str(i), -7.0 - i / 100, 108.5) for i in range(count)]
    legs = route_legs(points)
    assert all(2 <= len(leg) <= MAX_WAYPOINTS + 2 for leg in legs)
    joined = [points[0]] if legs else []
    for leg in legs:
        assert leg[0] == joined[-1]
        joined += leg[1:]
    assert joined == (points if count > 1 else [])


def test_gpx_download_parses_with_the_route_in_order(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    response = client.get(link(app, route) + "/rute.gpx")
    assert response.status_code == 200 and response.mimetype == "application/gpx+xml"
    assert f'filename="rute-{route["date"]}-' in response.headers["Content-Disposition"]
    gpx = gpxpy.parse(response.get_data(as_text=True))
    assert len(gpx.routes) == 1
    names = [p.name for p in gpx.routes[0].points]
    assert names == [
        route["depot"]["name"],
        *(v["stop_name"] for v in route["visits"]),
        route["depot"]["name"],
    ]
