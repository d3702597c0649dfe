"""A librarian logs the event held at today's first visit from a phone and finds it in the list."""

import shutil
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlmodel import Session, select

from planner.outreach import today_visits
from planner.store import OutreachEvent
from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import screenshot
from tests.factories import TODAY, publish_for_today

pytestmark = pytest.mark.e2e
PHONE = (390, 844)


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today."""
    path = tmp_path_factory.mktemp("events-e2e") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_for_today(path)
    return path


def test_staf_logs_todays_first_visit_on_a_phone(app: Flask, new_page) -> None:  # type: ignore[no-untyped-def]
    with Session(app.extensions["keliling.engine"]) as session:
        first = today_visits(session, TODAY)[0]
    page, requests = new_page(*PHONE)
    page.goto("/login")
    page.fill("input[name=username]", "staf")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("link", name="Kegiatan", exact=True).click()
    page.get_by_role("link", name="Kunjungan hari ini").first.click()
    expect(page.locator("h1")).to_have_text("Kunjungan hari ini")
    visit = page.locator(f"#visit-{first.visit_id}")
    expect(visit).to_contain_text(first.stop_name)
    screenshot(page, "50-events-today")

    visit.get_by_role("link", name="Catat kegiatan").click()
    expect(page.locator("h1")).to_have_text("Catat kegiatan")
    expect(page.locator("#stop")).to_have_value(str(first.stop_id))
    expect(page.locator("#date")).to_have_value(TODAY.isoformat())
    expect(page.locator("#librarians")).to_have_value("Pengguna staf")
    screenshot(page, "51-event-form")

    page.select_option("#event_type", "dongeng")
    page.get_by_label("Anak, Laki-laki").fill("8")
    page.get_by_label("Anak, Perempuan").fill("10")
    page.get_by_label("Lansia, Perempuan").fill("2")
    page.fill("#books_lent", "5")
    page.get_by_label("5 – sangat puas").fill("6")
    page.fill("#notes", "<b>Hujan</b>, tetap ramai")
    screenshot(page, "52-event-form-filled")
    page.click("#event-form button[type=submit]")

    expect(page.locator(".flash")).to_have_text(
        f"Kegiatan di {first.stop_name} disimpan: 20 orang."
    )
    with Session(app.extensions["keliling.engine"]) as session:
        [event] = session.exec(select(OutreachEvent)).all()
    assert event.visit_id == first.visit_id and event.attendance["lansia"] == {"L": 0, "P": 2}
    row = page.locator(f"#event-{event.id}")
    expect(row).to_contain_text(first.stop_name)
    expect(row).to_contain_text("Dongeng")
    expect(row).to_contain_text("<b>Hujan</b>, tetap ramai")
    expect(page.locator("#events-total")).to_contain_text("Total (1 kegiatan)")
    screenshot(page, "53-events-list")

    page.goto("/kegiatan/hari-ini")
    expect(page.locator(f"#visit-{first.visit_id}")).to_contain_text("Tercatat: 1")
    assert requests.outside("script", "stylesheet", "font") == []
    assert page.js_errors == []
