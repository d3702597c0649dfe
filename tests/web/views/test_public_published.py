"""Only the published plan reaches residents: its calendar, never a draft, 404 for unknowns."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlmodel import select

from planner.store import Plan, Route, Visit, published_plan
from tests.factories import TODAY, WIB
from tests.planner.schedule.helpers import occurrences
from tests.web.views.public_helpers import hhmm, planned_copy, published, stop_visits, text, urls
from web.db import get_session


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


def test_calendar_parses_and_matches_the_published_visits(app: Flask, client: FlaskClient) -> None:
    for stop_id, visits in list(stop_visits(published(app)).items())[:6]:
        response = client.get(f"/jadwal/titik/{stop_id}.ics")
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        calendar = Calendar.from_ical(response.data)
        assert occurrences(calendar) == {v["shown"] for v in visits}
        first = visits[0]
        for event in calendar.events:
            assert (event["geo"].latitude, event["geo"].longitude) == (first["lat"], first["lon"])
        name = str(calendar["x-wr-calname"])
        assert name.startswith(f"Perpustakaan Keliling: {first['stop_name']}")


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
    assert hhmm(later) not in text(client, f"/jadwal/titik/{later['stop_id']}")


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
