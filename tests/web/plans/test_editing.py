"""Changing a draft on its page: pending pins, removals and additions are marked with an undo,
"Rencanakan ulang" is asked for, the page comes back to the row acted on, a village's last
visit is removed only once confirmed, and a stop without a visit is explained."""

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from planner.store import Plan, Route, Stop, Visit, make_engine, session_scope
from tests.conftest import AuthActions
from tests.factories import TODAY, plan_start
from tests.web.plans.plan_helpers import new_stop, solved_week

NEW_STOP = "Titik Baru Tanpa Kunjungan"
DRAFT: dict[str, int] = {}


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A draft week (solved once) with one village left with a single visit, and a new stop
    in a visited village."""
    path = tmp_path_factory.mktemp("editing") / "draft.db"
    shutil.copyfile(app_database_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with session_scope(engine) as session:
        draft = solved_week(session, plan_start(TODAY))
        rows = session.exec(
            select(Visit, Stop).join(Route).join(Stop).where(Route.plan_id == draft.id)
        ).all()
        by_village: dict[int, list[Visit]] = {}
        for visit, stop in rows:
            by_village.setdefault(stop.village_id, []).append(visit)
        village, visits = max(by_village.items(), key=lambda item: len(item[1]))
        for extra in visits[1:]:  # the busiest village keeps one visit
            session.delete(extra)
        other = next(v for k, v in by_village.items() if k != village)
        new_stop(session, other[0].stop_id, NEW_STOP)
        assert draft.id is not None
        DRAFT.update(plan=draft.id, last_visit=visits[0].id or 0)
    engine.dispose()
    return path


@pytest.fixture
def planner_client(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    auth.login("koordinator")
    return client


def _page(client: FlaskClient) -> str:
    return client.get(f"/rencana/{DRAFT['plan']}").get_data(as_text=True)


def _row(page: str, visit_id: int) -> str:
    found = re.search(rf'<tr id="visit-{visit_id}".*?</tr>', page, re.S)
    assert found is not None
    return found.group(0)


def _adjustments(app: Flask) -> dict[str, list[object]]:
    with Session(app.extensions["keliling.engine"]) as session:
        plan = session.get(Plan, DRAFT["plan"])
        assert plan is not None
        return plan.adjustments


def _visit_ids(app: Flask, more_than_one_in_village: bool = True) -> list[int]:
    """Visits of villages with several visits (removing one leaves the village served)."""
    with Session(app.extensions["keliling.engine"]) as session:
        rows = session.exec(
            select(Visit.id, Stop.village_id)
            .join(Route, col(Visit.route_id) == col(Route.id))
            .join(Stop, col(Visit.stop_id) == col(Stop.id))
            .where(Route.plan_id == DRAFT["plan"])
            .order_by(col(Visit.id))
        ).all()
    counts = Counter(village for _, village in rows)
    return [v for v, village in rows if v and (counts[village] > 1) == more_than_one_in_village]


def test_pin_and_remove_come_back_to_their_row_marked_with_an_undo(
    app: Flask, planner_client: FlaskClient
) -> None:
    pinned, removed = _visit_ids(app)[:2]
    plan = DRAFT["plan"]
    answer = planner_client.post(f"/rencana/{plan}/sematkan", data={"visit_id": pinned})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/rencana/{plan}#visit-{pinned}")
    answer = planner_client.post(f"/rencana/{plan}/hapus", data={"visit_id": removed})
    assert answer.headers["Location"].endswith(f"/rencana/{plan}#visit-{removed}")

    page = _page(planner_client)
    assert 'data-mark="pins">disematkan<' in _row(page, pinned)
    assert 'data-mark="removed">dihapus<' in _row(page, removed)
    for visit_id in (pinned, removed):
        assert "Urungkan" in _row(page, visit_id) and "Sematkan ke hari ini" not in _row(
            page, visit_id
        )
    pending = page[page.index('id="pending"') :]
    assert "1 disematkan, 1 dihapus, 0 ditambah." in pending
    assert 'id="replan-now"' in pending and "Rencanakan ulang sekarang" in pending


def test_undo_takes_one_change_back_and_returns_to_its_row(
    app: Flask, planner_client: FlaskClient
) -> None:
    first, second = _visit_ids(app)[:2]
    plan = DRAFT["plan"]
    planner_client.post(f"/rencana/{plan}/hapus", data={"visit_id": first})
    planner_client.post(f"/rencana/{plan}/hapus", data={"visit_id": second})
    row = _row(_page(planner_client), second)
    fields = dict(re.findall(r'name="(kind|index|stop_id|visit_id)" value="([^"]+)"', row))
    answer = planner_client.post(f"/rencana/{plan}/urungkan", data=fields)
    assert answer.headers["Location"].endswith(f"/rencana/{plan}#visit-{second}")
    assert [item["visit_id"] for item in _adjustments(app)["removed"]] == [first]  # type: ignore[index]
    page = _page(planner_client)
    assert "data-mark" not in _row(page, second) and "data-mark" in _row(page, first)
    again = planner_client.post(f"/rencana/{plan}/urungkan", data=fields)  # a stale undo
    assert again.status_code in (400, 404)
    assert len(_adjustments(app)["removed"]) == 1


def test_the_last_visit_of_a_village_is_removed_only_once_confirmed(
    app: Flask, planner_client: FlaskClient
) -> None:
    plan, last = DRAFT["plan"], DRAFT["last_visit"]
    warning = planner_client.post(f"/rencana/{plan}/hapus", data={"visit_id": last})
    text = warning.get_data(as_text=True)
    assert warning.status_code == 200 and 'id="last-visit-warning"' in text
    assert "tidak akan mendapat kunjungan sama sekali" in text
    assert _adjustments(app) == {}
    confirmed = planner_client.post(
        f"/rencana/{plan}/hapus", data={"visit_id": last, "confirm": "yes"}
    )
    assert confirmed.headers["Location"].endswith(f"#visit-{last}")
    assert len(_adjustments(app)["removed"]) == 1
    page = planner_client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert "tidak mendapat kunjungan pada rencana ulang berikutnya" in page


def test_a_stop_without_a_visit_is_explained_and_can_be_given_one(
    app: Flask, planner_client: FlaskClient
) -> None:
    page = _page(planner_client)
    section = page[page.index('id="without-visit"') :].split("</section>")[0]
    row = re.search(rf"<tr id=\"stop-(\d+)\">\s*<td>{NEW_STOP}.*?</tr>", section, re.S)
    assert row is not None
    assert "semuanya di titik layanan lain" in row.group(0)
    stop_id = row.group(1)
    answer = planner_client.post(f"/rencana/{DRAFT['plan']}/tambah", data={"stop_id": stop_id})
    assert answer.headers["Location"].endswith("#pending")
    assert _adjustments(app) == {"added": [int(stop_id)]}
    page = _page(planner_client)
    assert "+1 kunjungan diminta" in page
    assert f"<strong>{NEW_STOP}</strong>" in page[page.index('id="pending"') :]
