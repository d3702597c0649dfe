"""Taps queued on the phone: sent with the link alone, stored once, refused for good with a reason.

The published week starts today (conftest.py), so the route under test is today's, on any
weekday; tap times are taken relative to the route's day, never to the clock's hour.
"""

import datetime as dt
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from planner.plans import plan_json, publish_plan
from planner.reports import Month, monthly_report
from planner.store import CheckIn, Plan, Route, published_plan, region_zone
from tests.factories import TODAY, checkins, link
from web.db import get_session

WEEK = dt.timedelta(days=7)


def _tap(route: dict[str, Any], index: int = 0, **fields: Any) -> dict[str, Any]:
    """A queued tap as the page sends it: visit, status, tap time, client id, language."""
    now = dt.datetime.now(dt.UTC)
    return {
        "visit_id": route["visits"][index]["visit_id"],
        "status": "tiba",
        "tapped_at": now.isoformat(),
        "client_id": f"tap-{index}-{now.timestamp()}",
        "lang": "id",
        **fields,
    }


def _error(response: Any) -> dict[str, Any]:
    assert response.json is not None, response.get_data(as_text=True)
    error: dict[str, Any] = response.json["error"]
    return error


def test_a_queued_tap_needs_neither_session_cookie_nor_csrf_token(
    app: Flask, route: dict[str, Any]
) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client(use_cookies=False)  # a phone whose cookies were cleared
    path = link(app, route) + "/checkin"
    tap = _tap(route)
    sent = client.post(path, json=tap)
    assert sent.status_code == 201 and sent.json is not None
    assert sent.json["client_id"] == tap["client_id"] and sent.json["created"] is True
    form = {"visit_id": str(tap["visit_id"]), "status": "selesai"}
    assert client.post(path, data=form).status_code == 302  # the page without script too
    assert sorted(c.status for c in checkins(app, tap["visit_id"])) == ["selesai", "tiba"]
    # The link is the credential: a forged or mistyped one stores nothing.
    forged = client.post(link(app, route)[:-3] + "xyz/checkin", json=_tap(route, 1))
    assert forged.status_code == 404 and _error(forged)["reason"] == "invalid_link"
    assert checkins(app, route["visits"][1]["visit_id"]) == []
    # Staff forms keep their CSRF check.
    assert client.post("/login", data={"username": "admin", "password": "x"}).status_code == 400


def test_a_resend_is_stored_once_with_the_first_tap_time(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    path = link(app, route) + "/checkin"
    tap = _tap(route, status="selesai")
    first, again = client.post(path, json=tap), client.post(path, json=tap)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json is not None and again.json["created"] is False
    assert again.json["client_id"] == tap["client_id"]
    [stored] = checkins(app, tap["visit_id"])
    tapped = stored.tapped_at
    assert tapped is not None
    assert tapped.replace(tzinfo=tapped.tzinfo or dt.UTC) == dt.datetime.fromisoformat(
        tap["tapped_at"]
    )


def test_taps_outside_the_route_day_are_refused_for_good(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    path = link(app, route) + "/checkin"
    old_phone = _tap(route, tapped_at="1999-12-31T10:00:00+07:00")
    refused = client.post(path, json=old_phone)
    assert refused.status_code == 422
    error = _error(refused)
    assert error["reason"] == "outside_route_day" and error["final"] is True
    assert error["message"].startswith("Tidak dicatat: waktu tap 1999-12-31 10:00")
    english = client.post(path, json={**old_phone, "lang": "en"})
    assert _error(english)["message"].startswith("Not recorded: the tap time 1999-12-31 10:00")

    ahead = _route_ahead(app)
    early = client.post(link(app, ahead) + "/checkin", json=_tap(ahead, status="selesai"))
    assert early.status_code == 422 and _error(early)["reason"] == "outside_route_day"
    assert checkins(app, old_phone["visit_id"]) == []
    assert checkins(app, ahead["visits"][0]["visit_id"]) == []


def test_a_tap_on_a_route_replaced_during_the_day_is_kept(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    """The driver's link names the old plan's route: the tap is stored on the visit tapped."""
    path = link(app, route)
    with app.app_context():
        session = get_session()
        old = session.get(Route, route["route_id"])
        assert old is not None
        old_plan = session.get(Plan, old.plan_id)
        assert old_plan is not None
        new_plan = Plan(region_id=old_plan.region_id, start_date=old_plan.start_date)
        session.add(new_plan)
        session.flush()
        assert new_plan.id is not None
        session.add(Route(plan_id=new_plan.id, vehicle_id=old.vehicle_id, service_date=TODAY))
        publish_plan(session, new_plan.id)
        session.commit()
    assert client.get(path).status_code == 410  # the page says the route was replaced
    tap = _tap(route)
    stored = client.post(path + "/checkin", json=tap)
    assert stored.status_code == 201 and stored.json is not None
    assert stored.json["replaced"] is True and "diganti" in stored.json["message"]
    assert [c.status for c in checkins(app, tap["visit_id"])] == ["tiba"]
    assert client.post(path + "/checkin", json=tap).status_code == 200  # a resend: kept once

    with app.app_context():
        session = get_session()
        plan = session.get(Plan, old_plan.id)
        assert plan is not None
        plan.status = "draft"  # a route no published plan ever had
        session.add(plan)
        session.commit()
    gone = client.post(path + "/checkin", json=_tap(route, 1))
    assert gone.status_code == 410 and _error(gone)["reason"] == "route_gone"


def test_check_ins_off_the_route_day_never_count_as_done_in_the_report(
    app: Flask, client: FlaskClient, route: dict[str, Any]
) -> None:
    """Even stored ones (from before they were refused): a week ahead, a phone in 1999."""
    ahead = _route_ahead(app)
    assert client.post(link(app, route) + "/checkin", json=_tap(route, status="selesai")).json
    with app.app_context():
        session = get_session()
        zone = region_zone(session)
        next_week = dt.datetime.combine(TODAY + WEEK, dt.time(10), zone)
        session.add_all(
            [
                CheckIn(visit_id=ahead["visits"][0]["visit_id"], status="selesai"),
                CheckIn(
                    visit_id=route["visits"][1]["visit_id"],
                    status="selesai",
                    tapped_at=dt.datetime(1999, 12, 31, 3, tzinfo=dt.UTC),
                ),
                CheckIn(
                    visit_id=route["visits"][2]["visit_id"], status="selesai", tapped_at=next_week
                ),
            ]
        )
        session.commit()
        days = (TODAY, dt.date.fromisoformat(ahead["date"]))
        months = {Month(d.year, d.month) for d in days}
        reports = [monthly_report(session, month) for month in months]
        stored = session.exec(select(CheckIn).where(CheckIn.status == "selesai")).all()
    assert len(stored) == 4  # four visits have a selesai check-in stored...
    assert sum(r.visits.done for r in reports) == 1  # ...one of them counts
    assert sum(r.iplm()["service_visits"] for r in reports) == 1


def _route_ahead(app: Flask) -> dict[str, Any]:
    """The longest route two days or more after today (the published week has several)."""
    with app.app_context():
        session = get_session()
        plan = published_plan(session)
        assert plan is not None and plan.id is not None
        routes = plan_json(session, plan.id)["routes"]
    later = [r for r in routes if dt.date.fromisoformat(r["date"]) >= TODAY + dt.timedelta(2)]
    found: dict[str, Any] = max(later, key=lambda r: (len(r["visits"]), r["date"]))
    return found
