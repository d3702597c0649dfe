"""A koordinator opens this month's report after a driver finished a visit and staff logged it."""

import shutil
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect

from planner.plans import plan_json
from planner.store import published_plan
from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import screenshot
from tests.factories import TODAY, finish_visit_with_event, plan_start, publish_demo_plan
from web.db import get_session

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week of this month that includes today."""
    path = tmp_path_factory.mktemp("report-e2e") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_demo_plan(path, plan_start())
    return path


def _finish_and_log(app: Flask) -> tuple[str, int]:
    """A selesai check-in on today's first visit (else the latest day so far) and its event."""
    with app.app_context():
        session = get_session()
        plan = published_plan(session)
        assert plan is not None and plan.id is not None
        all_routes = plan_json(session, plan.id)["routes"]
    visit = [r for r in all_routes if r["date"] <= str(TODAY)][-1]["visits"][0]
    finish_visit_with_event(
        app, visit, librarians=["Siti Aminah", "Dedi Kurnia"],
        attendance={
            "anak": {"L": 11, "P": 13}, "remaja": {"L": 2, "P": 3}, "lansia": {"L": 0, "P": 4},
        },
        books_lent=21, new_members=5, satisfaction={"4": 3, "5": 9},
    )  # fmt: skip
    return visit["village_code"], sum(len(r["visits"]) for r in all_routes)


def test_koordinator_sees_the_visit_done_and_the_attendance(app: Flask, new_page) -> None:  # type: ignore[no-untyped-def]
    code, planned = _finish_and_log(app)
    page, requests = new_page()
    page.goto("/login")
    page.fill("input[name=username]", "koordinator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dasbor/")
    page.get_by_role("link", name="Laporan", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Laporan bulanan")
    expect(page.locator('[data-total="planned"]')).to_have_text(str(planned))
    expect(page.locator('[data-total="done"]')).to_have_text("1")
    expect(page.locator('[data-total="participants"]')).to_have_text("33")
    village = page.locator(f'#village-table tr[data-code="{code}"]')
    expect(village.locator('[data-col="done"]')).to_have_text("1")
    expect(village.locator('[data-col="participants"]')).to_have_text("33")
    attendance = page.locator(f'#attendance-table tr[data-code="{code}"]')
    cells = [attendance.locator(f'[data-col="{c}"]') for c in ("anak_L", "anak_P", "lansia_P")]
    assert [c.inner_text() for c in cells] == ["11", "13", "4"]
    expect(page.locator("#librarian-table")).to_contain_text("Dedi Kurnia")
    expect(page.locator("#iplm-table")).to_contain_text("Layanan perpustakaan keliling")
    assert page.locator("figure.chart-box svg.chart").count() == 2
    screenshot(page, "70-report")

    page.emulate_media(media="print")
    expect(page.locator(".month-nav")).to_be_hidden()
    expect(page.locator("header.top")).to_be_hidden()
    page.emulate_media(media="screen")
    page.locator("#month-prev").click()
    expect(page.locator('[data-total="done"]')).to_have_text("0")
    assert requests.outside("script", "stylesheet", "image", "font") == []
    assert page.js_errors == []
