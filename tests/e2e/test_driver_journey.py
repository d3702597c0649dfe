"""A driver opens the route link on a phone, checks in, loses the signal and gets it back."""

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.factories import checkins, link, publish_for_today, route_data

pytestmark = pytest.mark.e2e
PHONE = (390, 844)


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (today has routes, Sundays too)."""
    path = tmp_path_factory.mktemp("driver-e2e") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_for_today(path)
    return path


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def test_driver_checks_in_online_and_offline(app: Flask, new_page) -> None:  # type: ignore[no-untyped-def]
    route = route_data(app)
    first_id, second_id = (v["visit_id"] for v in route["visits"][:2])
    page, requests = new_page(*PHONE)
    page.goto(link(app, route))
    first, second = page.locator(f"#stop-{first_id}"), page.locator(f"#stop-{second_id}")
    expect(page.locator("h1")).to_have_text(route["vehicle"])
    expect(first.locator(".state")).to_contain_text("Belum ada check-in")
    screenshot(page, "20-driver-route")

    first.get_by_role("button", name="Tiba", exact=True).click()
    expect(first.locator('.state [data-status="tiba"]')).to_have_class("done")
    first.get_by_role("button", name="Selesai", exact=True).click()
    expect(first.locator('.state [data-status="selesai"]')).to_have_class("done")
    expect(page.locator("#live")).to_contain_text("Tercatat: Selesai")
    screenshot(page, "21-driver-checked-in")

    page.reload()
    states = first.locator(".state .done").all_inner_texts()
    assert [s.split()[0] for s in states] == ["Tiba", "Selesai"]
    assert sorted(c.status for c in checkins(app, first_id)) == ["selesai", "tiba"]

    page.context.set_offline(True)
    tapped_before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    second.get_by_role("button", name="Tiba", exact=True).click()
    expect(page.locator("#pending")).to_have_text("menunggu sinyal (1 tertunda)")
    expect(second.locator('.state [data-status="tiba"]')).to_have_class("pending")
    screenshot(page, "22-driver-offline-pending")
    time.sleep(1.5)  # a visible gap between the tap and its delivery
    assert checkins(app, second_id) == []

    page.context.set_offline(False)
    expect(page.locator("#pending")).to_be_hidden()
    expect(second.locator('.state [data-status="tiba"]')).to_have_class("done")
    screenshot(page, "23-driver-back-online")
    [stored] = checkins(app, second_id)
    assert stored.status == "tiba" and stored.tapped_at is not None
    tapped, recorded = _aware(stored.tapped_at), _aware(stored.recorded_at)
    assert tapped_before <= tapped and recorded - tapped >= dt.timedelta(seconds=1)
    assert page.evaluate("localStorage.getItem('keliling.sopir.antrian')") == "[]"

    page.click("#map-link")
    page.wait_for_selector(".stop-number")
    assert page.locator(".stop-number").count() == len(route["visits"])
    assert page.locator("path.route-line").count() == 1
    screenshot(page, "24-driver-map")

    assert requests.outside("script", "stylesheet", "font") == []
    assert page.js_errors == []
