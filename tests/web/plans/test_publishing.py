"""Publishing as a koordinator does it: a page says what changes for residents and drivers,
nothing is published without a confirmation, pending changes are never dropped silently, and
residents' pages and calendars follow the published plan."""

import re
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlmodel import Session, select

from planner.core import day_name
from planner.store import Plan, Route, Stop, Visit
from tests.conftest import AuthActions
from tests.factories import TODAY, plan_start
from tests.web.plans.plan_helpers import KnownChanges, published_and_draft

PLANS: dict[str, KnownChanges] = {}
JOB_WAIT_S = 60


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A published week (its links still open today) and a draft with known changes."""
    path, known = published_and_draft(
        app_database_template, tmp_path_factory.mktemp("publishing"), plan_start(TODAY)
    )
    PLANS["known"] = known
    return path


@pytest.fixture
def known(app: Flask) -> KnownChanges:
    return PLANS["known"]


@pytest.fixture
def planner_client(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    auth.login("koordinator")
    return client


def _stop_row(page: str, stop: str) -> str:
    found = re.search(
        rf"<tr data-stop-id[^>]*>\s*<td>[^<]*</td><td>{stop}</td>.*?</tr>", page, re.S
    )
    assert found is not None, stop
    return found.group(0)


def _finished(client: FlaskClient, job_url: str) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_WAIT_S
    while time.monotonic() < deadline:
        status = client.get(job_url + ".json").json
        assert status is not None
        if status["status"] not in ("queued", "running"):
            return dict(status)
        time.sleep(0.3)
    raise AssertionError("the re-plan did not finish")


def _statuses(app: Flask) -> dict[int | None, str]:
    with Session(app.extensions["keliling.engine"]) as session:
        return {p.id: p.status for p in session.exec(select(Plan))}


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_publish_button_leads_to_a_summary_of_the_changes(
    planner_client: FlaskClient, known: KnownChanges
) -> None:
    detail = planner_client.get(f"/rencana/{known.draft_id}").get_data(as_text=True)
    assert f'href="/rencana/{known.draft_id}/terbitkan"' in detail  # a link, not a POST button
    page = planner_client.get(f"/rencana/{known.draft_id}/terbitkan").get_data(as_text=True)
    text = _text(page)
    assert (
        f"Dibandingkan dengan rencana terbit #{known.published_id}: 1 kunjungan ditambah, "
        "1 dipindah, 1 dihapus"
    ) in text
    rows = {
        stop: _text(_stop_row(page, stop))
        for stop in (known.removed_stop, known.moved_stop, known.added_stop)
    }
    assert "Dihapus:" in rows[known.removed_stop]
    assert "Dipindah:" in rows[known.moved_stop] and "→" in rows[known.moved_stop]
    assert "Ditambah:" in rows[known.added_stop]
    # Links already sent and QR sheets printed for the published week will be refused.
    assert "Rute ini sudah diganti" in text
    assert re.search(r"\d+ tautan sopir yang sudah dikirim", text)
    assert 'name="confirm" value="yes"' in page and 'id="confirm-publish"' in page


def test_posting_without_the_confirmation_publishes_nothing(
    app: Flask, planner_client: FlaskClient, known: KnownChanges
) -> None:
    response = planner_client.post(f"/rencana/{known.draft_id}/terbitkan")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/rencana/{known.draft_id}/terbitkan")
    assert _statuses(app)[known.draft_id] == "draft"
    assert _statuses(app)[known.published_id] == "published"
    page = planner_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Belum ada yang diterbitkan" in page


def test_pending_changes_need_a_choice_and_stay_pending_after_publishing(
    app: Flask, planner_client: FlaskClient, known: KnownChanges
) -> None:
    planner_client.post(f"/rencana/{known.draft_id}/tambah", data={"stop_id": "1"})
    page = planner_client.get(f"/rencana/{known.draft_id}/terbitkan").get_data(as_text=True)
    assert 'id="pending-choice"' in page and "satu kunjungan ditambah" in page
    assert 'name="pending" value="keep"' in page and 'id="replan-first"' in page

    confirmed = planner_client.post(f"/rencana/{known.draft_id}/terbitkan", data={"confirm": "yes"})
    assert confirmed.status_code == 302 and _statuses(app)[known.draft_id] == "draft"

    kept = planner_client.post(
        f"/rencana/{known.draft_id}/terbitkan", data={"confirm": "yes", "pending": "keep"}
    )
    assert kept.headers["Location"].endswith(f"/rencana/{known.draft_id}")
    assert _statuses(app)[known.draft_id] == "published"
    assert _statuses(app)[known.published_id] == "archived"
    with Session(app.extensions["keliling.engine"]) as session:
        plan = session.get(Plan, known.draft_id)
        assert plan is not None and plan.adjustments == {"added": [1]}
    detail = planner_client.get(kept.headers["Location"]).get_data(as_text=True)
    assert "Perubahan yang tetap tertunda" in detail or "tetap disimpan" in detail
    assert 'id="pending"' in detail and 'id="replan-now"' in detail
    assert "Urungkan" in detail
    # The published plan's kept changes can still be re-planned into a new draft.
    job = planner_client.post(f"/rencana/{known.draft_id}/rencana-ulang", data={"time_limit": "1"})
    assert job.status_code == 302 and "/rencana/tugas/" in job.headers["Location"]
    status = _finished(planner_client, job.headers["Location"])
    assert status["status"] == "done", status
    with Session(app.extensions["keliling.engine"]) as session:
        replanned = session.get(Plan, int(status["plan_url"].rsplit("/", 1)[1]))
        plan = session.get(Plan, known.draft_id)
        assert replanned is not None and plan is not None
    assert replanned.based_on_id == known.draft_id and replanned.status == "draft"
    assert "added" not in plan.adjustments  # applied by the re-plan, no longer pending


def test_a_first_publication_says_so(
    app: Flask, planner_client: FlaskClient, known: KnownChanges
) -> None:
    with Session(app.extensions["keliling.engine"]) as session:
        published = session.get(Plan, known.published_id)
        assert published is not None
        published.status = "archived"
        session.add(published)
        session.commit()
    text = _text(planner_client.get(f"/rencana/{known.draft_id}/terbitkan").get_data(as_text=True))
    assert "Ini penerbitan pertama" in text
    assert "tidak ada tautan sopir yang diganti" in text


def _events(client: FlaskClient, stop_id: int) -> int:
    response = client.get(f"/jadwal/titik/{stop_id}.ics")
    if response.status_code == 404:
        return 0
    return len(Calendar.from_ical(response.data).events)


def test_residents_pages_and_calendars_follow_the_published_plan(
    app: Flask, planner_client: FlaskClient, known: KnownChanges
) -> None:
    with Session(app.extensions["keliling.engine"]) as session:
        added = session.exec(select(Stop).where(Stop.name == known.added_stop)).one()
        assert added.id is not None
        route = session.exec(select(Route).join(Visit).where(Visit.stop_id == added.id)).one()
        weekly = f"Setiap {day_name(route.service_date)},"
    before = _text(planner_client.get(f"/jadwal/titik/{added.id}").get_data(as_text=True))
    assert _events(planner_client, added.id) == 0
    planner_client.post(f"/rencana/{known.draft_id}/terbitkan", data={"confirm": "yes"})
    after = _text(planner_client.get(f"/jadwal/titik/{added.id}").get_data(as_text=True))
    assert _events(planner_client, added.id) == 1
    assert weekly not in before and weekly in after
