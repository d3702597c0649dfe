"""The route sheet of an 8-stop day prints on one A4 page."""

import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import col, func, select

from planner.store import Route, Stop, Visit, make_engine, session_scope
from tests.conftest import DEMO_PASSWORD
from tests.factories import TODAY, publish_demo_plan
from web.db import get_session

pytestmark = pytest.mark.e2e
STOPS = 8
NOTE = "Parkir di halaman balai desa, sebelah masjid; hubungi Pak RT sehari sebelumnya."
# Each page of a PDF is one "/Type /Page" object ("/Type /Pages" is the page tree).
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?!s)")


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A published week whose first route has eight stops (visits of its day moved onto it)."""
    path = tmp_path_factory.mktemp("sheet") / "planned.db"
    shutil.copyfile(app_database_template, path)
    plan_id = publish_demo_plan(path, TODAY)
    engine = make_engine(f"sqlite:///{path}")
    with session_scope(engine) as session:
        routes = session.exec(
            select(Route).where(Route.plan_id == plan_id).order_by(col(Route.id))
        ).all()
        target = routes[0]
        count = session.exec(select(func.count()).where(Visit.route_id == target.id)).one()
        others = [r.id for r in routes[1:]]
        extra = session.exec(select(Visit).where(col(Visit.route_id).in_(others))).all()
        for sequence, visit in enumerate(extra[: STOPS - count], start=count):
            assert target.id is not None
            visit.route_id, visit.sequence = target.id, sequence
            session.add(visit)
        for stop in session.exec(select(Stop)):
            stop.notes = NOTE
            session.add(stop)
    engine.dispose()
    return path


def test_an_eight_stop_route_sheet_is_one_a4_page(app: Flask, new_page) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        route = get_session().exec(select(Route).order_by(col(Route.id))).first()
        assert route is not None
    page, _ = new_page()
    page.goto("/login")
    page.fill("input[name=username]", "koordinator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dasbor/")
    page.goto(f"/rencana/{route.plan_id}/rute/{route.id}/lembar")
    page.wait_for_selector("path.route-line")
    assert page.locator("#sheet-table tbody tr").count() == STOPS

    pdf = page.pdf(format="A4", print_background=True)
    assert len(PAGE_OBJECT.findall(pdf)) == 1
