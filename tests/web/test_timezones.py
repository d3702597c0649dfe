"""A region in WITA (Asia/Makassar): every page shows and reads times in WITA, never WIB.

The demo database gets the Makassar zone by installing a region pack whose region.toml says so,
a published week planned in it, one visit moved to 08:00-08:47 local time (00:00-00:47 UTC) and
an arrival check-in tapped on its day at 00:03 UTC.
"""

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

import geodata
from geodata import load_region
from planner.core import zone_of
from planner.plans import driver_token, record_checkin
from planner.store import (
    OutreachEvent,
    Route,
    Stop,
    Village,
    Visit,
    create_token,
    install_region,
    make_engine,
    published_plan,
    session_scope,
)
from tests.conftest import AuthActions
from tests.factories import publish_demo_plan
from tests.web.views.events_helpers import _form, _stop_id
from web.db import get_session

MAKASSAR = zone_of("Asia/Makassar")
TODAY = dt.datetime.now(MAKASSAR).date()
EIGHT_LOCAL = dt.time(8, 0)
TAPPED_UTC = dt.time(0, 3)  # 08:03 WITA


def _known_visit(session: Session) -> tuple[Visit, Route]:
    """The first visit of the first route after today (the one moved to 08:00-08:47 WITA)."""
    route = session.exec(
        select(Route).where(Route.service_date > TODAY).order_by(col(Route.service_date))
    ).first()
    assert route is not None
    visit = session.exec(
        select(Visit).where(Visit.route_id == route.id).order_by(col(Visit.sequence))
    ).first()
    assert visit is not None
    return visit, route


def _day_of(session: Session, visit: Visit) -> dt.date:
    """The date of the visit's route."""
    route = session.get(Route, visit.route_id)
    assert route is not None
    return route.service_date


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The demo database in WITA with a published week and the known visit and check-in."""
    folder = tmp_path_factory.mktemp("wita")
    path = folder / "wita.db"
    shutil.copyfile(app_database_template, path)
    packs = folder / "packs"
    shutil.copytree(Path(geodata.__file__).parent / "kota_banjar", packs / "kota_banjar")
    config = packs / "kota_banjar" / "region.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('"Asia/Jakarta"', '"Asia/Makassar"'), encoding="utf-8")
    engine = make_engine(f"sqlite:///{path}")
    with session_scope(engine) as session:
        region, _summary = install_region(session, load_region("kota_banjar", root=packs))
        assert region.timezone == "Asia/Makassar"
    publish_demo_plan(path, TODAY)
    with session_scope(engine) as session:
        visit, route = _known_visit(session)
        # The stop's other visits move to 08:00-08:47 on their days too: residents read one
        # shared time per stop, which would otherwise depend on where the solver put them.
        for other in session.exec(select(Visit).where(Visit.stop_id == visit.stop_id)):
            day = _day_of(session, other)
            start = dt.datetime.combine(day, EIGHT_LOCAL, MAKASSAR)
            other.planned_arrival = other.planned_start = start
            other.planned_departure = start + dt.timedelta(minutes=47)
            session.add(other)
        session.flush()
        # A tap counts only on the route's day (a later day here): made and sent at 08:03.
        tapped = dt.datetime.combine(route.service_date, TAPPED_UTC, dt.UTC)
        record_checkin(session, visit, "tiba", tapped_at=tapped, now=tapped)
    engine.dispose()
    return path


@pytest.fixture
def known(app: Flask) -> dict[str, Any]:
    """The known visit: its stop, route and date, and the published plan."""
    with app.app_context():
        session = get_session()
        visit, route = _known_visit(session)
        plan = published_plan(session)
        assert plan is not None
        stop = session.get(Stop, visit.stop_id)
        assert stop is not None
        village = session.get(Village, stop.village_id)
        assert village is not None
        return {
            "stop_id": visit.stop_id,
            "lat": stop.lat,
            "lon": stop.lon,
            "village_code": village.code,
            "route_id": route.id,
            "date": route.service_date,
            "plan_id": plan.id,
        }


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_plan_page_shows_wita_times(
    client: FlaskClient, auth: AuthActions, known: dict[str, Any]
) -> None:
    auth.login("koordinator")
    page = _page(client, f"/rencana/{known['plan_id']}")
    assert "<td>08:00</td><td>08:47</td>" in page
    assert "Waktu dalam WITA (Asia/Makassar)" in page and "WIB" not in page


def test_the_driver_page_shows_wita_times_and_the_check_in(
    app: Flask, client: FlaskClient, known: dict[str, Any]
) -> None:
    token = driver_token(known["route_id"], known["date"], app.config["SECRET_KEY"])
    page = _page(client, f"/sopir/{token}")
    assert '<p class="time">08:00–08:47 WITA</p>' in page
    assert "Tiba 08:03" in page and "WIB" not in page


def test_the_public_pages_show_wita_times(client: FlaskClient, known: dict[str, Any]) -> None:
    stop = _page(client, f"/jadwal/titik/{known['stop_id']}")
    # residents read published times (5-minute steps): 08:47 is 08:45 there
    assert "Waktu (WITA)" in stop and "<td>08:00–08:45</td>" in stop and "WIB" not in stop
    poster = _page(client, f"/jadwal/titik/{known['stop_id']}/poster")
    assert " WITA" in poster and "WIB" not in poster
    village = _page(client, f"/jadwal/desa/{known['village_code']}")
    assert " WITA</span>" in village and "WIB" not in village
    nearest = _page(client, f"/jadwal/terdekat?lat={known['lat']}&lon={known['lon']}")
    assert " WITA</span>" in nearest and "WIB" not in nearest
    ics = client.get(f"/jadwal/titik/{known['stop_id']}.ics").get_data(as_text=True)
    day = known["date"].strftime("%Y%m%d")
    assert f"DTSTART;TZID=Asia/Makassar:{day}T080000" in ics


def test_the_dashboard_shows_the_check_in_in_wita(
    client: FlaskClient, auth: AuthActions, known: dict[str, Any]
) -> None:
    auth.login("koordinator")
    status = client.get("/dasbor/status.json").json
    assert status is not None
    assert [c["time"] for c in status["latest"]] == ["08:03"]


def test_an_event_form_reads_and_shows_wita(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("staf")
    form = _form(_stop_id(app), date="2026-11-30", start="09:00", end="10:30")
    assert client.post("/kegiatan/baru", data=form).status_code == 302
    with Session(app.extensions["keliling.engine"]) as session:
        event = session.exec(select(OutreachEvent)).one()
    assert event.starts_at == dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)
    page = _page(client, "/kegiatan/?dari=2026-11-30&sampai=2026-11-30")
    assert "09:00–10:30" in page


def test_an_event_at_a_known_instant_shows_wita_everywhere(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    with app.app_context():
        session = get_session()
        session.add(
            OutreachEvent(
                stop_id=_stop_id(app),
                event_type="dongeng",
                starts_at=dt.datetime(2026, 11, 30, 2, 15, tzinfo=dt.UTC),
                librarians=["Ani"],
            )
        )
        secret = create_token(session, "koordinator", "uji").secret
        session.commit()
    auth.login("koordinator")
    page = _page(client, "/kegiatan/?dari=2026-11-30&sampai=2026-11-30")
    assert '<div class="muted">10:15</div>' in page
    answer = client.get("/api/v1/events", headers={"Authorization": f"Bearer {secret}"}).json
    assert answer is not None
    assert [e["starts_at"] for e in answer["items"]] == ["2026-11-30T10:15:00+08:00"]


def test_api_check_ins_carry_the_wita_offset(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        session = get_session()
        secret = create_token(session, "koordinator", "uji").secret
        session.commit()
    answer = client.get("/api/v1/checkins", headers={"Authorization": f"Bearer {secret}"}).json
    assert answer is not None
    [checkin] = answer["items"]
    assert checkin["tapped_at"].endswith("T08:03:00+08:00")
    assert checkin["recorded_at"].endswith("+08:00")
