"""Residents read clean times (5-minute steps) and learn when a visit is cancelled."""

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from planner.calendar import add_closed_day
from planner.schedule import TOLERANCE, windows_on
from planner.store import CheckIn, Stop, current_region
from tests.factories import TODAY
from tests.web.views.public_helpers import planned_copy, published, stop_visits, text, urls
from web.db import get_session

CLOCK = re.compile(r"\b([01]\d|2[0-3])[:.]([0-5]\d)\b")
INTERNAL_NOTE = "Ban bocor di tanjakan, sopir pulang"


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (planned once per module)."""
    return planned_copy(app_database_template, tmp_path_factory)


def _minutes(page: str) -> list[int]:
    return [int(m) for _, m in CLOCK.findall(page)]


def test_every_public_page_and_calendar_shows_times_on_5_minute_steps(
    app: Flask, client: FlaskClient, later: dict[str, Any]
) -> None:
    pages = [text(client, url) for url in urls(later) if not url.endswith(".ics")]
    pages += [
        text(client, f"/jadwal/desa/{v[0]['village_code']}")
        for v in stop_visits(published(app)).values()
    ]
    for page in pages:
        assert all(minute % 5 == 0 for minute in _minutes(page))
    assert sum(len(_minutes(page)) for page in pages) > 20
    for stop_id in list(stop_visits(published(app)))[:8]:
        calendar = Calendar.from_ical(client.get(f"/jadwal/titik/{stop_id}.ics").data)
        for event in calendar.events:
            for name in ("dtstart", "dtend"):
                moment = event.decoded(name)
                assert moment.minute % 5 == 0 and moment.second == 0


def test_published_times_stay_near_the_plan_and_inside_the_windows(app: Flask) -> None:
    visits = [v for route in published(app)["routes"] for v in route["visits"]]
    moved = 0
    with app.app_context():
        session = get_session()
        for visit in visits:
            start, end = visit["shown"]
            exact = (
                dt.datetime.fromisoformat(visit["start"]),
                dt.datetime.fromisoformat(visit["departure"]),
            )
            assert abs(start - exact[0]) <= TOLERANCE and abs(end - exact[1]) <= TOLERANCE
            moved += start != exact[0]
            stop = session.get(Stop, visit["stop_id"])
            assert stop is not None
            assert any(
                opens <= start.time() and end.time() <= closes
                for opens, closes in windows_on(stop.time_windows, start.date())
            )
    assert moved > 0  # the solver's own minutes were not all on steps


def _skip(app: Flask, visits: list[dict[str, Any]]) -> None:
    with app.app_context():
        session = get_session()
        for visit in visits:
            session.add(CheckIn(visit_id=visit["visit_id"], status="dilewati", note=INTERNAL_NOTE))
        session.commit()


def test_a_skipped_visit_is_announced_and_cancelled_in_the_calendar(
    app: Flask, client: FlaskClient, later: dict[str, Any]
) -> None:
    before = Calendar.from_ical(client.get(f"/jadwal/titik/{later['stop_id']}.ics").data)
    village = [
        v
        for route in published(app)["routes"]
        for v in route["visits"]
        if v["village_code"] == later["village_code"]
        and v["shown"][0].date() <= later["shown"][0].date()
    ]
    _skip(app, village)  # the village's visits up to this stop's next one after today
    day = format_date(later["shown"][0].date(), "EEEE, d MMMM yyyy", locale="id")
    notice = f"Kunjungan {day} dibatalkan."
    stop_page = text(client, f"/jadwal/titik/{later['stop_id']}")
    assert notice in stop_page and '<tr class="visit cancelled">' in stop_page
    assert "Kunjungan" in text(client, f"/jadwal/titik/{later['stop_id']}/poster")
    assert notice in text(client, f"/jadwal/desa/{later['village_code']}")
    index = text(client, "/jadwal/")
    item = index[index.index(f'id="desa-{later["village_code"]}"') :]
    assert notice in item[: item.index("</li>")]
    for url in urls(later):
        assert "Ban bocor" not in text(client, url)  # the driver's reason stays internal
    after = Calendar.from_ical(client.get(f"/jadwal/titik/{later['stop_id']}.ics").data)
    cancelled = [e for e in after.events if e.get("status") == "CANCELLED"]
    assert cancelled and {e["uid"] for e in after.events} == {e["uid"] for e in before.events}
    [event] = [e for e in cancelled if e.decoded("dtstart") == later["shown"][0]]
    assert event["sequence"] == 1 and str(event["summary"]).startswith("DIBATALKAN")
    if "recurrence-id" in event:  # an instance of a weekly event
        assert event.decoded("recurrence-id") == later["shown"][0]
    client.get("/bahasa/en")
    assert "is cancelled." in text(client, f"/jadwal/titik/{later['stop_id']}")


def test_a_visit_on_a_closed_day_is_cancelled(
    app: Flask, client: FlaskClient, later: dict[str, Any]
) -> None:
    day = later["shown"][0].date()
    assert day > TODAY
    with app.app_context():
        session = get_session()
        add_closed_day(session, current_region(session), day, "Rapat internal")
        session.commit()
    label = format_date(day, "EEEE, d MMMM yyyy", locale="id")
    page = text(client, f"/jadwal/titik/{later['stop_id']}")
    assert f"Kunjungan {label} dibatalkan: perpustakaan tutup hari itu." in page
    assert "Rapat internal" not in page
    calendar = client.get(f"/jadwal/titik/{later['stop_id']}.ics").get_data(as_text=True)
    assert "STATUS:CANCELLED" in calendar and "Rapat internal" not in calendar
