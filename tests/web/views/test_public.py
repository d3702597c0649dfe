"""The residents' schedule `/jadwal`: no login, the published plan only, light and escaped."""

import datetime as dt
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlmodel import select

from planner.core import haversine_m
from planner.plans import plan_json
from planner.store import Plan, Route, Stop, Village, Visit, published_plan
from tests.conftest import ROLES, AuthActions
from tests.factories import TODAY, WIB, publish_demo_plan
from tests.planner.schedule.test_schedule import occurrences
from tests.web.driver.test_driver import Tags
from web.db import get_session

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
PAGE_BUDGET_BYTES = 150_000


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    path = tmp_path_factory.mktemp("public") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_demo_plan(path, TODAY)
    return path


def published(app: Flask) -> dict[str, Any]:
    with app.app_context():
        plan = published_plan(get_session())
        assert plan is not None and plan.id is not None
        return plan_json(get_session(), plan.id)


def minute(iso: str) -> dt.datetime:
    """A plan time as the schedule shows it: WIB, to the minute."""
    return dt.datetime.fromisoformat(iso).astimezone(WIB).replace(second=0)


def stop_visits(plan: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    for route in plan["routes"]:
        for visit in route["visits"]:
            found.setdefault(visit["stop_id"], []).append(visit)
    return {k: sorted(v, key=lambda x: x["start"]) for k, v in found.items()}


def later_stop(app: Flask) -> dict[str, Any]:
    """A stop whose visits all fall after today (so 'next visit' cannot race the clock)."""
    visits = stop_visits(published(app))
    stop_id = next(k for k, v in visits.items() if v[0]["start"][:10] > TODAY.isoformat())
    return {"stop_id": stop_id, "visits": visits[stop_id], **visits[stop_id][0]}


@pytest.fixture
def later(app: Flask) -> dict[str, Any]:
    return later_stop(app)


def label(visit: dict[str, Any]) -> str:
    """`Senin, 30 November 2026 · 08:05–08:50`, as the pages show a visit."""
    day = format_date(dt.date.fromisoformat(visit["start"][:10]), "EEEE, d MMMM yyyy", locale="id")
    return f"{day} · {visit['start'][11:16]}–{visit['departure'][11:16]}"


def urls(stop: dict[str, Any]) -> list[str]:
    return [
        "/jadwal/",
        f"/jadwal/desa/{stop['village_code']}",
        f"/jadwal/titik/{stop['stop_id']}",
        f"/jadwal/titik/{stop['stop_id']}.ics",
        f"/jadwal/titik/{stop['stop_id']}/poster",
        "/jadwal/terdekat?q=Hegarsari",
        f"/jadwal/terdekat?lat={stop['lat']}&lon={stop['lon']}",
    ]


def text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.get_data(as_text=True)
    response.close()  # static files stay open until closed
    return body


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_public_page_opens_without_login_and_for_every_role(
    client: FlaskClient, auth: AuthActions, later: dict[str, Any], role: str | None
) -> None:
    if role is not None:
        auth.login(role)
    for url in urls(later):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "/login" not in response.headers.get("Location", "")


@pytest.mark.parametrize("index", range(7))
def test_public_pages_answer_get_only(app: Flask, later: dict[str, Any], index: int) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    url = urls(later)[index]
    response = app.test_client().post(url, data={"q": "x"})
    assert response.status_code == 405
    assert "Tindakan ini tidak diizinkan di sini." in response.get_data(as_text=True)


def test_villages_are_listed_by_kecamatan_with_their_next_visit(
    client: FlaskClient, later: dict[str, Any]
) -> None:
    page = text(client, "/jadwal/")
    assert "Kapan Perpustakaan Keliling datang?" in page and "Gunakan lokasi saya" in page
    assert re.findall(r"<h3>Kec. ([^<]+)</h3>", page) == [
        "Banjar",
        "Langensari",
        "Pataruman",
        "Purwaharja",
    ]
    assert page.count('<li id="desa-') == 25
    item = page[page.index(f'id="desa-{later["village_code"]}"') :]
    item = item[: item.index("</li>")]
    assert later["village"] in item and label(later) in item
    start = format_date(TODAY, "EEEE, d MMMM yyyy", locale="id")
    assert f"Jadwal berlaku {start} – " in page


def test_village_page_lists_its_stops_and_upcoming_visits(
    client: FlaskClient, later: dict[str, Any]
) -> None:
    page = text(client, f"/jadwal/desa/{later['village_code']}")
    assert f"<h1>{later['village']}" in page.replace("Desa ", "").replace("Kelurahan ", "")
    assert later["stop_name"] in page and f'href="/jadwal/titik/{later["stop_id"]}"' in page
    for visit in later["visits"]:
        day, times = label(visit).split(" · ")
        assert f'<span class="date">{day}</span> · <span class="time">{times} WIB</span>' in page
    assert "Lokasi titik ini masih perkiraan." in page  # default stops are approximate
    assert "https://www.openstreetmap.org/?mlat=" in page


def test_stop_page_has_timetable_calendar_poster_and_social_text(
    client: FlaskClient, later: dict[str, Any]
) -> None:
    page = text(client, f"/jadwal/titik/{later['stop_id']}")
    rows = re.findall(r'<tr class="visit"><td>([^<]+)</td><td>([^<]+)</td></tr>', page)
    assert [" · ".join(row) for row in rows] == [label(v) for v in later["visits"]]
    tags = Tags(page)
    links = {a.get("id"): a for t, a in tags.tags if t == "a" and a.get("id")}
    assert links["ics"]["href"] == f"/jadwal/titik/{later['stop_id']}.ics"
    assert links["webcal"]["href"] == f"webcal://localhost/jadwal/titik/{later['stop_id']}.ics"
    assert links["poster"]["href"] == f"/jadwal/titik/{later['stop_id']}/poster"
    social = unescape(re.search(r'<textarea id="social-text"[^>]*>(.*?)</textarea>', page, re.S)[1])  # type: ignore[index]
    assert social.startswith(f"📚 Perpustakaan Keliling datang ke {later['stop_name']}, ")
    assert later["village"] in social and later["start"][11:16] in social
    page_link = f"http://localhost/jadwal/titik/{later['stop_id']}"
    assert social.splitlines()[-2] == f"Jadwal lengkap: {page_link}"
    whatsapp = parse_qs(urlsplit(links["whatsapp"]["href"]).query)["text"][0]
    assert whatsapp == social
    assert 'id="copy"' in page and "Salin teks" in page


def test_calendar_parses_and_matches_the_published_visits(app: Flask, client: FlaskClient) -> None:
    for stop_id, visits in list(stop_visits(published(app)).items())[:6]:
        response = client.get(f"/jadwal/titik/{stop_id}.ics")
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        calendar = Calendar.from_ical(response.data)
        assert occurrences(calendar) == {
            (minute(v["start"]), minute(v["departure"])) for v in visits
        }
        first = visits[0]
        for event in calendar.events:
            assert (event["geo"].latitude, event["geo"].longitude) == (first["lat"], first["lon"])
        name = str(calendar["x-wr-calname"])
        assert name.startswith(f"Perpustakaan Keliling: {first['stop_name']}")


def test_poster_is_printable_with_a_qr_code(client: FlaskClient, later: dict[str, Any]) -> None:
    page = text(client, f"/jadwal/titik/{later['stop_id']}/poster")
    assert f"Perpustakaan Keliling datang ke {later['stop_name']}" in page
    assert "<svg" in page and f"http://localhost/jadwal/titik/{later['stop_id']}" in page
    assert later["start"][11:16] in page
    assert "size: A4" in text(client, "/static/css/public.css")


def _add_draft(app: Flask, stop_id: int) -> None:
    with app.app_context():
        session = get_session()
        plan = published_plan(session)
        assert plan is not None
        draft = Plan(region_id=plan.region_id, status="draft", start_date=TODAY, weeks=1)
        session.add(draft)
        session.flush()
        vehicle_id = session.exec(select(Route.vehicle_id)).first()
        day = TODAY + dt.timedelta(days=1)
        route = Route(plan_id=draft.id, vehicle_id=vehicle_id, service_date=day)  # type: ignore[arg-type]
        session.add(route)
        session.flush()
        start = dt.datetime.combine(day, dt.time(5, 55), WIB)
        assert route.id is not None
        session.add(
            Visit(
                route_id=route.id,
                stop_id=stop_id,
                sequence=1,
                planned_arrival=start,
                planned_start=start,
                planned_departure=start + dt.timedelta(minutes=45),
            )
        )
        session.commit()


def test_a_draft_never_shows(app: Flask, client: FlaskClient, later: dict[str, Any]) -> None:
    _add_draft(app, later["stop_id"])
    for url in urls(later):
        assert "05:55" not in text(client, url) and "055500" not in text(client, url)


def test_with_nothing_published_pages_say_so(
    app: Flask, client: FlaskClient, later: dict[str, Any]
) -> None:
    with app.app_context():
        session = get_session()
        plan = published_plan(session)
        assert plan is not None
        plan.status = "archived"
        session.add(plan)
        session.commit()
    for url in urls(later):
        if url.endswith(".ics"):
            assert Calendar.from_ical(client.get(url).data).events == []
        else:
            assert "Belum ada jadwal terbit." in text(client, url), url
    assert later["start"][11:16] not in text(client, f"/jadwal/titik/{later['stop_id']}")


@pytest.mark.parametrize(
    "url",
    [
        "/jadwal/desa/32.79.99.9999",
        "/jadwal/titik/99999",
        "/jadwal/titik/99999.ics",
        "/jadwal/titik/99999/poster",
    ],  # fmt: skip
)
def test_unknown_village_or_stop_is_a_404_in_indonesian(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "tidak ada dalam" in page and "Lihat jadwal semua desa/kelurahan" in page
    api = client.get(url, headers={"Accept": "application/json"})
    assert api.status_code == 404 and "tidak ada dalam" in api.json["error"]["message"]  # type: ignore[index]


def test_finder_by_name(client: FlaskClient) -> None:
    page = text(client, "/jadwal/terdekat?q=Jl.+Siliwangi,+Kel.+HEGARSARI")
    assert "Kelurahan Hegarsari</a>" in page and 'class="stop-name"' in page
    assert "Titik layanan Hegarsari" in page
    typo = text(client, "/jadwal/terdekat?q=Hegarsri")
    assert "Tidak ada desa/kelurahan atau titik dengan nama ini." in typo
    suggestion = r'Maksud Anda\s*<a class="suggestion" href="/jadwal/desa/[0-9.]+">Hegarsari'
    assert re.search(suggestion, typo)
    assert "Ketik nama desa/kelurahan" in text(client, "/jadwal/terdekat")
    echoed = text(client, f"/jadwal/terdekat?q={XSS}")
    assert XSS not in echoed and ESCAPED in echoed


def test_finder_by_coordinates(app: Flask, client: FlaskClient, later: dict[str, Any]) -> None:
    lat, lon = later["lat"], later["lon"]
    page = text(client, f"/jadwal/terdekat?lat={str(lat).replace('.', ',')}&lon={lon}")
    found = [int(i) for i in re.findall(r'data-stop="(\d+)"', page)]
    assert found[0] == later["stop_id"] and len(found) == 5
    stops = {v[0]["stop_id"]: v[0] for v in stop_visits(published(app)).values()}
    by_hand = sorted(stops, key=lambda s: haversine_m(lat, lon, stops[s]["lat"], stops[s]["lon"]))
    assert found == by_hand[:5]
    assert f"{later['village']} · 0 m" in page and label(later) in page
    far = text(client, "/jadwal/terdekat?lat=-6.2&lon=106.8")  # Jakarta
    assert "di luar wilayah layanan" in far
    bad = client.get("/jadwal/terdekat?lat=utara&lon=108.5")
    assert bad.status_code == 400
    assert "Lintang dan bujur harus berupa angka" in bad.get_data(as_text=True)
    assert client.get("/jadwal/terdekat?lat=95&lon=108.5").status_code == 400


def test_user_text_is_escaped_everywhere(
    app: Flask, client: FlaskClient, later: dict[str, Any]
) -> None:
    with app.app_context():
        session = get_session()
        stop = session.get(Stop, later["stop_id"])
        assert stop is not None
        village = session.get(Village, stop.village_id)
        assert village is not None
        stop.name, village.name, village.kecamatan = XSS, XSS, XSS
        session.add_all([stop, village])
        session.commit()
    for url in urls(later)[:-2] + [f"/jadwal/terdekat?q={XSS}"]:
        if url.endswith(".ics"):
            calendar = Calendar.from_ical(client.get(url).data)
            assert {str(e["summary"]) for e in calendar.events} == {f"Perpustakaan Keliling: {XSS}"}
            continue
        page = text(client, url)
        assert XSS not in page and ESCAPED in page, url
    stop_page = text(client, f"/jadwal/titik/{later['stop_id']}")
    escaped = re.escape(ESCAPED)
    assert re.search(f"datang ke {escaped}, (Desa|Kelurahan) {escaped}!", stop_page)


def test_pages_are_light_and_load_nothing_from_elsewhere(
    client: FlaskClient, later: dict[str, Any]
) -> None:
    for url in urls(later)[:3]:
        html = client.get(url).data
        assets = Tags(html.decode()).assets()
        assert assets and all(a.startswith("/static/") for a in assets)
        total = len(html) + sum(len(text(client, a).encode()) for a in assets)
        assert total < PAGE_BUDGET_BYTES
        assert not any("leaflet" in a or "app.css" in a for a in assets)


def test_pages_follow_the_chosen_language(client: FlaskClient, later: dict[str, Any]) -> None:
    client.get("/bahasa/en")
    page = text(client, f"/jadwal/titik/{later['stop_id']}")
    assert "Add to calendar (.ics)" in page and '<html lang="en">' in page
    assert "Perpustakaan Keliling datang ke" in page  # the social text stays in Indonesian
