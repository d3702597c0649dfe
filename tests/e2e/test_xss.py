"""Script in every free-text field stays text: on every page that shows it, nothing runs.

Each field gets its own alert number, so a dialog names the field whose text was not escaped.
The browser context ignores the app's CSP (bypass_csp): the CSP would block an inline handler
anyway, and this test checks the escaping itself, the first line of defence.
"""

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from flask import Flask
from sqlmodel import Session, col, select

from planner.plans import record_checkin
from planner.store import (
    ClosedDay,
    Depot,
    OutreachEvent,
    Region,
    Stop,
    SurveyBatch,
    User,
    Vehicle,
    Village,
    Visit,
    make_engine,
    session_scope,
)
from tests.conftest import DEMO_PASSWORD
from tests.factories import (
    SURVEY_ROWS,
    TODAY,
    link,
    publish_for_today,
    route_data,
    survey_csv,
)
from web.db import get_session

pytestmark = pytest.mark.e2e

# Alert numbers: one per free-text field.
VEHICLE, STOP, STOP_NOTES, VILLAGE, DEPOT, BREAK = 1, 2, 3, 4, 5, 6
LIBRARIAN, EVENT_NOTES, CHECKIN_NOTE, SKIP_REASON = 7, 8, 9, 10
FULL_NAME, USERNAME, CLOSED_DAY, OTHER_VEHICLE = 11, 12, 13, 14
SURVEY_FILE, SURVEY_VALUE, QUERY = 15, 16, 17


def payload(n: int) -> str:
    """Markup, attribute, script and JavaScript-string breakouts that all call alert(n)."""
    return (
        f'<img src=x onerror=alert({n})>"><svg onload=alert({n})>'
        f"</script><script>alert({n})</script>'-alert({n})-'"
    )


def short_payload(n: int) -> str:
    """The markup breakouts alone, for fields of 64 characters."""
    return f'<img src=x onerror=alert({n})>"><svg onload=alert({n})>'


RENAMED = f"Motor 1 {payload(VEHICLE)}"
EVIL_USERNAME = f"u{short_payload(USERNAME)}"


def _label_everything(session: Session) -> None:
    """Payloads in every text a user can type, written straight to the database."""
    for village in session.exec(select(Village)):
        village.name = f"{village.name} {payload(VILLAGE)}"
    for stop in session.exec(select(Stop)):
        stop.name = f"{stop.name} {payload(STOP)}"
        stop.notes = f"Catatan {payload(STOP_NOTES)}"
    for depot in session.exec(select(Depot)):
        depot.name = f"Perpustakaan {payload(DEPOT)}"
    for vehicle in session.exec(select(Vehicle)):
        vehicle.name = f"{vehicle.name} {payload(OTHER_VEHICLE)}"
        vehicle.breaks = [{**b, "name": f"Istirahat {payload(BREAK)}"} for b in vehicle.breaks]
    for user in session.exec(select(User)):
        user.full_name = f"Nama {payload(FULL_NAME)}"[:120]
    admin = session.exec(select(User).where(User.role == "admin")).one()
    session.add(
        User(username=EVIL_USERNAME, password_hash=admin.password_hash, role="staf", full_name="")
    )
    region = session.exec(select(Region)).one()
    assert region.id is not None
    closed = TODAY + dt.timedelta(days=3)
    session.add(ClosedDay(region_id=region.id, date=closed, reason=f"Tutup {payload(CLOSED_DAY)}"))
    filename = f"survei {payload(SURVEY_FILE)}.csv"
    session.add(SurveyBatch(region_id=region.id, filename=filename, sha256="0" * 64))


def _leave_one_stop_unserved(session: Session) -> None:
    """The last stop opens only in the evening, so the plan lists it as unserved."""
    stop = session.exec(select(Stop).order_by(col(Stop.id).desc())).first()
    assert stop is not None
    stop.time_windows = {day: [["19:00", "21:00"]] for day in stop.time_windows}
    session.add(stop)


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database with payloads in every text field and a published week from today."""
    path = tmp_path_factory.mktemp("xss") / "planned.db"
    shutil.copyfile(app_database_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with session_scope(engine) as session:
        _label_everything(session)
        _leave_one_stop_unserved(session)
    engine.dispose()
    publish_for_today(path)
    return path


def _report_the_first_route(app: Flask, route: dict[str, Any]) -> None:
    """A finished visit with a note and an event, and a skipped visit with its reason."""
    first, second = route["visits"][:2]
    with app.app_context():
        session = get_session()
        done = session.get(Visit, first["visit_id"])
        skipped = session.get(Visit, second["visit_id"])
        assert done is not None and skipped is not None
        record_checkin(session, done, "selesai", f"Ramai {payload(CHECKIN_NOTE)}")
        record_checkin(session, skipped, "dilewati", f"Banjir {payload(SKIP_REASON)}")
        session.add(
            OutreachEvent(
                stop_id=first["stop_id"],
                visit_id=done.id,
                event_type="dongeng",
                starts_at=dt.datetime.fromisoformat(first["start"]),
                librarians=[f"Bu Ani {payload(LIBRARIAN)}"],
                attendance={"anak": {"L": 3, "P": 4}},
                notes=f"Seru {payload(EVENT_NOTES)}",
            )
        )
        session.commit()


class Watch:
    """Dialogs opened by any page of the context, and the page that opened them."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []

    def dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.page.url}: {dialog.type} {dialog.message}")
        dialog.dismiss()


# Text nodes a reader sees (script and style contents are not shown).
SHOWN_TEXT = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parts = [];
    while (walker.nextNode()) {
        const parent = walker.currentNode.parentElement;
        if (parent && !["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"].includes(parent.tagName)) {
            parts.push(walker.currentNode.data);
        }
    }
    return parts.join("\\n");
}"""
# An element the page's own markup never has: a payload that became markup.
INJECTED = "[onerror], [onload], img[src='x'], script:not([src]):not([nonce]):not([type])"
# Open every tooltip and popup of the folium map (its layers are page globals).
OPEN_LABELS = """() => {
    let opened = 0;
    for (const value of Object.values(window)) {
        if (!(value instanceof L.Layer) || !value._map) continue;
        if (value.getTooltip && value.getTooltip()) { value.openTooltip(); opened++; }
        if (value.getPopup && value.getPopup()) { value.openPopup(); opened++; }
    }
    return opened;
}"""


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, bypass_csp=True)
    page = context.new_page()
    page.watch = Watch()
    page.on("dialog", page.watch.dialog)
    page.problems = []
    yield page
    context.close()


def visit(page: Any, path: str, *fields: int, labels: bool = False, status: int = 200) -> None:
    """Open `path`: no payload fires or becomes markup, and each field's payload shows as text.

    Problems are collected on the page, so that one run names every page that fails.
    """
    response = page.goto(path)
    if response is None or response.status != status:
        page.problems.append(f"{path}: HTTP {response and response.status}, not {status}")
        return
    if labels:
        page.wait_for_selector(".leaflet-marker-pane", state="attached")
        if not page.evaluate(OPEN_LABELS):
            page.problems.append(f"{path}: no tooltip or popup to open")
    page.wait_for_timeout(50)  # let the handlers of an injected element run
    if page.locator(INJECTED).count():
        page.problems.append(f"{path}: markup from user text: {page.locator(INJECTED).first}")
    shown = page.evaluate(SHOWN_TEXT)
    missing = [n for n in fields if payload(n) not in shown and short_payload(n) not in shown]
    if missing:
        page.problems.append(f"{path}: payloads of fields {missing} not shown as text")


def test_no_user_text_runs_as_script(app: Flask, page: Any) -> None:
    route = route_data(app)
    _report_the_first_route(app, route)
    stop_id, village_code = route["visits"][0]["stop_id"], route["visits"][0]["village_code"]
    plan_id = _published_plan_id(app)
    event_id = _event_id(app)

    page.goto("/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dasbor/")

    # The vehicle is renamed through its form, as a planner would.
    page.goto(f"/kendaraan/{route['vehicle_id']}")
    page.fill("#vehicle-form input[name=name]", RENAMED)
    page.click("#vehicle-form button[type=submit]")
    assert RENAMED in page.locator(".flash").inner_text()  # the saved message names it
    visit(page, "/kendaraan/", VEHICLE, OTHER_VEHICLE, BREAK)
    visit(page, f"/kendaraan/{route['vehicle_id']}", VEHICLE)

    visit(page, f"/rencana/{plan_id}", VEHICLE, STOP, CLOSED_DAY, labels=True)
    layers = page.locator(".leaflet-control-layers-overlays").text_content() or ""
    if RENAMED not in layers:
        page.problems.append("the layer control does not show the vehicle name as text")
    visit(page, "/rencana/")
    visit(page, f"/rencana/{plan_id}/rute/{route['route_id']}/lembar", VEHICLE, STOP, DEPOT)
    visit(page, "/dasbor/", VEHICLE, STOP, CHECKIN_NOTE, SKIP_REASON)

    driver = link(app, route)
    visit(page, driver, VEHICLE, STOP, VILLAGE, STOP_NOTES, SKIP_REASON)
    visit(page, f"{driver}/peta", STOP, VILLAGE, labels=True)

    visit(page, "/jadwal/", VILLAGE)
    visit(page, f"/jadwal/titik/{stop_id}", STOP, VILLAGE)
    visit(page, f"/jadwal/titik/{stop_id}/poster", STOP, VILLAGE)
    visit(page, f"/jadwal/desa/{village_code}", STOP, VILLAGE)

    visit(page, "/titik/", STOP, VILLAGE)
    visit(page, f"/titik/{stop_id}", STOP, labels=True)
    visit(page, "/desa/", VILLAGE, labels=True)
    visit(page, "/permintaan/", VILLAGE, labels=True)
    visit(page, f"/permintaan/{village_code}", VILLAGE)

    visit(page, "/kegiatan/", STOP, LIBRARIAN, EVENT_NOTES)
    visit(page, f"/kegiatan/{event_id}", EVENT_NOTES)  # librarians: an input value
    visit(page, "/kegiatan/hari-ini", STOP, VILLAGE)
    visit(page, "/kegiatan/baru", STOP)
    visit(page, f"/laporan/?bulan={TODAY:%Y-%m}", VILLAGE, LIBRARIAN)

    visit(page, "/pengguna/", FULL_NAME, USERNAME)
    visit(page, f"/pengguna/{_user_id(app, EVIL_USERNAME)}", USERNAME)
    visit(page, "/hari-libur/", CLOSED_DAY)
    _upload_survey(page)

    # Text typed into a query comes back in the page.
    typed = quote(payload(QUERY))
    visit(page, f"/jadwal/terdekat?q={typed}", QUERY)
    visit(page, f"/kegiatan/?desa={typed}")
    visit(page, f"/titik/?desa={typed}")
    visit(page, f"/laporan/?bulan={quote(short_payload(QUERY))}", status=400)

    _check_exports(page, plan_id, driver)
    assert (page.watch.dialogs, page.problems) == ([], [])


def _upload_survey(page: Any) -> None:
    """A survey file naming an unknown village: the refusal quotes the value as text."""
    rows = [(payload(SURVEY_VALUE), *SURVEY_ROWS[0][1:])]
    data = survey_csv(rows).encode()
    visit(page, "/survei/", SURVEY_FILE)
    page.set_input_files(
        "input[type=file]", files=[{"name": "survei.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()
    shown = page.evaluate(SHOWN_TEXT)
    if payload(SURVEY_VALUE) not in shown or page.locator(INJECTED).count():
        page.problems.append("/survei/: the refused value is not shown as text")


def _check_exports(page: Any, plan_id: int, driver: str) -> None:
    """Files are never served as HTML; GPX keeps the names as escaped XML text."""
    for path in (
        f"/rencana/{plan_id}/ekspor.csv",
        f"/rencana/{plan_id}/ekspor.ics",
        f"/rencana/{plan_id}/ekspor.gpx",
        f"/rencana/{plan_id}/ekspor.geojson",
        f"{driver}/rute.gpx",
        "/kegiatan/ekspor.csv",
        "/titik/ekspor.csv",
    ):
        response = page.request.get(path)
        assert response.ok, path
        assert "html" not in response.headers["content-type"], path
    gpx = page.request.get(f"{driver}/rute.gpx").body()
    root = ElementTree.fromstring(gpx)  # noqa: S314 - the app's own file
    names = [e.text or "" for e in root.iter() if e.tag.endswith("name")]
    assert any(payload(STOP) in name for name in names)


def _published_plan_id(app: Flask) -> int:
    from planner.store import published_plan

    with app.app_context():
        plan = published_plan(get_session())
        assert plan is not None and plan.id is not None
        return plan.id


def _user_id(app: Flask, username: str) -> int:
    with app.app_context():
        user = get_session().exec(select(User).where(User.username == username)).one()
        assert user.id is not None
        return user.id


def _event_id(app: Flask) -> int:
    with app.app_context():
        event = get_session().exec(select(OutreachEvent)).first()
        assert event is not None and event.id is not None
        return event.id
