"""The residents' pages `/jadwal`: open to all, GET only, light, escaped, translated."""

import re
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from planner.store import Stop, Village
from tests.conftest import ROLES, AuthActions
from tests.factories import TODAY
from tests.web.driver.helpers import Tags
from tests.web.views.public_helpers import ESCAPED, XSS, hhmm, label, planned_copy, text, urls
from web.db import get_session

PAGE_BUDGET_BYTES = 150_000


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


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
    assert later["village"] in social and hhmm(later) in social
    page_link = f"http://localhost/jadwal/titik/{later['stop_id']}"
    assert social.splitlines()[-2] == f"Jadwal lengkap: {page_link}"
    whatsapp = parse_qs(urlsplit(links["whatsapp"]["href"]).query)["text"][0]
    assert whatsapp == social
    assert 'id="copy"' in page and "Salin teks" in page


def test_poster_is_printable_with_a_qr_code(client: FlaskClient, later: dict[str, Any]) -> None:
    page = text(client, f"/jadwal/titik/{later['stop_id']}/poster")
    assert f"Perpustakaan Keliling datang ke {later['stop_name']}" in page
    assert "<svg" in page and f"http://localhost/jadwal/titik/{later['stop_id']}" in page
    assert hhmm(later) in page
    assert "size: A4" in text(client, "/static/css/public.css")


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
    assert "Perpustakaan Keliling datang ke" not in page  # the social text follows the page
    assert "The mobile library is coming to" in page
