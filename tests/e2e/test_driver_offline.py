"""No signal on a phone: the route page reloads from the phone, taps wait and arrive once.

Acceptance of issue 13: open a driver link, go offline, reload: the route shows; tap Tiba and
Selesai, clear cookies, go online: both check-ins are stored once with their tap times.
"""

import datetime as dt
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask, request
from playwright.sync_api import expect
from werkzeug.wrappers import Response

from tests.e2e.conftest import screenshot
from tests.factories import checkins, link, publish_for_today, route_data

pytestmark = pytest.mark.e2e
PHONE = (390, 844)


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with a published week starting today (today has routes)."""
    path = tmp_path_factory.mktemp("driver-offline") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_for_today(path)
    return path


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _browser_now(page: object) -> dt.datetime:
    millis = page.evaluate("Date.now()")  # type: ignore[attr-defined]
    return dt.datetime.fromtimestamp(millis / 1000, dt.UTC)


def test_the_route_reloads_without_signal_and_queued_taps_arrive_once(
    app: Flask,
    new_page,  # type: ignore[no-untyped-def]
) -> None:
    served: list[str] = []  # what the server answered: the offline reload must not be there

    @app.after_request
    def note(response: Response) -> Response:
        served.append(f"{request.method} {request.path}")
        return response

    route = route_data(app)
    path = link(app, route)
    visit_id = route["visits"][0]["visit_id"]
    page, _requests = new_page(*PHONE)
    context = page.context
    # Playwright's request interception (the fixture's request log) keeps Chromium from handing
    # an offline navigation to the service worker (net::ERR_FAILED), so this page goes without
    # it and lists the hosts it asked instead (the service worker's requests included).
    context.unroute("**/*")
    hosts: set[str] = set()
    context.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.goto(path)
    offline = page.locator("#offline")
    expect(offline).to_be_visible()  # shown once the page, map, GPX and assets are kept
    expect(offline).to_have_text(
        "Tersimpan di ponsel ini: rute ini tetap bisa dibuka tanpa sinyal."
    )

    context.set_offline(True)
    answered = len(served)
    page.reload()
    expect(page.locator("h1")).to_have_text(route["vehicle"])
    expect(page.locator("li.stop")).to_have_count(len(route["visits"]))
    first = page.locator(f"#stop-{visit_id}")
    stop = route["visits"][0]
    expect(first.locator("h2")).to_contain_text(stop["stop_name"])
    expect(first.locator(".time")).to_contain_text(stop["arrival"][11:16] + "–")
    destination = f"destination={stop['lat']:.6f},{stop['lon']:.6f}"
    expect(first.locator("a.nav")).to_have_attribute("href", re.compile(re.escape(destination)))
    screenshot(page, "25-driver-offline-reload")

    tapped_from = _browser_now(page)
    first.get_by_role("button", name="Tiba", exact=True).click()
    expect(page.locator("#pending")).to_have_text("menunggu sinyal (1 tertunda)")
    first.get_by_role("button", name="Selesai", exact=True).click()
    expect(page.locator("#pending")).to_have_text("menunggu sinyal (2 tertunda)")
    tapped_to = _browser_now(page)
    assert served[answered:] == []  # the route came from the phone, the taps wait there
    assert checkins(app, visit_id) == []

    context.clear_cookies()
    context.set_offline(False)
    expect(page.locator("#pending")).to_be_hidden()
    expect(first.locator('.state [data-status="selesai"]')).to_have_class("done")
    expect(first.locator('.state [data-status="tiba"]')).to_have_class("done")
    stored = {c.status: c for c in checkins(app, visit_id)}
    assert sorted(stored) == ["selesai", "tiba"]  # each once
    tiba, selesai = (_aware(stored[s].tapped_at or dt.datetime.min) for s in ("tiba", "selesai"))
    assert tapped_from - dt.timedelta(seconds=1) <= tiba <= selesai <= tapped_to
    assert all(
        _aware(c.recorded_at) >= _aware(c.tapped_at or c.recorded_at) for c in stored.values()
    )
    assert served.count(f"POST {path}/checkin") == 2
    screenshot(page, "26-driver-offline-sent")

    # The map page was kept too, with Leaflet from the phone.
    context.set_offline(True)
    page.click("#map-link")
    expect(page.locator(".stop-number")).to_have_count(len(route["visits"]))
    assert hosts <= {urlsplit(page.url).netloc, "tile.openstreetmap.org"}  # tiles: offline
    assert page.js_errors == []
