"""The driver's route page: opened from a signed link, light, navigable, check-ins kept once."""

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import gpxpy
import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient

from planner.store import Plan, Route, Stop, Vehicle, Village
from tests.factories import TODAY, WIB, checkins, link, publish_demo_plan, route_data
from web.db import get_session
from web.driver.navigation import MAX_WAYPOINTS, Point, route_legs

PAGE_BUDGET_BYTES = 150_000
XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    path = tmp_path_factory.mktemp("driver") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_demo_plan(path, TODAY)
    return path


class Tags(HTMLParser):
    """Every tag's attributes (entities decoded), and the text of elements by id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def hrefs(self, css_class: str) -> list[str]:
        return [
            a["href"] for t, a in self.tags if t == "a" and css_class in a.get("class", "").split()
        ]

    def assets(self) -> list[str]:
        scripts = [a["src"] for t, a in self.tags if t == "script" and a.get("src")]
        styles = [a["href"] for t, a in self.tags if t == "link" and a.get("rel") == "stylesheet"]
        return scripts + styles


def coords(point: dict[str, Any]) -> str:
    return f"{point['lat']:.6f},{point['lon']:.6f}"


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.fixture
def route(app: Flask) -> dict[str, Any]:
    return route_data(app)


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


def test_tiba_then_selesai_are_recorded_once_each_even_when_sent_twice(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    path, visit_id = link(app, route), route["visits"][0]["visit_id"]
    tapped = dt.datetime.now(WIB).replace(microsecond=0) - dt.timedelta(minutes=20)
    body = {"visit_id": visit_id, "status": "tiba", "tapped_at": tapped.isoformat()}
    first = client.post(path + "/checkin", json=body)
    assert first.status_code == 201 and first.json is not None
    assert first.json["created"] is True and first.json["label"] == f"Tiba {tapped:%H:%M}"
    again = client.post(
        path + "/checkin", json={**body, "tapped_at": dt.datetime.now(WIB).isoformat()}
    )
    assert again.status_code == 200 and again.json is not None and again.json["created"] is False
    assert "pertama" in again.json["message"]  # the answer says the first tap is kept
    form = {"visit_id": str(visit_id), "status": "selesai"}
    for _ in range(2):
        response = client.post(path + "/checkin", data=form)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"{path}#stop-{visit_id}")
    page = client.get(path).get_data(as_text=True)
    assert "Sudah tercatat: Selesai" in page  # the second form post's flash
    stored = checkins(app, visit_id)
    assert sorted(c.status for c in stored) == ["selesai", "tiba"]
    tiba = next(c for c in stored if c.status == "tiba")
    assert tiba.tapped_at is not None
    assert tiba.tapped_at.replace(tzinfo=tiba.tapped_at.tzinfo or dt.UTC) == tapped
    assert f'<span class="done" data-status="tiba">Tiba {tapped:%H:%M}</span>' in page
    assert 'data-status="selesai">Selesai ' in page


def test_dilewati_needs_a_reason(app: Flask, client: FlaskClient, route: dict[str, Any]) -> None:
    path, visit_id = link(app, route), route["visits"][1]["visit_id"]
    refused = client.post(path + "/checkin", json={"visit_id": visit_id, "status": "dilewati"})
    assert refused.status_code == 400 and refused.json is not None
    assert refused.json["error"]["message"] == "Tuliskan alasan mengapa titik ini dilewati."
    form = client.post(
        path + "/checkin",
        data={"visit_id": visit_id, "status": "dilewati", "note": " "},
        follow_redirects=True,
    )
    assert 'class="flash error"' in form.get_data(as_text=True)
    assert "Tuliskan alasan mengapa titik ini dilewati." in form.get_data(as_text=True)
    assert checkins(app, visit_id) == []
    client.post(
        path + "/checkin",
        data={"visit_id": visit_id, "status": "dilewati", "note": "Jalan ditutup"},
    )
    assert [c.note for c in checkins(app, visit_id)] == ["Jalan ditutup"]
    assert ": Jalan ditutup</span>" in client.get(path).get_data(as_text=True)


def test_a_visit_of_another_route_is_not_found(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    other = route_data(app, 1)["visits"][0]["visit_id"]
    path = link(app, route) + "/checkin"
    response = client.post(path, json={"visit_id": other, "status": "tiba"})
    assert response.status_code == 404 and response.json is not None
    assert client.post(path, data={"visit_id": other, "status": "tiba"}).status_code == 404
    assert client.post(path, data={"visit_id": "x", "status": "tiba"}).status_code == 404
    assert client.post(path, json=[other, "tiba"]).status_code == 404
    assert checkins(app, other) == []


def test_an_unknown_status_or_a_bad_time_is_refused(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    path, visit_id = link(app, route) + "/checkin", route["visits"][0]["visit_id"]
    assert client.post(path, json={"visit_id": visit_id, "status": "pulang"}).status_code == 400
    bad_time = {"visit_id": visit_id, "status": "tiba", "tapped_at": "kemarin"}
    assert client.post(path, json=bad_time).status_code == 400
    assert checkins(app, visit_id) == []


@pytest.mark.parametrize("suffix", ["", "/rute.gpx", "/peta"])
def test_tampered_expired_and_replaced_links_are_refused(
    app: Flask, client: FlaskClient, route: dict[str, Any], suffix: str
) -> None:
    path = link(app, route)
    tampered = client.get(path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB") + suffix)
    assert tampered.status_code == 404 and "Tautan rute tidak sah" in tampered.get_data(
        as_text=True
    )
    expired = client.get(link(app, route, dt.date(2024, 1, 1)) + suffix)
    assert expired.status_code == 410
    assert "Tautan rute sudah kedaluwarsa; minta tautan baru ke koordinator" in expired.get_data(
        as_text=True
    )
    with app.app_context():
        session = get_session()
        plan = session.get(Plan, session.get(Route, route["route_id"]).plan_id)  # type: ignore[union-attr]
        assert plan is not None
        plan.status = "archived"
        session.add(plan)
        session.commit()
    replaced = client.get(path + suffix)
    assert (
        replaced.status_code == 410
        and "Rute ini sudah diganti; minta tautan baru" in replaced.get_data(as_text=True)
    )


def test_refused_check_in_answers_json_to_the_script(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    body = {"visit_id": route["visits"][0]["visit_id"], "status": "tiba"}
    response = client.post(link(app, route, dt.date(2024, 1, 1)) + "/checkin", json=body)
    assert response.status_code == 410 and response.json is not None
    assert response.json["error"]["message"].startswith("Tautan rute sudah kedaluwarsa")


def test_check_in_without_csrf_token_is_refused(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    path, visit_id = link(app, route), route["visits"][0]["visit_id"]
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert token is not None
    body = {"visit_id": visit_id, "status": "tiba"}
    assert client.post(path + "/checkin", json=body).status_code == 400
    assert client.post(path + "/checkin", data=body).status_code == 400
    assert checkins(app, visit_id) == []
    sent = client.post(path + "/checkin", json=body, headers={"X-CSRFToken": token.group(1)})
    assert sent.status_code == 201
    form = client.post(
        path + "/checkin", data={**body, "status": "selesai", "csrf_token": token.group(1)}
    )
    assert form.status_code == 302
    assert len(checkins(app, visit_id)) == 2


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


def test_anonymous_driver_cannot_open_other_pages(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    assert client.get(link(app, route)).status_code == 200
    response = client.get("/desa/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/sopir/").status_code == 404
